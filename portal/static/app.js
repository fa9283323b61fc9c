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

// The person picker (templates/macros/_person_picker.html): a ticked suggestion moves into the chosen list, an
// unticked chosen person leaves it (in a `data-single` picker a new tick replaces the chosen one); the search box is
// cleared for the next surname.
document.addEventListener("change", function (event) {
  var box = event.target;
  var picker = box.closest && box.closest("[data-person-picker]");
  if (!picker || box.type !== "checkbox") { return; }
  var chosen = picker.querySelector("[data-person-chosen]");
  var item = box.closest("label");
  if (box.checked && item && !chosen.contains(item)) {
    if (picker.hasAttribute("data-single")) { chosen.innerHTML = ""; }
    item.className = "badge text-bg-light border fw-normal fs-6 person-chosen";
    var extra = item.querySelector(".text-muted");
    if (extra) { extra.remove(); }
    chosen.appendChild(item);
    var search = picker.querySelector("input[type=search]");
    if (search) { search.value = ""; search.focus(); }
    picker.querySelector("[data-person-suggestions]").innerHTML = "";
  } else if (!box.checked && item && chosen.contains(item)) {
    item.remove();
  }
});

// A table wider than its wrapper scrolls inside `.table-responsive`: such a wrapper takes the keyboard focus
// (arrow keys scroll it) and is named for screen readers; one that fits is left out of the tab order.
(function () {
  function mark() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        if (box.hasAttribute("data-scrolls")) { return; }
        box.setAttribute("data-scrolls", "");
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", "Таблица, прокручивается по горизонтали");
      } else if (box.hasAttribute("data-scrolls")) {
        box.removeAttribute("data-scrolls");
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }
  var timer = null;
  document.addEventListener("DOMContentLoaded", mark);
  document.addEventListener("htmx:afterSettle", mark);
  window.addEventListener("resize", function () { clearTimeout(timer); timer = setTimeout(mark, 100); });
})();
