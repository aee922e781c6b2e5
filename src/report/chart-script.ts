// The report's own script, run after the inlined chart.js: it draws every chart whose configuration the
// page's JSON data block holds into the canvas of the same id. Configurations are plain JSON built (and
// type-checked) in TypeScript, so this stays small and generic. When done it marks <html> with how many
// charts it drew and when, which is what the browser tests and the bench wait for.
//
// Kept as a string, not a function's source: tsx's transform can add helpers to a function that do not
// exist in the page.

export const CHART_SCRIPT = `(function () {
  "use strict";
  var node = document.getElementById("report-data");
  if (node === null || typeof Chart !== "function") return;
  var data = JSON.parse(node.textContent);
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = "#2b3440";
  var drawn = 0;
  Object.keys(data.charts).forEach(function (id) {
    var canvas = document.getElementById(id);
    if (canvas instanceof HTMLCanvasElement) {
      new Chart(canvas, data.charts[id]);
      drawn++;
    }
  });
  var root = document.documentElement;
  root.setAttribute("data-charts-drawn", String(drawn));
  root.setAttribute("data-charts-ready-ms", String(performance.now()));
})();`;
