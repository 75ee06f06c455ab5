/* The call screen without the mouse: "n" presses "next call", a number key picks the
   outcome, Esc goes back to the list. The fields an outcome needs show when it is chosen. */
(function () {
  "use strict";

  var RENEW_EVERY_MS = 5 * 60 * 1000;  // the reservation lasts 20 minutes

  function typing(target) {
    return target.closest && target.closest("input[type=text], input[type=search], input[type=datetime-local], input[type=date], input[type=number], input:not([type]), textarea, select, [contenteditable]");
  }

  function showFieldsOf(outcome) {
    document.querySelectorAll("[data-for-outcome]").forEach(function (block) {
      var wanted = block.getAttribute("data-for-outcome").split(" ");
      var invalid = block.querySelector("[aria-invalid=true]");
      block.hidden = !invalid && wanted.indexOf(outcome) === -1;
    });
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || document.querySelector("dialog[open]")) return;
    if (event.key === "Escape") {
      var back = document.querySelector("a[data-key=Escape]");
      if (back && (!typing(event.target) || event.target.value === "")) { window.location = back.href; }
      return;
    }
    if (typing(event.target)) return;
    var target = document.querySelector("[data-key='" + (event.key === "N" ? "n" : event.key) + "']");
    if (!target) return;
    event.preventDefault();
    if (target.type === "radio") {
      target.checked = true;
      target.focus();
      target.dispatchEvent(new Event("change", { bubbles: true }));
    } else {
      target.click();
    }
  });

  document.addEventListener("change", function (event) {
    if (event.target.name === "outcome") showFieldsOf(event.target.value);
  });

  // A long call keeps its contact: the reservation is renewed every few minutes while the
  // screen is open, and the rep is told at once if a colleague has taken him over.
  function keepReservation(form, timer) {
    var data = new FormData();
    data.append("reservation", form.querySelector("input[name=reservation]").value);
    fetch(form.getAttribute("data-renew-url"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": form.querySelector("input[name=csrfmiddlewaretoken]").value },
    }).then(function (response) {
      // Logged out or the page gone: say so rather than renew in silence.
      if (!response.ok || response.redirected) return { held: false, message: form.getAttribute("data-renew-failed") };
      return response.json();
    }).then(function (answer) {
      if (answer.held) return;
      clearInterval(timer);
      var note = document.getElementById("reservation-lost");
      note.textContent = answer.message;
      note.hidden = false;
    }).catch(function () { /* offline for a moment: the next round tries again */ });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var outcomeForm = document.querySelector("form[data-renew-url]");
    if (outcomeForm) {
      var timer = setInterval(function () { keepReservation(outcomeForm, timer); }, RENEW_EVERY_MS);
    }
    var chosen = document.querySelector("input[name=outcome]:checked");
    if (document.querySelector("[data-for-outcome]")) showFieldsOf(chosen ? chosen.value : "");
  });
})();
