// After a form came back with errors (422), focus moves to its error summary, so keyboard and screen reader
// users land where the page says what to fix. The `autofocus` attribute alone is not enough: browsers skip
// it when the address has a fragment (#besluit), which the form uses to scroll to its own section.
(function () {
  "use strict";
  var kop = document.querySelector("[data-fokus]");
  if (kop && typeof kop.focus === "function") { kop.focus(); }
}());
