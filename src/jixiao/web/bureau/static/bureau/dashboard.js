// Draws the dashboard's charts from the JSON the server embedded (#chart-data); every figure
// was computed on the server. Each chart can be saved as a PNG from its toolbox.
(function () {
  "use strict";
  function start() {
    var el = document.getElementById("chart-data");
    if (!el || !window.echarts) { return; }
    var data = JSON.parse(el.textContent);
    var font = { fontFamily: "Noto Sans CJK SC, WenQuanYi Zen Hei, Microsoft YaHei, sans-serif" };
    var toolbox = { feature: { saveAsImage: { title: "保存为图片", pixelRatio: 2 } } };
    var charts = [];
    function draw(id, option) {
      var node = document.getElementById(id);
      if (!node) { return; }
      var chart = window.echarts.init(node, null, { renderer: "canvas" });
      option.textStyle = font;
      option.toolbox = toolbox;
      if (option.empty) {  // nothing to draw: say so instead of a bare axis
        option.graphic = { type: "text", left: "center", top: "middle", style: { text: option.empty, fontSize: 14, fill: "#888" } };
        delete option.empty;
      }
      option.animation = false;
      chart.setOption(option);
      charts.push(chart);
      node.setAttribute("data-ready", "1");
    }
    var g = data.grades;
    draw("chart-grades", {
      tooltip: { trigger: "axis" }, legend: { data: ["按规则核定", "单位自评"] },
      xAxis: { type: "category", data: g.labels }, yAxis: { type: "value", name: "单位数", minInterval: 1 },
      series: [{ name: "按规则核定", type: "bar", data: g.computed, label: { show: true, position: "top" } },
               { name: "单位自评", type: "bar", data: g.self, label: { show: true, position: "top" } }]
    });
    var sr = data.scatter_range || [0, 100];
    draw("chart-scatter", {
      tooltip: { formatter: function (p) { return "自评 " + p.value[0] + "，核定 " + p.value[1] + "（" + p.value[2] + " 个单位）"; } },
      // Axes fitted to the data (the server picks one range for both, so the diagonal is y = x).
      xAxis: { type: "value", name: "自评总分", min: sr[0], max: sr[1] }, yAxis: { type: "value", name: "核定总分", min: sr[0], max: sr[1] },
      series: [
        { type: "scatter", data: data.scatter, large: data.scatter.length > 2000,
          symbolSize: function (v) { return Math.min(4 + 2 * Math.sqrt(v[2]), 24); } },
        { type: "line", data: [[sr[0], sr[0]], [sr[1], sr[1]]], symbol: "none", lineStyle: { type: "dashed", color: "#999" }, silent: true }
      ]
    });
    var e = data.execution;
    draw("chart-execution", e.per_unit ? {
      tooltip: { trigger: "axis" }, grid: { left: 160 },
      xAxis: { type: "value", name: "%" }, yAxis: { type: "category", data: e.labels, axisLabel: { width: 150, overflow: "truncate" } },
      series: [{ type: "bar", data: e.values, markLine: { data: [{ xAxis: 90, name: "90%" }], symbol: "none" } }]
    } : {
      tooltip: { trigger: "axis" }, xAxis: { type: "category", data: e.labels }, yAxis: { type: "value", name: "单位数", minInterval: 1 },
      series: [{ type: "bar", data: e.values, label: { show: true, position: "top" } }]
    });
    var fu = data.funds;
    if (fu) {
      draw("chart-funds", {
        empty: fu.empty,
        tooltip: { trigger: "axis" }, xAxis: { type: "category", data: fu.labels },
        yAxis: { type: "value", name: "万元" },
        series: [{ type: "bar", data: fu.values, label: { show: true, position: "top" } }]
      });
    }
    var t = data.trends;
    if (t) {
    var years = t.years.map(function (y) { return String(y.year); });
    draw("chart-trends", {
      tooltip: { trigger: "axis" }, legend: { data: ["三公经费", "项目支出", "上年决算", "本年决算"] },
      grid: [{ left: 60, right: "55%" }, { left: "55%", right: 20 }],
      xAxis: [{ type: "category", data: t.current.map(function (c) { return c.item; }), gridIndex: 0 },
              { type: "category", data: years, gridIndex: 1 }],
      yAxis: [{ type: "value", name: "万元", gridIndex: 0 }, { type: "value", name: "万元", gridIndex: 1 }],
      series: [
        { name: "上年决算", type: "bar", xAxisIndex: 0, yAxisIndex: 0, data: t.current.map(function (c) { return c.prev; }) },
        { name: "本年决算", type: "bar", xAxisIndex: 0, yAxisIndex: 0, data: t.current.map(function (c) { return c.final; }) },
        { name: "三公经费", type: "line", xAxisIndex: 1, yAxisIndex: 1, data: t.years.map(function (y) { return y.sangong; }) },
        { name: "项目支出", type: "line", xAxisIndex: 1, yAxisIndex: 1, data: t.years.map(function (y) { return y.project; }) }
      ]
    });
    }
    var f = data.findings;
    draw("chart-findings", {
      empty: f.labels.length ? "" : "暂无审核发现",
      tooltip: { trigger: "axis" }, grid: { left: 220 },
      xAxis: { type: "value", name: "单位数", minInterval: 1 },
      yAxis: { type: "category", data: f.labels.slice().reverse(), axisLabel: { width: 210, overflow: "truncate" } },
      series: [{ type: "bar", data: f.units.slice().reverse(), label: { show: true, position: "right" } }]
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
    document.body.setAttribute("data-charts-ready", String(charts.length));
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
