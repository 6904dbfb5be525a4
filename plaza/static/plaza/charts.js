// Charts on the statistics pages, drawn with ECharts only when a chart scrolls into view: ECharts (140 KB
// compressed) is fetched then, once, so a page read for its tables never pays for it. No inline script (the
// Content-Security-Policy allows only our own files): a chart is declared in the page by data attributes,
//   <div class="chart" data-chart="ID" data-categories="KEY" data-series="KEY KEY" data-names="名|名"
//        data-rotate aria-hidden="true"></div>
// where ID is a json_script element, KEY a list in it (the categories; one bar series per key, named by
// data-names). The tables beside every chart carry the same figures for screen readers.
(() => {
  const script = document.currentScript;
  const source = script && script.dataset.echarts;
  let loading = null;

  function loadECharts() {
    if (window.echarts) return Promise.resolve(window.echarts);
    if (!loading) {
      loading = new Promise((resolve, reject) => {
        const tag = document.createElement("script");
        tag.src = source;
        tag.onload = () => resolve(window.echarts);
        tag.onerror = reject;
        document.head.appendChild(tag);
      });
    }
    return loading;
  }

  function draw(element) {
    const data = JSON.parse(document.getElementById(element.dataset.chart).textContent);
    const keys = (element.dataset.series || "").split(/\s+/).filter(Boolean);
    const names = (element.dataset.names || "").split("|");
    const colours = ["#c8161d", "#e6b422", "#1f2328"];
    const option = {
      animation: false,
      tooltip: keys.length > 1 ? { trigger: "axis" } : {},
      grid: { left: 36, right: 10, bottom: element.dataset.rotate !== undefined ? 64 : 30, containLabel: false },
      xAxis: {
        type: "category",
        data: data[element.dataset.categories],
        axisLabel: element.dataset.rotate !== undefined ? { interval: 0, rotate: 30 } : {},
      },
      yAxis: { type: "value", minInterval: 1 },
      series: keys.map((key, i) => ({
        name: names[i] || key,
        type: "bar",
        data: data[key],
        itemStyle: { color: colours[i % colours.length] },
      })),
    };
    if (keys.length > 1) option.legend = {};
    const chart = window.echarts.init(element);
    chart.setOption(option);
    window.addEventListener("resize", () => chart.resize());
    element.dataset.drawn = "true";
  }

  function start() {
    const charts = document.querySelectorAll("[data-chart]");
    if (!charts.length || !source) return;
    const show = (element) => loadECharts().then(() => draw(element)).catch(() => {});
    if (!("IntersectionObserver" in window)) {
      charts.forEach(show);
      return;
    }
    const observer = new IntersectionObserver(
      (entries) => {
        entries.forEach((entry) => {
          if (!entry.isIntersecting) return;
          observer.unobserve(entry.target);
          show(entry.target);
        });
      },
      { rootMargin: "200px 0px" },
    );
    charts.forEach((element) => observer.observe(element));
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
