// Small page behaviour only; every figure is computed on the server (HTMX recompute).
(function () {
  "use strict";
  var dirty = false;
  document.addEventListener("input", function (e) {
    if (e.target.closest && e.target.closest("#sheet-form")) { dirty = true; }
  });
  document.addEventListener("submit", function (e) {
    if (e.target.id === "sheet-form") { dirty = false; }
  });
  window.addEventListener("beforeunload", function (e) {
    if (dirty) { e.preventDefault(); e.returnValue = ""; }
  });
  // A "select all" box ticks every checkbox of its name (no inline handlers: the CSP allows none).
  document.addEventListener("change", function (e) {
    var name = e.target.getAttribute && e.target.getAttribute("data-select-all");
    if (!name) { return; }
    document.querySelectorAll("input[type=checkbox][name='" + name + "']").forEach(function (b) {
      b.checked = e.target.checked;
    });
  });
  // Confirm state changes that cannot be undone by the unit itself.
  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("[data-confirm]");
    if (b && !window.confirm(b.getAttribute("data-confirm"))) { e.preventDefault(); }
  });
})();
