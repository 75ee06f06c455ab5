/* The company of a capture: hints while its name is typed (online only), a hint picked sets
   company_id; "another company" goes back to typing. Used by quick entry and booth mode. */
(function () {
  "use strict";

  function setup(picker) {
    const hintsUrl = picker.dataset.hintsUrl;
    const hints = picker.querySelector("[data-hints]");
    const idInput = picker.querySelector("[data-company-id]");
    const picked = picker.querySelector("[data-picked]");
    const pickedLabel = picker.querySelector("[data-picked-label]");
    const typed = picker.querySelector("[data-typed-company]");
    const fields = () => picker.querySelectorAll("[name^='company_']");
    let timer = null;
    let asked = 0;

    function ask() {
      const params = new URLSearchParams();
      fields().forEach((input) => { if (input.value) params.set(input.name, input.value); });
      const name = params.get("company_name") || "";
      if (name.trim().length < 2 || !navigator.onLine) { hints.textContent = ""; return; }
      const mine = ++asked;
      fetch(hintsUrl + "?" + params.toString(), { credentials: "same-origin" })
        .then((response) => (response.ok ? response.text() : ""))
        .then((html) => { if (mine === asked) hints.innerHTML = html; })
        .catch(() => { hints.textContent = ""; });
    }

    picker.addEventListener("input", (event) => {
      if (!event.target.name || !event.target.name.startsWith("company_")) return;
      clearTimeout(timer);
      timer = setTimeout(ask, 300);
    });
    picker.addEventListener("click", (event) => {
      const choice = event.target.closest("[data-pick-company]");
      if (choice) {
        pick(choice.dataset.pickCompany, choice.dataset.pickLabel);
        picked.querySelector("[data-unpick]").focus();
      } else if (event.target.closest("[data-unpick]")) {
        unpick();
        picker.querySelector("[name='company_name']").focus();
      }
    });

    function pick(id, label) {
      idInput.value = id;
      pickedLabel.textContent = label;
      picked.hidden = false;
      typed.hidden = true;
      hints.textContent = "";
    }
    function unpick() {
      idInput.value = "";
      picked.hidden = true;
      typed.hidden = false;
    }
    // Booth mode puts a queued capture back into the form to correct it.
    picker.pick = pick;
    picker.unpick = unpick;
  }

  function start() { document.querySelectorAll("[data-company-picker]").forEach(setup); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
