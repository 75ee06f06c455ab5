/* Booth mode: every capture goes into a local queue first (localStorage, per user) and is
   sent from there whenever the tablet is online; each carries its own capture_id, so a
   capture sent twice (the answer lost on the way) is recognised and stays one lead. */
(function () {
  "use strict";

  const body = document.body;
  const form = document.getElementById("booth-form");
  const list = document.querySelector("[data-queue-list]");
  const count = document.querySelector("[data-queue-count]");
  const empty = document.querySelector("[data-queue-empty]");
  const state = document.querySelector("[data-net-state]");
  const flash = document.querySelector("[data-flash]");
  const key = "innendienst.booth.queue." + body.dataset.user;
  const fairKey = "innendienst.booth.fair";
  // A capture the server refuses this often (a 500, 400, 413 …) is marked failed, to be
  // corrected, and the queue goes on with the next one.
  const MAX_ATTEMPTS = 3;
  let sending = false;

  function load() {
    try { return JSON.parse(localStorage.getItem(key)) || []; } catch (error) { return []; }
  }
  function save(queue) { localStorage.setItem(key, JSON.stringify(queue)); }

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  function csrfToken() {
    // The cookie is current even when the page came from the worker's cache.
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    return document.querySelector("meta[name='csrf-token']").content;
  }

  function render() {
    const queue = load();
    count.textContent = String(queue.length);
    empty.hidden = queue.length > 0;
    list.replaceChildren(...queue.map((item) => {
      const row = document.createElement("li");
      row.dataset.captureId = item.payload.capture_id;
      const label = document.createElement("strong");
      label.textContent = item.label;
      const status = document.createElement("span");
      status.className = "badge " + (item.error ? "bad" : "warn");
      status.textContent = item.error ? list.dataset.failed : list.dataset.waiting;
      row.append(label, status);
      if (item.error) {
        const why = document.createElement("span");
        why.className = "queue-error";
        why.textContent = item.error;
        const edit = document.createElement("button");
        edit.type = "button";
        edit.className = "btn";
        edit.textContent = list.dataset.edit;
        edit.addEventListener("click", () => correct(item.payload.capture_id));
        row.append(edit, why);
      }
      return row;
    }));
    const online = navigator.onLine;
    state.textContent = sending ? state.dataset.sending : (online ? state.dataset.online : state.dataset.offline);
    state.className = "badge " + (sending ? "info" : (online ? "ok" : "warn"));
    state.dataset.state = sending ? "sending" : (online ? "online" : "offline");
  }

  function say(text) {
    flash.textContent = text;
    flash.hidden = false;
  }

  function payloadOf() {
    const data = new FormData(form);
    const interests = data.getAll("interest");
    const other = (data.get("interests_other") || "").trim();
    if (other) interests.push(other);
    const companyId = data.get("company_id");
    const payload = {
      capture_id: newId(),
      // A shared tablet: the capture is sent in the name of whoever saved it, or not at all.
      queued_by: Number(body.dataset.user),
      company_id: companyId ? Number(companyId) : null,
      source: "trade_fair",
      interests: interests.join(", ").slice(0, 300),
      consent: data.get("consent") === "on",
      consent_text: data.get("consent") === "on" ? document.querySelector("[data-consent-wording]").textContent.trim() : "",
    };
    for (const [name, value] of data.entries()) {
      if (name.startsWith("company_") && name !== "company_id" && !companyId) payload[name] = value.trim();
      if (name.startsWith("person_") || name === "notes" || name === "source_name") payload[name] = value.trim();
    }
    return payload;
  }

  function labelOf(payload) {
    const company = payload.company_id ? document.querySelector("[data-picked-label]").textContent : payload.company_name;
    const person = [payload.person_first_name, payload.person_last_name].filter(Boolean).join(" ");
    return [company, person].filter(Boolean).join(" · ");
  }

  function formStateOf() {
    // What payloadOf() folds together, kept to put the capture back into the form.
    const data = new FormData(form);
    return {
      company: data.get("company_id") ? document.querySelector("[data-picked-label]").textContent : "",
      ticked: data.getAll("interest"),
      other: (data.get("interests_other") || "").trim(),
    };
  }

  function correct(captureId) {
    const queue = load();
    const item = queue.find((entry) => entry.payload.capture_id === captureId);
    if (!item) return;
    save(queue.filter((entry) => entry !== item));
    const payload = item.payload;
    form.reset();
    for (const [name, value] of Object.entries(payload)) {
      const input = form.elements.namedItem(name);
      if (input && typeof value === "string") input.value = value;
    }
    if (payload.company_id) form.pick(String(payload.company_id), item.company || item.label);
    else form.unpick();
    const boxes = Array.from(form.querySelectorAll("[name='interest']"));
    let ticked = item.ticked;
    let other = item.other || "";
    if (!ticked) {  // queued by an older version of the page: only the joined text is there
      const known = new Set(boxes.map((box) => box.value));
      const parts = (payload.interests || "").split(", ").filter(Boolean);
      ticked = parts.filter((part) => known.has(part));
      other = parts.filter((part) => !known.has(part)).join(", ");
    }
    boxes.forEach((box) => { box.checked = ticked.includes(box.value); });
    form.elements.namedItem("interests_other").value = other;
    form.elements.namedItem("consent").checked = Boolean(payload.consent);
    form.querySelector("[data-hints]").textContent = "";
    render();
    form.querySelector(payload.company_id ? "[name='person_first_name']" : "[name='company_name']").focus();
  }

  async function problemText(response) {
    const problem = await response.json().catch(() => ({}));
    return (problem.errors || []).map((e) => e.message).join(" ") || problem.detail || problem.title || "";
  }

  async function flush() {
    if (sending || !navigator.onLine) { render(); return; }
    sending = true;
    render();
    try {
      for (const item of load()) {
        if (item.error) continue;
        let response;
        try {
          response = await fetch(body.dataset.api, {
            method: "POST",
            credentials: "same-origin",
            headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken() },
            body: JSON.stringify(item.payload),
          });
        } catch (error) {
          break; // the connection is gone again: the rest waits
        }
        const sent = response.status === 200 || response.status === 201;
        // Read before the queue: a capture saved meanwhile must not be overwritten.
        const why = sent ? "" : await problemText(response);
        const rejected = list.dataset.rejected.replace("%(status)s", String(response.status));
        const queue = load();
        const stored = queue.find((entry) => entry.payload.capture_id === item.payload.capture_id);
        if (sent) {
          save(queue.filter((entry) => entry !== stored));
        } else if ((response.status === 422 || response.status === 409) && stored) {
          // Refused for its content, or saved by another user (409): to be corrected.
          stored.error = why || rejected;
          save(queue);
        } else if (response.status === 401 || response.status === 403) {
          say(list.dataset.login);
          break;
        } else if (response.status >= 502 && response.status <= 504) {
          break; // the server is away (a restart, a gateway): the rest waits, nothing counts
        } else if (stored) {
          // Anything else (500, 400, 413 …) may be this capture: counted, the next one goes.
          stored.attempts = (stored.attempts || 0) + 1;
          if (stored.attempts >= MAX_ATTEMPTS) stored.error = [rejected, why].filter(Boolean).join(" ");
          save(queue);
        }
        render();
      }
    } finally {
      sending = false;
      render();
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const payload = payloadOf();
    if (!payload.source_name || !(payload.company_id || payload.company_name)) {
      say(list.dataset.required);
      (payload.source_name ? form.querySelector("[name='company_name']") : form.querySelector("[name='source_name']")).focus();
      return;
    }
    localStorage.setItem(fairKey, payload.source_name);
    const queue = load();
    queue.push({ payload: payload, label: labelOf(payload), error: "", attempts: 0, ...formStateOf() });
    save(queue);
    form.reset();
    form.querySelector("[name='source_name']").value = payload.source_name;
    const unpick = form.querySelector("[data-unpick]");
    if (unpick && !form.querySelector("[data-picked]").hidden) unpick.click();
    form.querySelector("[data-hints]").textContent = "";
    say(list.dataset.saved);
    render();
    form.querySelector("[name='company_name']").focus();
    flush();
  });

  document.querySelector("[data-send-now]").addEventListener("click", flush);
  window.addEventListener("online", flush);
  window.addEventListener("offline", render);
  setInterval(flush, 15000);

  form.querySelector("[name='source_name']").value = localStorage.getItem(fairKey) || "";
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(body.dataset.worker, { scope: body.dataset.scope }).catch(() => {});
  }
  render();
  flush();
})();
