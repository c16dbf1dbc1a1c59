// Draws the what-if chart from the JSON data block the page carries (no inline script: the CSP forbids it).
(function () {
  "use strict";
  var data = document.getElementById("whatif-data");
  var box = document.getElementById("whatif-chart");
  if (!data || !box || !window.echarts) { return; }
  var values = JSON.parse(data.textContent);
  var chart = window.echarts.init(box, null, { renderer: "svg" });
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { data: ["新增符合", "不再符合"] },
    grid: { left: 40, right: 16, bottom: 80 },
    xAxis: { type: "category", data: values.groups, axisLabel: { rotate: 40 } },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: "新增符合", type: "bar", data: values.gained, itemStyle: { color: "#1e7b34" } },
      { name: "不再符合", type: "bar", data: values.lost, itemStyle: { color: "#b42318" } }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
