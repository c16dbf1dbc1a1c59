// Draws the business simulation chart from the page's JSON block (the CSP forbids inline script).
(function () {
  "use strict";
  var data = document.getElementById("sim-data");
  var box = document.getElementById("sim-chart");
  if (!data || !box || !window.echarts) { return; }
  var v = JSON.parse(data.textContent);
  var toNumber = function (list) { return list.map(function (x) { return Number(x); }); };
  var chart = window.echarts.init(box, null, { renderer: "svg" });
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { data: ["期末现金", "销量下降20%时期末现金", "月经营利润"] },
    grid: { left: 70, right: 16, bottom: 40 },
    xAxis: { type: "category", data: v.months.map(function (m) { return "第" + m + "月"; }) },
    yAxis: { type: "value", name: "元" },
    series: [
      { name: "期末现金", type: "line", data: toNumber(v.cash), itemStyle: { color: "#1f6feb" },
        markLine: { silent: true, data: [{ yAxis: 0 }], lineStyle: { color: "#b42318" } } },
      { name: "销量下降20%时期末现金", type: "line", data: toNumber(v.stress_cash), lineStyle: { type: "dashed" },
        itemStyle: { color: "#b54708" } },
      { name: "月经营利润", type: "bar", data: toNumber(v.profit), itemStyle: { color: "#1e7b34" } }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
