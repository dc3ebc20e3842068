// Suggestions as the visitor types in the catalogue's search box: project titles from
// the "suggestions/" endpoint fill the field's <datalist>. Without JavaScript the plain
// search still works.
(function () {
  "use strict";
  var input = document.querySelector("input[data-suggest-url]");
  if (!input || !window.fetch) return;
  var list = document.getElementById(input.getAttribute("list"));
  var url = input.getAttribute("data-suggest-url");
  var timer = null;
  var last = "";
  var controller = null;

  function fill(titles) {
    while (list.firstChild) list.removeChild(list.firstChild);
    titles.forEach(function (title) {
      var option = document.createElement("option");
      option.value = title; // text, never HTML
      list.appendChild(option);
    });
  }

  function ask(prefix) {
    if (controller) controller.abort();
    controller = window.AbortController ? new AbortController() : null;
    fetch(url + "?q=" + encodeURIComponent(prefix), {
      headers: { Accept: "application/json" },
      signal: controller ? controller.signal : undefined,
    })
      .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
      .then(function (data) { if (input.value.trim() === prefix) fill(data.suggestions || []); })
      .catch(function () { /* aborted or offline: keep the current list */ });
  }

  input.addEventListener("input", function () {
    var prefix = input.value.trim();
    if (prefix === last) return;
    last = prefix;
    clearTimeout(timer);
    if (prefix.length < 2) { fill([]); return; }
    timer = setTimeout(function () { ask(prefix); }, 200);
  });
})();
