// Keyboard and focus behaviour of the workbench (UI.md § Interaction). No build step.
(function () {
  "use strict";

  function focusFirstInvalid(root) {
    var invalid = (root || document).querySelector('[aria-invalid="true"]');
    if (invalid) invalid.focus();
  }

  function hideToasts() {
    document.querySelectorAll(".toast").forEach(function (toast) {
      setTimeout(function () { toast.remove(); }, 5000);
    });
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target.closest && target.closest("input, textarea, select, [contenteditable]");
    if (event.key === "/" && !typing) {
      var search = document.getElementById("global-search-input");
      if (search) { event.preventDefault(); search.focus(); search.select(); }
    }
    if (event.key === "Escape") {
      var dropdown = document.getElementById("global-search-results");
      if (dropdown) dropdown.innerHTML = "";
      document.querySelectorAll("dialog[open]").forEach(function (d) { d.close(); });
    }
  });

  document.addEventListener("click", function (event) {
    var opener = event.target.closest("[data-open-dialog]");
    if (opener) {
      var dialog = document.getElementById(opener.getAttribute("data-open-dialog"));
      if (dialog) { dialog.showModal(); var first = dialog.querySelector("input, select, textarea"); if (first) first.focus(); }
      return;
    }
    var toast = event.target.closest(".toast");
    if (toast) { toast.remove(); return; }
    var closer = event.target.closest("[data-close-dialog]");
    if (closer) { closer.closest("dialog").close(); return; }
    var row = event.target.closest("tr[data-href]");
    if (row && !event.target.closest("a, button, input")) { window.location = row.getAttribute("data-href"); }
    if (!event.target.closest(".global-search")) {
      var results = document.getElementById("global-search-results");
      if (results) results.innerHTML = "";
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    focusFirstInvalid();
    hideToasts();
    var toggle = document.getElementById("sidebar-toggle");
    if (toggle) {
      var app = document.querySelector(".app");
      if (localStorage.getItem("sidebar-collapsed") === "1") app.classList.add("sidebar-collapsed");
      toggle.addEventListener("click", function () {
        app.classList.toggle("sidebar-collapsed");
        var collapsed = app.classList.contains("sidebar-collapsed");
        toggle.setAttribute("aria-expanded", collapsed ? "false" : "true");
        localStorage.setItem("sidebar-collapsed", collapsed ? "1" : "0");
      });
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    focusFirstInvalid(event.detail.target);
  });
})();
