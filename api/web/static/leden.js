// "Gezinslid toevoegen/verwijderen": without JavaScript the form still works with its empty rows.
(function () {
  "use strict";
  var lijst = document.getElementById("ledenlijst");
  var toevoegen = document.getElementById("lid-toevoegen");
  if (!lijst || !toevoegen) { return; }
  var MAX = 30;

  function nummer() {
    lijst.querySelectorAll("fieldset.lid").forEach(function (lid, n) {
      lid.querySelector("legend").textContent = "Gezinslid " + (n + 1);
      lid.querySelector("button.verwijder").textContent = "Gezinslid " + (n + 1) + " verwijderen";
    });
  }

  function koppel(lid) {
    var knop = lid.querySelector("button.verwijder");
    knop.hidden = false;
    knop.addEventListener("click", function () {
      if (lijst.querySelectorAll("fieldset.lid").length > 1) { lid.remove(); nummer(); toevoegen.focus(); }
    });
  }

  lijst.querySelectorAll("fieldset.lid").forEach(koppel);
  toevoegen.hidden = false;
  toevoegen.addEventListener("click", function () {
    var leden = lijst.querySelectorAll("fieldset.lid");
    var hoogste = -1;
    leden.forEach(function (l) { hoogste = Math.max(hoogste, parseInt(l.dataset.lid, 10)); });
    var index = hoogste + 1;
    if (index >= MAX) { return; }
    var oud = "leden-" + hoogste + "-";
    var kopie = leden[leden.length - 1].cloneNode(true);
    kopie.dataset.lid = String(index);
    kopie.querySelectorAll("[id],[name],[for],[aria-describedby]").forEach(function (el) {
      ["id", "name", "for"].forEach(function (a) {
        var v = el.getAttribute(a);
        if (v) { el.setAttribute(a, v.split(oud).join("leden-" + index + "-")); }
      });
      el.removeAttribute("aria-invalid");
      // the copied errors go; the help texts stay, pointing at the new row's own copies (hulp-leden-<index>-...)
      var beschreven = (el.getAttribute("aria-describedby") || "").split(" ").filter(function (x) {
        return x && x.indexOf("fout-") !== 0;
      }).map(function (x) { return x.split(oud).join("leden-" + index + "-"); });
      if (beschreven.length) { el.setAttribute("aria-describedby", beschreven.join(" ")); } else { el.removeAttribute("aria-describedby"); }
    });
    kopie.querySelectorAll("p.fout").forEach(function (p) { p.remove(); });
    kopie.querySelectorAll("input[type=text]").forEach(function (el) { el.value = ""; });
    kopie.querySelectorAll("select").forEach(function (el) { el.value = ""; });
    kopie.querySelectorAll("input[type=checkbox]").forEach(function (el) { el.checked = el.defaultChecked = /in_beeld|meewerkend$/.test(el.name); });
    lijst.appendChild(kopie);
    koppel(kopie);
    nummer();
    kopie.querySelector("input[type=text]").focus();
  });
}());
