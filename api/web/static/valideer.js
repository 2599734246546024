// Validation as you go: after each change the form is checked by the server (POST /advies/valideer, the same
// model and messages as the API) and the errors of the fields already touched are shown next to them.
// Without JavaScript nothing changes: the server checks everything on submit.
(function () {
  "use strict";
  var form = document.getElementById("casusformulier");
  if (!form || !window.fetch || !window.FormData) { return; }
  var status = document.getElementById("valideer-status");
  var aangeraakt = {};
  var timer = null;
  var volgnummer = 0;

  function sleutel(el) {
    // radio and checkbox groups report their errors on the fieldset, whose id is the input's name
    var veld = (el.type === "radio" || el.type === "checkbox") && document.getElementById(el.name) &&
      document.getElementById(el.name).tagName === "FIELDSET" ? el.name : (el.id || el.name);
    return veld;
  }

  function foutIds(id) {
    var re = new RegExp("^fout-" + id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "(-\\d+)?$");
    return Array.prototype.filter.call(form.querySelectorAll("p.fout"), function (p) { return re.test(p.id); });
  }

  function toon(id, meldingen) {
    var el = document.getElementById(id);
    if (!el) { return; }
    foutIds(id).forEach(function (p) { p.remove(); });
    var beschreven = (el.getAttribute("aria-describedby") || "").split(" ").filter(function (x) {
      return x && x.indexOf("fout-" + id) !== 0;
    });
    // in a fieldset the errors go under its legend and its help text (the server puts them there too)
    var anker = el.tagName === "FIELDSET" ? (el.querySelector(":scope > .hulpblok") || el.querySelector("legend")) : el;
    meldingen.slice().reverse().forEach(function (m, n) {
      var p = document.createElement("p");
      var nummer = meldingen.length - n;
      p.className = "fout";
      p.id = "fout-" + id + (nummer > 1 ? "-" + nummer : "");
      p.innerHTML = '<span class="verborgen">Fout: </span>';
      p.appendChild(document.createTextNode(m));
      anker.insertAdjacentElement("afterend", p);
    });
    // errors first, then the help text, as the server writes aria-describedby
    beschreven = meldingen.map(function (m, n) { return "fout-" + id + (n > 0 ? "-" + (n + 1) : ""); }).concat(beschreven);
    if (meldingen.length) { el.setAttribute("aria-invalid", "true"); } else { el.removeAttribute("aria-invalid"); }
    if (beschreven.length) { el.setAttribute("aria-describedby", beschreven.join(" ")); } else { el.removeAttribute("aria-describedby"); }
  }

  function controleer() {
    var nummer = ++volgnummer;
    fetch(form.dataset.valideer, {
      method: "POST", credentials: "same-origin", body: new URLSearchParams(new FormData(form)),
      headers: { "Accept": "application/json" }
    }).then(function (r) { return r.ok ? r.json() : null; }).then(function (antwoord) {
      if (!antwoord || nummer !== volgnummer) { return; }
      var aantal = 0;
      Object.keys(aangeraakt).forEach(function (id) {
        var meldingen = antwoord.fouten[id] || [];
        aantal += meldingen.length;
        toon(id, meldingen);
      });
      if (status) { status.textContent = aantal ? aantal + (aantal === 1 ? " fout" : " fouten") + " in wat u invulde" : ""; }
    }).catch(function () { /* offline: the server checks on submit */ });
  }

  function gewijzigd(e) {
    var el = e.target;
    if (!el.name || el.name === "csrf") { return; }
    aangeraakt[sleutel(el)] = true;
    if (/^leden-/.test(el.name)) { aangeraakt.leden = true; }
    clearTimeout(timer);
    timer = setTimeout(controleer, 250);
  }

  form.addEventListener("change", gewijzigd);
  form.addEventListener("focusout", function (e) { if (e.target.type === "text" || e.target.type === "date") { gewijzigd(e); } });
}());
