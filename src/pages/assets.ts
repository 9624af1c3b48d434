/**
 * Static assets of the dashboard, served by the Worker from its own bundle so
 * the pages work offline and behind a firewall (no CDN). uPlot comes from
 * node_modules as Text modules (wrangler.toml [[rules]]).
 */
import { Hono } from "hono";
import uplotJs from "uplot/dist/uPlot.iife.min.js";
import uplotCss from "uplot/dist/uPlot.min.css";
import type { AppEnv } from "../env";

/** Our own stylesheet: mobile first, one column on a phone, two on a desk. */
export const appCss = `
:root{--fg:#1d2733;--muted:#5d6b7a;--line:#dde3ea;--bg:#f5f7fa;--card:#fff;--green:#1b873f;--yellow:#b7791f;--red:#c53030;--accent:#2b6cb0}
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;color:var(--fg);background:var(--bg)}
header.top{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:space-between;padding:.6rem 1rem;background:#1d2733;color:#fff}
header.top a,header.top button{color:#fff}header.top .brand{font-weight:600;text-decoration:none}
header.top nav{display:flex;gap:.8rem;align-items:center;flex-wrap:wrap}
header.top form{margin:0}header.top button{background:none;border:1px solid #fff6;border-radius:4px;padding:.15rem .6rem;cursor:pointer;font:inherit}
main{max-width:1100px;margin:0 auto;padding:1rem}
h1{font-size:1.35rem;margin:.2rem 0 1rem}h2{font-size:1.1rem;margin:0 0 .6rem}
.grid{display:grid;gap:1rem;grid-template-columns:1fr}
@media (min-width:800px){.grid.two{grid-template-columns:1fr 1fr}}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:1rem;overflow-x:auto}
.kpis{display:grid;gap:.6rem;grid-template-columns:repeat(2,minmax(0,1fr))}
@media (min-width:800px){.kpis{grid-template-columns:repeat(4,minmax(0,1fr))}}
.kpi{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:.7rem}
.kpi .label{color:var(--muted);font-size:.85rem}.kpi .value{font-size:1.15rem;font-weight:600;font-variant-numeric:tabular-nums;word-break:break-all}
.badge{display:inline-block;padding:.1rem .6rem;border-radius:999px;color:#fff;font-weight:600;font-size:.9rem}
.badge.green{background:var(--green)}.badge.yellow{background:var(--yellow)}.badge.red{background:var(--red)}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}th,td{padding:.35rem .5rem;border-bottom:1px solid var(--line);text-align:left;white-space:nowrap}td:first-child{white-space:normal}
td.num,th.num{text-align:right}.muted{color:var(--muted)}.note{color:var(--muted);font-size:.85rem}
#chart{width:100%;min-height:260px}
form.login{max-width:420px;margin:3rem auto;display:grid;gap:.8rem}
form.login input{font:inherit;padding:.5rem;border:1px solid var(--line);border-radius:4px;width:100%}
form.login button{font:inherit;padding:.55rem;border:0;border-radius:4px;background:var(--accent);color:#fff;cursor:pointer}
.error{color:var(--red)}
progress{width:8rem}
`;

/**
 * Draws the budget chart from the page's #chart-data block (no inline script):
 * cumulative spending, the pro-rata budget line and the run-rate projection.
 * Marks #chart with data-ready and data-points for the browser tests.
 */
export const budgetChartJs = `(() => {
  const el = document.getElementById("chart");
  const src = document.getElementById("chart-data");
  if (!el || !src || typeof uPlot === "undefined") return;
  const d = JSON.parse(src.textContent);
  const lang = document.documentElement.lang || "zh-CN";
  const compact = new Intl.NumberFormat(lang, { notation: "compact", maximumFractionDigits: 1 });
  const full = new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const x = d.labels.map((_, i) => i + 1);
  const height = () => (el.clientWidth < 500 ? 240 : 300);
  const money = (u, v) => (v == null ? "—" : full.format(v) + " " + d.series.unit);
  const opts = {
    width: el.clientWidth,
    height: height(),
    scales: { x: { time: false, range: [1, 12] } },
    series: [
      { label: d.series.month, value: (u, v) => (v == null ? "" : d.labels[v - 1] ?? "") },
      { label: d.series.spending, stroke: "#2b6cb0", width: 2, fill: "rgba(43,108,176,0.08)", points: { show: true, size: 6 }, value: money },
      { label: d.series.budget, stroke: "#718096", width: 1.5, dash: [6, 4], points: { show: false }, value: money },
      { label: d.series.projection, stroke: "#c53030", width: 1.5, dash: [2, 4], points: { show: false }, value: money },
    ],
    axes: [
      { incrs: [1, 2, 3], values: (u, splits) => splits.map((v) => d.labels[v - 1] ?? "") },
      { size: 60, values: (u, splits) => splits.map((v) => compact.format(v)) },
    ],
  };
  const chart = new uPlot(opts, [x, d.spending, d.budget, d.projection], el);
  window.budgetChart = chart;
  el.dataset.points = String(d.spending.filter((v) => v != null).length);
  el.dataset.ready = "1";
  window.addEventListener("resize", () => chart.setSize({ width: el.clientWidth, height: height() }));
})();
`;

const cached = { "cache-control": "public, max-age=86400" };

export const assetRoutes = new Hono<AppEnv>()
  .get("/app/assets/uplot.js", (c) => c.body(uplotJs, 200, { "content-type": "text/javascript; charset=utf-8", ...cached }))
  .get("/app/assets/uplot.css", (c) => c.body(uplotCss, 200, { "content-type": "text/css; charset=utf-8", ...cached }))
  .get("/app/assets/budget-chart.js", (c) => c.body(budgetChartJs, 200, { "content-type": "text/javascript; charset=utf-8", ...cached }))
  .get("/app/assets/app.css", (c) => c.body(appCss, 200, { "content-type": "text/css; charset=utf-8", ...cached }));
