// Draws the reporting charts from the page's JSON data block (no inline script: the CSP forbids it). A bar of the
// sub-region comparison opens that sub-region's dashboard (drill-down by region).
(function () {
  "use strict";
  var data = document.getElementById("reporting-data");
  if (!data || !window.echarts) { return; }
  var values = JSON.parse(data.textContent);
  var format = function (v) { return v === null ? "—" : (values.rate ? (v * 100).toFixed(1) + "%" : v); };
  var charts = [];
  var trendBox = document.getElementById("reporting-trend");
  if (trendBox) {
    var trend = window.echarts.init(trendBox, null, { renderer: "svg" });
    trend.setOption({
      tooltip: { trigger: "axis", valueFormatter: format },
      grid: { left: 60, right: 16, bottom: 60 },
      xAxis: { type: "category", data: values.trend.periods, axisLabel: { rotate: 30 } },
      yAxis: { type: "value", axisLabel: { formatter: format } },
      series: [{ name: values.label, type: "line", data: values.trend.values, itemStyle: { color: "#1f5fa8" } }]
    });
    charts.push(trend);
  }
  var compareBox = document.getElementById("reporting-comparison");
  if (compareBox && values.comparison.regions.length) {
    var compare = window.echarts.init(compareBox, null, { renderer: "svg" });
    compare.setOption({
      tooltip: { trigger: "axis", valueFormatter: format },
      grid: { left: 60, right: 16, bottom: 80 },
      xAxis: { type: "category", data: values.comparison.regions, axisLabel: { rotate: 40 } },
      yAxis: { type: "value", axisLabel: { formatter: format } },
      series: [{ name: values.label, type: "bar", data: values.comparison.values, itemStyle: { color: "#1e7b34" } }]
    });
    compare.on("click", function (params) {
      var link = values.comparison.links[params.dataIndex];
      if (link) { window.location.href = link; }
    });
    charts.push(compare);
  }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
