// Organisation form: once a SIRET is typed (or « Rechercher » pressed), ask Ruche's JSON
// endpoint what the company directory knows and fill the fields that are still empty; the
// outcome is written in the live region under the button, so screen readers hear it.
// Without JavaScript the button posts the form and the server does the same.
(function () {
  "use strict";
  var form = document.querySelector("form[data-company-lookup]");
  if (!form) return;
  var siret = form.elements.namedItem("siret");
  var button = form.querySelector("[data-company-lookup-button]");
  var status = document.getElementById("company-lookup-status");
  var lastAsked = null;

  function say(level, text) {
    status.replaceChildren();
    var alert = document.createElement("div");
    alert.className = "fr-alert fr-alert--sm fr-alert--" + level;
    var p = document.createElement("p");
    p.textContent = text;
    alert.append(p);
    status.append(alert);
  }

  function fill(values) {
    Object.keys(values).forEach(function (name) {
      var field = form.elements.namedItem(name);
      if (!field || field.disabled || field.value.trim() !== "") return;
      if (field.tagName === "SELECT" && !Array.from(field.options).some(function (option) {
        return option.value === values[name];
      })) return;
      field.value = values[name];
      field.dispatchEvent(new Event("change", {bubbles: true}));
    });
  }

  function lookUp() {
    if (button.getAttribute("aria-disabled") === "true") return;
    var value = siret.value;
    lastAsked = value.replace(/\s/g, "");
    say("info", form.dataset.lookupPending);
    button.setAttribute("aria-disabled", "true");
    var url = form.dataset.companyLookup + "?" + new URLSearchParams({siret: value});
    fetch(url, {headers: {Accept: "application/json"}, credentials: "same-origin"})
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (answer) {
        fill(answer.values);
        say(answer.level, answer.message);
      })
      .catch(function () { say("warning", form.dataset.lookupFailed); })
      .finally(function () { button.removeAttribute("aria-disabled"); });
  }

  button.addEventListener("click", function (event) {
    event.preventDefault();
    lookUp();
  });
  // Enter in the SIRET field searches; elsewhere it saves the form, as usual.
  siret.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") return;
    event.preventDefault();
    lookUp();
  });
  siret.addEventListener("change", function () {
    var digits = siret.value.replace(/\s/g, "");
    if (/^\d{14}$/.test(digits) && digits !== lastAsked) lookUp();
  });
})();
