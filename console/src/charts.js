// uPlot charts: stacked bars over time, a line of shares, stacked bars by category.
import uPlot from "uplot";
import { useEffect, useRef } from "preact/hooks";

import { html } from "./ui.js";

const HEIGHT = 220;

/**
 * @typedef {{label: string, color: string, values: (number|null)[]}} Series
 */

/** Cumulative sums, drawn tallest first so each category shows as its own band. */
function stack(series) {
  /** @type {number[][]} */
  const sums = [];
  let running = series[0] ? series[0].values.map(() => 0) : [];
  for (const s of series) {
    running = running.map((v, i) => v + (s.values[i] ?? 0));
    sums.push(running);
  }
  return sums;
}

const bars = () => uPlot.paths.bars?.({ size: [0.8, 48], gap: 1 });

/**
 * @param {{x: number[], series: Series[], kind: "stacked"|"line"|"categories", labels?: string[],
 *          yLabel?: string, percent?: boolean}} spec
 * @param {number} width
 */
function options(spec, width) {
  const axisStroke = "#3d4451";
  const grid = { stroke: "#e3e6eb", width: 1 };
  const categories = spec.kind === "categories";
  /** @type {uPlot.Options} */
  const opts = {
    width,
    height: HEIGHT,
    legend: { show: true, live: true },
    cursor: { drag: { x: false, y: false }, points: { show: false } },
    scales: {
      x: categories
        ? { time: false, range: () => [-0.5, Math.max(spec.x.length - 0.5, 0.5)] }
        : {
            time: true,
            // Half a bucket either side, so the first and last bars show whole.
            range: (_u, min, max) => {
              const step = spec.x.length > 1 ? spec.x[1] - spec.x[0] : 3600;
              return [min - step / 2, max + step / 2];
            },
          },
      y: spec.percent ? { range: [0, 100] } : { range: (_u, _min, max) => [0, Math.max(1, Math.ceil(max * 1.1))] },
    },
    axes: [
      categories
        ? { stroke: axisStroke, grid: { show: false }, splits: () => spec.x, values: (_u, splits) => splits.map((i) => spec.labels?.[i] ?? "") }
        : { stroke: axisStroke, grid },
      {
        stroke: axisStroke,
        grid,
        size: spec.percent ? 54 : 44,
        label: spec.yLabel,
        values: (_u, splits) => splits.map((v) => (spec.percent ? `${v}%` : Number.isInteger(v) ? String(v) : "")),
      },
    ],
    series: [{ label: categories ? "source" : "time", value: categories ? (_u, i) => spec.labels?.[i] ?? "—" : undefined }],
  };
  if (spec.kind === "line") {
    for (const s of spec.series) {
      opts.series.push({ label: s.label, stroke: s.color, width: 2, fill: `${s.color}22`, spanGaps: false,
        value: (_u, v) => (v == null ? "—" : `${v.toFixed(1)}%`), points: { show: true, size: 4 } });
    }
  } else {
    for (let i = spec.series.length - 1; i >= 0; i--) {
      const s = spec.series[i];
      opts.series.push({
        label: s.label,
        stroke: s.color,
        fill: s.color,
        width: 0,
        paths: bars(),
        points: { show: false },
        value: (_u, _v, _si, index) => (index == null ? "—" : String(s.values[index] ?? 0)),
      });
    }
  }
  return opts;
}

function data(spec) {
  if (spec.kind === "line") return [spec.x, ...spec.series.map((s) => s.values)];
  const sums = stack(spec.series);
  return [spec.x, ...sums.reverse()];
}

/**
 * A uPlot chart filling its container's width.
 * @param {{testid: string, title: string, spec: any, summary?: string}} props
 */
export function Chart({ testid, title, spec, summary }) {
  const box = useRef(/** @type {HTMLDivElement|null} */ (null));
  useEffect(() => {
    const element = box.current;
    if (!element) return undefined;
    const width = () => Math.max(240, Math.floor(element.clientWidth));
    const chart = new uPlot(options(spec, width()), /** @type {any} */ (data(spec)), element);
    const observer = new ResizeObserver(() => {
      const w = width();
      if (w !== chart.width) chart.setSize({ width: w, height: HEIGHT });
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.destroy();
    };
  }, [spec]);
  return html`<figure class="chart card" data-testid=${testid}>
    <figcaption>${title}</figcaption>
    <div class="chart-box" ref=${box} role="img" aria-label=${summary ?? title}></div>
  </figure>`;
}
