// A table wider than the screen scrolls inside its DSFR container: make that container
// reachable by keyboard and named after the table's caption (WCAG 2.1.1, axe
// "scrollable-region-focusable"). Runs after the DSFR script has wrapped the tables.
(function () {
  "use strict";
  function label(container) {
    var caption = container.querySelector("caption");
    return caption ? caption.textContent.trim() : "";
  }
  function update() {
    document.querySelectorAll(".fr-table__container, .fr-table__wrapper, .fr-table").forEach(function (el) {
      var scrollable = el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1;
      if (scrollable && getComputedStyle(el).overflowX !== "visible") {
        el.setAttribute("tabindex", "0");
        el.setAttribute("role", "region");
        if (label(el)) el.setAttribute("aria-label", label(el));
      }
    });
  }
  window.addEventListener("load", function () { update(); setTimeout(update, 200); });
  window.addEventListener("resize", update);
})();

// « Cocher tous les dossiers de la page »: the header's box ticks every row's box.
document.querySelectorAll("[data-select-all]").forEach(function (all) {
  var table = all.closest("table");
  all.addEventListener("change", function () {
    table.querySelectorAll("tbody input[type=checkbox]").forEach(function (box) {
      box.checked = all.checked;
    });
  });
});
