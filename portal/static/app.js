// Behaviour that would otherwise need inline script (forbidden by the CSP).
document.addEventListener("DOMContentLoaded", function () {
  document.body.addEventListener("click", function (event) {
    var el = event.target.closest("[data-confirm]");
    if (el && !window.confirm(el.getAttribute("data-confirm"))) { event.preventDefault(); }
  });
});
