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

  function visible(element) {
    return element && element.getClientRects().length > 0;
  }

  // "/" goes to the page's own search (a list's filter) where there is one, else to the
  // global search in the top bar.
  function searchField() {
    var own = Array.prototype.filter.call(document.querySelectorAll("[data-page-search]"), visible);
    return own[0] || document.getElementById("global-search-input");
  }

  // A table wider than its box scrolls sideways; the keyboard must reach it as well
  // (WCAG 2.1.1), so it becomes a named, focusable region while it scrolls.
  function markScrollRegions(root) {
    (root || document).querySelectorAll(".table-wrap").forEach(function (wrap) {
      if (wrap.hasAttribute("tabindex") && !wrap.hasAttribute("data-scroll-region")) return;
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      if (scrolls && !wrap.hasAttribute("data-scroll-region")) {
        wrap.setAttribute("data-scroll-region", "");
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        var section = wrap.closest("[aria-labelledby]");
        var caption = wrap.querySelector("caption");
        if (section) wrap.setAttribute("aria-labelledby", section.getAttribute("aria-labelledby"));
        else if (caption) wrap.setAttribute("aria-label", caption.textContent.trim());
        else wrap.setAttribute("aria-label", document.title.split(" · ")[0]);
      } else if (!scrolls && wrap.hasAttribute("data-scroll-region")) {
        ["data-scroll-region", "tabindex", "role", "aria-labelledby", "aria-label"].forEach(
          function (name) { wrap.removeAttribute(name); });
      }
    });
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target.closest && target.closest("input, textarea, select, [contenteditable]");
    var modifier = event.ctrlKey || event.metaKey || event.altKey;
    if (event.key === "/" && !typing && !modifier && !document.querySelector("dialog[open]")) {
      var search = searchField();
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
      if (dialog) {
        dialog.showModal();
        var first = dialog.querySelector("input, select, textarea");
        if (first) first.focus();
        // A dialog whose content is fetched when it opens (hx-trigger="dialog-open …").
        dialog.dispatchEvent(new CustomEvent("dialog-open"));
      }
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
    markScrollRegions();
    var pending = null;
    window.addEventListener("resize", function () {
      cancelAnimationFrame(pending);
      pending = requestAnimationFrame(function () { markScrollRegions(); });
    });
    var toggle = document.getElementById("sidebar-toggle");
    if (toggle) {
      var app = document.querySelector(".app");
      var show = function (collapsed) {
        app.classList.toggle("sidebar-collapsed", collapsed);
        toggle.setAttribute("aria-expanded", collapsed ? "false" : "true");
        markScrollRegions();
      };
      show(localStorage.getItem("sidebar-collapsed") === "1");
      toggle.addEventListener("click", function () {
        var collapsed = !app.classList.contains("sidebar-collapsed");
        show(collapsed);
        localStorage.setItem("sidebar-collapsed", collapsed ? "1" : "0");
      });
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    focusFirstInvalid(target);
    if (target.hasAttribute("data-focus-on-load")) {
      var field = target.querySelector("input:not([type=hidden]), select, textarea");
      if (field) field.focus();
    }
    // No hits for an empty query (e.g. after Esc cleared the field): truly empty, so that
    // .search-dropdown:empty hides the box instead of showing an empty frame.
    if (target.id === "global-search-results" && !target.children.length && !target.textContent.trim()) {
      target.innerHTML = "";
    }
  });

  // After the swapped content is laid out (lazy panels, list results).
  document.addEventListener("htmx:afterSettle", function () { markScrollRegions(); });
})();
