// Panels folded on small screens: a <details data-fold-below="768" open> closes when the
// viewport is narrower than that many pixels (the filters of the catalogue on a phone), and
// stays open on larger screens. Without JavaScript the panel stays open.
(function () {
  "use strict";
  document.querySelectorAll("details[data-fold-below]").forEach(function (panel) {
    var query = window.matchMedia("(max-width: " + (parseInt(panel.dataset.foldBelow, 10) - 1) + "px)");
    function apply() { panel.open = !query.matches; }
    apply();
    query.addEventListener("change", apply);
  });
})();
