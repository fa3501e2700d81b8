// Draws each dashboard chart from the JSON the page carries (the same numbers as its table).
(function () {
  "use strict";
  var palette = ["#b3261e", "#2f5d8a", "#e08e0b", "#2e7d32", "#7d3c98", "#5f6b76", "#00838f"];
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var monthly = data.kind !== "compare";  // series over months or stations
    var datasets;
    var labels;
    if (monthly) {
      labels = data.labels;
      datasets = data.series.map(function (s, i) {
        return {label: s.label + "（" + s.unit + "）", data: s.values, backgroundColor: palette[i % palette.length],
                borderColor: palette[i % palette.length], fill: false, tension: 0};
      });
    } else {
      labels = data.series.map(function (s) { return s.label + "（" + s.unit + "）"; });
      datasets = data.columns.map(function (column, i) {
        return {label: column, data: data.series.map(function (s) { return s.values[i]; }),
                backgroundColor: i === 0 ? palette[0] : "#b8c2cc"};
      });
    }
    new Chart(canvas, {
      type: data.style === "line" ? "line" : "bar",
      data: {labels: labels, datasets: datasets},
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        scales: {x: {stacked: data.stacked}, y: {stacked: data.stacked, beginAtZero: true}},
        plugins: {legend: {position: "bottom"}}
      }
    });
  });
})();
