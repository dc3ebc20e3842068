// Repeatable rows (team, partners, budget lines): « Ajouter » inserts an empty row at once
// from the row template, « Supprimer » hides the row and ticks its deletion box, which the
// next save (or autosave) applies. Without JavaScript the same controls work through the
// server: the add button saves and comes back with one more row, the box deletes on save.
(function () {
  "use strict";
  var fr = document.documentElement.lang !== "en";

  function form(el) { return el.closest("form"); }
  function changed(el) { form(el).dispatchEvent(new Event("change", {bubbles: true})); }

  function enhanceDelete(row) {
    var group = row.querySelector("[data-row-delete]");
    if (!group || group.dataset.enhanced) return;
    group.dataset.enhanced = "1";
    var box = group.querySelector("input[type=checkbox]");
    var label = group.querySelector("label").textContent.trim();
    group.hidden = true;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "fr-btn fr-btn--tertiary-no-outline fr-btn--sm fr-icon-delete-line fr-btn--icon-left";
    button.textContent = fr ? "Supprimer" : "Remove";
    button.setAttribute("aria-label", label);
    group.after(button);
    if (box.checked) row.hidden = true;
    button.addEventListener("click", function () {
      var list = row.closest("[data-rows]");
      box.checked = true;
      row.hidden = true;
      changed(list);
      list.querySelector("[data-add-row]").focus();
    });
  }

  function addRow(list) {
    var total = list.querySelector("input[name$='-TOTAL_FORMS']");
    var index = parseInt(total.value, 10);
    var template = list.querySelector("template[data-row-template]");
    var html = template.innerHTML.replace(/__prefix__/g, index).replace(/__number__/g, index + 1);
    template.insertAdjacentHTML("beforebegin", html);
    total.value = index + 1;
    var row = template.previousElementSibling;
    enhanceDelete(row);
    var first = row.querySelector("input:not([type=checkbox]), select, textarea");
    if (first) first.focus();
    return row;
  }

  document.querySelectorAll("[data-rows]").forEach(function (list) {
    list.querySelectorAll("[data-row]").forEach(enhanceDelete);
    var add = list.querySelector("[data-add-row]");
    add.type = "button";
    add.addEventListener("click", function () { addRow(list); });
  });

  // Autosave restores typed text into rows that may not exist yet on this page.
  window.rucheRows = {
    ensure: function (prefix, count) {
      var list = document.querySelector("[data-rows='" + prefix + "']");
      if (!list) return;
      var total = list.querySelector("input[name$='-TOTAL_FORMS']");
      while (parseInt(total.value, 10) < count) addRow(list);
    }
  };
})();
