// Behaviour that would otherwise need inline script (forbidden by the CSP).
document.addEventListener("DOMContentLoaded", function () {
  document.body.addEventListener("click", function (event) {
    var el = event.target.closest("[data-confirm]");
    if (el && !window.confirm(el.getAttribute("data-confirm"))) { event.preventDefault(); }
  });
});

// Charts: <canvas data-chart="line|bar" data-source="id of a <script type=application/json>">, drawn with the
// vendored Chart.js when the page includes it. Data comes as JSON, never as inline script.
document.addEventListener("DOMContentLoaded", function () {
  if (typeof Chart === "undefined") { return; }
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.getAttribute("data-source"));
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    new Chart(canvas, {
      type: canvas.getAttribute("data-chart"),
      data: {labels: data.labels, datasets: data.series.map(function (s) { return {label: s.label, data: s.data}; })},
      options: {animation: false, responsive: true, plugins: {legend: {position: "bottom"}}}
    });
  });
});

// A select marked data-autosubmit sends its form when changed (the year selector of per-year lists).
document.addEventListener("change", function (event) {
  var el = event.target.closest("select[data-autosubmit]");
  if (el && el.form) { el.form.requestSubmit(); }
});
