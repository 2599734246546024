// After a form came back with errors (422), focus moves to its error summary, so keyboard and screen reader
// users land where the page says what to fix. The `autofocus` attribute alone is not enough: browsers skip
// it when the address has a fragment, which the form uses to scroll to its own section. That fragment is the
// summary's focusable heading itself (#besluit-fouten, #review): scrolling to a fragment that cannot take the
// focus (a section) makes Chromium clear the focus again after this script ran
// (tests/web/test_browser_herindicatie.py checks document.activeElement).
(function () {
  "use strict";
  var kop = document.querySelector("[data-fokus]");
  if (kop && typeof kop.focus === "function") { kop.focus(); }
}());
