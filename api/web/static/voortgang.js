// Progress of a replay (/replay/{id} while the job runs): every few seconds the page asks for itself again (fetch,
// same session), updates the progress bar and the status line (role="status", read out politely by a screen
// reader), and once the job has finished puts the report in place of the progress. Nothing reloads under the
// user's hands; without JavaScript the "Ververs" link on the page does the same by hand.
(function () {
  "use strict";
  var sectie = document.querySelector("[data-voortgang]");
  if (!sectie || !window.fetch || !window.DOMParser) { return; }
  var wacht = Math.max(1, Number(sectie.getAttribute("data-ververs")) || 2) * 1000;

  function tekstVan(selector, nieuw) {
    // the text changes inside the live region that stays, so a screen reader reads out the new count
    var oud = document.querySelector(selector), daar = nieuw.querySelector(selector);
    if (oud && daar && oud.textContent !== daar.textContent) { oud.textContent = daar.textContent; }
  }

  function kijk() {
    fetch(window.location.pathname, { credentials: "same-origin", cache: "no-store", headers: { Accept: "text/html" } })
      .then(function (antwoord) {
        if (antwoord.redirected || !antwoord.ok) { window.location.reload(); return null; }  // signed out, an error
        return antwoord.text();
      })
      .then(function (tekst) {
        if (tekst === null) { return; }
        var nieuw = new DOMParser().parseFromString(tekst, "text/html");
        var main = nieuw.getElementById("inhoud");
        if (!main) { window.location.reload(); return; }
        if (nieuw.querySelector("[data-voortgang]")) {  // still running
          var balk = document.getElementById("voortgang"), nieuweBalk = nieuw.getElementById("voortgang");
          if (balk && nieuweBalk) { balk.replaceWith(nieuweBalk); }
          tekstVan("#voortgang-status label", nieuw);
          window.setTimeout(kijk, wacht);
          return;
        }
        // Finished (or failed): the report in place of the progress, focus on its heading when it was in the page.
        var hier = document.getElementById("inhoud");
        var focusInPagina = !document.activeElement || document.activeElement === document.body ||
          hier.contains(document.activeElement);
        hier.replaceWith(main);
        document.title = nieuw.title;
        var kop = main.querySelector("h1");
        if (kop && focusInPagina) { kop.setAttribute("tabindex", "-1"); kop.focus(); }
      })
      .catch(function () { window.setTimeout(kijk, wacht); });  // the network: try again
  }

  window.setTimeout(kijk, wacht);
})();
