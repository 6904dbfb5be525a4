// The ECharts Plaza draws with: bar charts on a grid, tooltips and a legend, drawn on a canvas.
// scripts/build_assets.py bundles this with esbuild into build/vendor/echarts.min.js (about a third of the
// full echarts.min.js, 1 MB), exposing the same `window.echarts`.
import * as echarts from "echarts/core";
import { BarChart } from "echarts/charts";
import { GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);
window.echarts = echarts;
