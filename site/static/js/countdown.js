// Keeps the server-rendered countdowns ("dans 3 jours") current while the page stays open.
(function () {
  "use strict";
  var fr = document.documentElement.lang !== "en";
  function label(ms) {
    if (ms <= 0) return fr ? "échéance passée" : "deadline passed";
    var s = Math.floor(ms / 1000), d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600),
        m = Math.floor((s % 3600) / 60);
    var prefix = fr ? "dans " : "in ";
    if (d >= 2) return prefix + d + (fr ? " jours" : " days");
    if (d === 1) return prefix + (fr ? "1 jour et " : "1 day and ") + h + " h";
    if (h >= 1) return prefix + h + " h " + String(m).padStart(2, "0") + " min";
    m = Math.max(m, 1);
    return prefix + m + (fr ? (m > 1 ? " minutes" : " minute") : (m > 1 ? " minutes" : " minute"));
  }
  function tick() {
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      el.textContent = label(new Date(el.dataset.countdown) - Date.now());
    });
  }
  setInterval(tick, 30000);
})();
