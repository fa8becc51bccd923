/* KruPD charts (Chart.js). A page draws a chart with
 *
 *   {{ data|json_script:"chart-data" }}
 *   <canvas data-chart="pni" data-chart-data="chart-data"></canvas>
 *
 * data-chart names one of the set-ups below; data-chart-data is the id of the JSON element
 * (a <script type="application/json"> is data, not code, so the CSP allows it). Load this
 * file after Chart.js, both deferred: templates/_charts.html does that.
 */
(function () {
  "use strict";

  var BLUE = "#5b8cc0";
  var RED = "#c62828";
  var AMBER = "#e0a100";

  var setups = {
    /* reporting dashboard: one KPI's yearly values (or growth) against its target line */
    "kpi-trend": function (d, canvas) {
      var k = d.kpis[+canvas.dataset.index];
      var growth = k.kind === "growth";
      return {
        type: "bar",
        data: {
          labels: d.years,
          datasets: [
            {type: "bar", label: growth ? "เพิ่มขึ้น (%)" : "ค่า", data: growth ? k.growth : k.values, backgroundColor: BLUE},
            {type: "line", label: "เป้าหมาย", data: d.years.map(function () { return k.target; }), borderColor: RED, borderDash: [4, 3], pointRadius: 0, fill: false},
          ],
        },
        options: {animation: false, responsive: true, plugins: {legend: {display: false}}, scales: {y: {beginAtZero: true}}},
      };
    },

    /* oversight: one KPI across the offices (or provinces, regions) compared, with the target */
    "compare-offices": function (d, canvas) {
      var k = d.kpis[+canvas.dataset.index];
      return {
        type: "bar",
        data: {
          labels: d.labels,
          datasets: [
            {type: "bar", label: k.unit === "%" ? "ร้อยละ" : k.unit, data: k.values, backgroundColor: BLUE},
            {type: "line", label: "เป้าหมาย", data: d.labels.map(function () { return k.target; }), borderColor: RED, borderDash: [4, 3], pointRadius: 0, fill: false},
          ],
        },
        options: {indexAxis: "y", animation: false, responsive: true, maintainAspectRatio: false, plugins: {legend: {display: false}}, scales: {x: {beginAtZero: true}}},
      };
    },

    /* planning needs: the top PNI values, one horizontal bar each */
    "pni": function (d) {
      if (!d.labels.length) return null;
      return {
        type: "bar",
        data: {labels: d.labels, datasets: [{label: "PNI", data: d.pni, backgroundColor: RED}]},
        options: {indexAxis: "y", animation: false, plugins: {legend: {display: false}}},
      };
    },

    /* staffing office: teachers by learning area, stacked by school level, beside the demand */
    "staffing-areas": function (d) {
      var colors = ["#0f3d62", BLUE, "#9bbbe0"];
      var datasets = d.levels.map(function (lv, i) {
        return {label: "มีจริง " + lv, data: d.actual.map(function (r) { return r[i]; }), backgroundColor: colors[i % 3], stack: "actual"};
      });
      datasets.push({label: "ความต้องการ (ร.ร.ขาด)", data: d.areas.map(function (a) { return d.demand[a] || 0; }), backgroundColor: RED, stack: "demand"});
      return {
        type: "bar",
        data: {labels: d.areas, datasets: datasets},
        options: {indexAxis: "y", responsive: true, animation: false, scales: {x: {stacked: true}, y: {stacked: true}}, plugins: {legend: {position: "bottom"}}},
      };
    },

    /* staffing schools: shortage (−, red) or surplus (+, amber) per school */
    "staffing-schools": function (d) {
      return {
        type: "bar",
        data: {labels: d.labels, datasets: [{label: "ขาด (−) / เกิน (+)", data: d.diff, backgroundColor: d.diff.map(function (v) { return v < 0 ? RED : AMBER; })}]},
        options: {indexAxis: "y", maintainAspectRatio: false, animation: false, plugins: {legend: {display: false}}},
      };
    },

    /* staffing retirements: people retiring per fiscal year and the positions left short */
    "retirements": function (d) {
      return {
        type: "bar",
        data: {
          labels: d.years,
          datasets: [
            {label: "เกษียณ (คน)", data: d.retiring, backgroundColor: BLUE},
            {label: "ขาดถ้าไม่มีผู้มาแทน (อัตรา)", data: d.short, backgroundColor: RED},
          ],
        },
        options: {animation: false, plugins: {legend: {position: "bottom"}}},
      };
    },
  };

  function drawAll() {
    if (!window.Chart) return;
    // Canvas text does not fall back through CSS: name the page's Thai font, or labels in Thai
    // show as empty boxes on a machine without a Thai system font.
    window.Chart.defaults.font.family = window.getComputedStyle(document.body).fontFamily;
    var parsed = {};
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var setup = setups[canvas.dataset.chart];
      var source = document.getElementById(canvas.dataset.chartData || "chart-data");
      if (!setup || !source) return;
      if (!(source.id in parsed)) parsed[source.id] = JSON.parse(source.textContent);
      var config = setup(parsed[source.id], canvas);
      if (config) new window.Chart(canvas, config);
    });
  }

  // Draw once the web font is loaded, so the first paint already uses it.
  function drawWhenFontsReady() {
    if (document.fonts && document.fonts.ready) {
      document.fonts.ready.then(drawAll);
    } else {
      drawAll();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawWhenFontsReady);
  } else {
    drawWhenFontsReady();
  }
})();
