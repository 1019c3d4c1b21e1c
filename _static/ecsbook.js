/* ECS by Doing: small accessibility fixes to the theme's markup (added to every page).
   The book navigation's expand/collapse toggles are <summary> elements holding only an icon;
   a screen reader announces them as an unnamed control (axe: summary-name, serious). Name
   each after the section it opens. The sidebar's book title sits outside any landmark (axe:
   region): the sidebar becomes the book's navigation landmark. */
(function () {
  "use strict";
  function nameToggles() {
    Array.prototype.forEach.call(document.querySelectorAll("details > summary"), function (s) {
      if (s.textContent.trim() || s.hasAttribute("aria-label")) return;
      var item = s.parentElement.parentElement;
      var link = item && item.querySelector(":scope > a");
      var what = link ? link.textContent.trim() : "this section";
      s.setAttribute("aria-label", "Show or hide the pages in " + what);
    });
  }
  function landmarks() {
    var side = document.getElementById("pst-primary-sidebar");
    if (side && !side.hasAttribute("role")) {
      side.setAttribute("role", "navigation");
      side.setAttribute("aria-label", "Book");
    }
  }
  function fix() { nameToggles(); landmarks(); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fix);
  } else {
    fix();
  }
})();
