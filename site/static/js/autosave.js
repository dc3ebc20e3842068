// Saves the draft on the server while the applicant types, shows when it last saved, and
// never loses input: if a save fails (network, expired session) the form data is kept in
// this browser and restored on the next visit of the page.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form) return;
  var status = document.querySelector("[data-autosave-status]");
  var alertBox = document.querySelector("[data-autosave-error]");
  var key = "ruche-draft:" + location.pathname;
  var fr = document.documentElement.lang !== "en";
  var timer = null, dirty = false;

  function entries() {
    var data = new FormData(form), out = [];
    data.forEach(function (value, name) { if (typeof value === "string") out.push([name, value]); });
    return out;
  }

  function restore() {
    var saved = localStorage.getItem(key);
    if (!saved) return;
    saved = JSON.parse(saved);
    saved.forEach(function (pair) {
      var match = /^(.*)-TOTAL_FORMS$/.exec(pair[0]);
      if (match && window.rucheRows) window.rucheRows.ensure(match[1], parseInt(pair[1], 10));
    });
    saved.forEach(function (pair) {
      var field = form.elements[pair[0]];
      if (!field || pair[0] === "csrfmiddlewaretoken") return;
      if (/-TOTAL_FORMS$/.test(pair[0])) return;
      if (field instanceof RadioNodeList || field.type === "checkbox" || field.type === "radio") return;
      field.value = pair[1];
    });
    dirty = true;
    schedule();
  }

  function save() {
    timer = null;
    if (!dirty) return;
    dirty = false;
    var body = new FormData(form);
    fetch(location.pathname, {
      method: "POST", body: body, credentials: "same-origin",
      headers: {"X-Autosave": "1"}, redirect: "error"
    }).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    }).then(function (result) {
      localStorage.removeItem(key);
      alertBox.hidden = true;
      var at = new Date(result.saved_at);
      status.textContent = (fr ? "Brouillon enregistré à " : "Draft saved at ") +
        at.toLocaleTimeString(fr ? "fr-FR" : "en-GB", {hour: "2-digit", minute: "2-digit"}) + ".";
    }).catch(function () {
      localStorage.setItem(key, JSON.stringify(entries()));
      alertBox.hidden = false;
    });
  }

  function schedule() {
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, 2000);
  }

  form.addEventListener("input", function () { dirty = true; schedule(); });
  form.addEventListener("change", function () { dirty = true; schedule(); });
  form.addEventListener("submit", function () { localStorage.removeItem(key); });
  restore();
})();

// One click submits once: the button is disabled as soon as the form leaves.
document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
  form.addEventListener("submit", function () {
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
  });
});

// Attachments go up as soon as they are chosen; a file over the limit is stopped here,
// before a long upload, with the limit in the message (the server checks again).
document.querySelectorAll("form[data-upload]").forEach(function (form) {
  var input = form.querySelector("input[type=file]");
  if (!input) return;
  input.addEventListener("change", function () {
    var file = input.files[0];
    if (!file) return;
    var maxMb = parseInt(input.dataset.maxMb, 10);
    var old = form.querySelector(".fr-error-text");
    if (old) old.remove();
    if (maxMb && file.size > maxMb * 1024 * 1024) {
      var error = document.createElement("p");
      error.className = "fr-error-text";
      error.id = input.id + "-error";
      error.textContent = (document.documentElement.lang === "en" ?
        "This file exceeds the maximum size of " : "Ce fichier dépasse la taille maximale de ") +
        maxMb + " Mo.";
      input.setAttribute("aria-describedby", error.id);
      input.after(error);
      input.value = "";
      return;
    }
    form.submit();
  });
});
