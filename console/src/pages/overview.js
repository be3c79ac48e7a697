// Overview: headline numbers and charts from GET /api/v1/stats.
import { useCallback, useEffect, useMemo, useState } from "preact/hooks";

import { api } from "../api.js";
import { Chart } from "../charts.js";
import { ErrorBox, PageTitle, TableWrap, Time, html, useLive } from "../ui.js";

const ACTIONS = [
  ["answer", "answer", "#2e7d32"],
  ["forward", "forward", "#1565c0"],
  ["reject_with_message", "reject with message", "#ef6c00"],
  ["reject", "reject", "#c62828"],
];
const OUTCOMES = [
  ["authenticated", "authenticated", "#2e7d32"],
  ["allowlisted", "allowlisted", "#00838f"],
  ["screened", "screened", "#6a1b9a"],
  ["rejected", "rejected", "#ef6c00"],
  ["blocked", "blocked", "#c62828"],
];
const PRIORITIES = [
  ["urgent", "urgent", "#c62828"],
  ["high", "high", "#ef6c00"],
  ["normal", "normal", "#1565c0"],
  ["low", "low", "#78909c"],
];
const RESULT_COLORS = ["#2e7d32", "#c62828", "#ef6c00", "#6a1b9a", "#795548", "#37474f", "#ad1457"];

const sum = (values) => values.reduce((a, b) => a + b, 0);
const seconds = (at) => Date.parse(at) / 1000;

/** @param {any} stats */
function charts(stats) {
  const calls = stats.calls ?? [];
  const texts = stats.texts ?? [];
  const callX = calls.map((c) => seconds(c.at));
  const textX = texts.map((t) => seconds(t.at));
  const screenedOut = (c) => (c.actions?.reject ?? 0) + (c.actions?.reject_with_message ?? 0);

  const sources = [...new Set((stats.webhooks ?? []).map((w) => w.source))].sort();
  const results = [...new Set((stats.webhooks ?? []).map((w) => w.result))].sort((a, b) =>
    a === "verified" ? -1 : b === "verified" ? 1 : a.localeCompare(b),
  );
  const count = (source, result) =>
    sum((stats.webhooks ?? []).filter((w) => w.source === source && w.result === result).map((w) => w.count));

  return {
    actions: {
      kind: "stacked",
      x: callX,
      series: ACTIONS.map(([key, label, color]) => ({ label, color, values: calls.map((c) => c.actions?.[key] ?? 0) })),
    },
    outcomes: {
      kind: "stacked",
      x: callX,
      series: OUTCOMES.map(([key, label, color]) => ({ label, color, values: calls.map((c) => c.outcomes?.[key] ?? 0) })),
    },
    screened: {
      kind: "line",
      percent: true,
      x: callX,
      series: [{ label: "screened out", color: "#c62828", values: calls.map((c) => (c.total ? (100 * screenedOut(c)) / c.total : null)) }],
    },
    texts: {
      kind: "stacked",
      x: textX,
      series: PRIORITIES.map(([key, label, color]) => ({ label, color, values: texts.map((t) => t.priorities?.[key] ?? 0) })),
    },
    webhooks: {
      kind: "categories",
      x: sources.map((_s, i) => i),
      labels: sources,
      series: results.map((result, i) => ({
        label: result,
        color: result === "verified" ? RESULT_COLORS[0] : RESULT_COLORS[1 + (i % (RESULT_COLORS.length - 1))],
        values: sources.map((source) => count(source, result)),
      })),
    },
    totals: {
      calls: sum(calls.map((c) => c.total ?? 0)),
      screenedOut: sum(calls.map(screenedOut)),
      texts: sum(texts.map((t) => t.total ?? 0)),
      urgent: sum(texts.map((t) => t.priorities?.urgent ?? 0)),
      verified: sum((stats.webhooks ?? []).filter((w) => w.result === "verified").map((w) => w.count)),
      refused: sum((stats.webhooks ?? []).filter((w) => w.result !== "verified").map((w) => w.count)),
    },
  };
}

const Headline = ({ label, value, testid }) =>
  html`<div class="headline card" data-testid=${testid}><div class="value">${value}</div><div class="label">${label}</div></div>`;

export function Overview() {
  const [bucket, setBucket] = useState(/** @type {"hour"|"day"} */ ("hour"));
  const [stats, setStats] = useState(/** @type {any} */ (null));
  const [error, setError] = useState(/** @type {unknown} */ (null));
  const load = useCallback(async () => {
    try {
      const answer = await api("/api/v1/stats", { query: { bucket } });
      setStats(answer);
      setError(null);
    } catch (caught) {
      setError(caught);
    }
  }, [bucket]);
  useEffect(() => {
    setStats(null);
    load();
  }, [load]);
  // New calls and texts move the numbers: refresh on those events (not on a timer).
  useLive(["call.received", "message.received"], (event) => (event ? load() : null));

  const view = useMemo(() => (stats ? charts(stats) : null), [stats]);
  const t = view?.totals;
  const share = t && t.calls ? `${Math.round((100 * t.screenedOut) / t.calls)}%` : "—";
  const span = bucket === "hour" ? "the last 24 hours" : "the last 30 days";

  return html`<section aria-labelledby="page-title">
    <${PageTitle}>Overview<//>
    <div class="segmented" role="group" aria-label="Bucket">
      <button type="button" aria-pressed=${bucket === "hour" ? "true" : "false"} onClick=${() => setBucket("hour")} data-testid="bucket-hour">Per hour (24 h)</button>
      <button type="button" aria-pressed=${bucket === "day" ? "true" : "false"} onClick=${() => setBucket("day")} data-testid="bucket-day">Per day (30 days)</button>
    </div>
    <${ErrorBox} error=${error} />
    ${view
      ? html`
        <p class="lede" data-testid="stats-window">From <${Time} value=${stats.since} /> to <${Time} value=${stats.until} />, per ${stats.bucket ?? bucket}.</p>
        <div class="headlines" aria-label=${`Totals over ${span}`} role="group">
          <${Headline} label="calls" value=${t.calls} testid="headline-calls" />
          <${Headline} label="screened out" value=${share} testid="headline-screened" />
          <${Headline} label="texts" value=${t.texts} testid="headline-texts" />
          <${Headline} label="urgent texts" value=${t.urgent} testid="headline-urgent" />
          <${Headline} label="webhooks verified" value=${t.verified} testid="headline-verified" />
          ${t.refused > 0 ? html`<${Headline} label="webhooks refused" value=${t.refused} testid="headline-refused" />` : null}
        </div>
        <div class="charts">
          <${Chart} testid="chart-calls-actions" title=${`Calls per ${bucket}, by action`} spec=${view.actions} />
          <${Chart} testid="chart-calls-outcomes" title=${`Calls per ${bucket}, by outcome`} spec=${view.outcomes} />
          <${Chart} testid="chart-screened" title=${`Share of calls screened out (rejected) per ${bucket}`} spec=${view.screened} />
          <${Chart} testid="chart-texts" title=${`Texts per ${bucket}, by priority`} spec=${view.texts} />
          ${view.webhooks.x.length
            ? html`<${Chart} testid="chart-webhooks" title="Webhooks by source and result" spec=${view.webhooks} />`
            : html`<div class="card chart" data-testid="chart-webhooks-empty"><p class="muted">No webhooks in ${span}.</p></div>`}
        </div>
        <${TableWrap} label="Webhooks by source and result">
          <table data-testid="webhooks-table">
            <caption>Webhooks over ${span}</caption>
            <thead><tr><th scope="col">Source</th><th scope="col">Result</th><th scope="col">Count</th></tr></thead>
            <tbody>${(stats.webhooks ?? []).map(
              (w) => html`<tr><td>${w.source}</td><td>${w.result}</td><td class="num">${w.count}</td></tr>`,
            )}</tbody>
          </table>
        <//>`
      : !error
        ? html`<p class="muted">Loading…</p>`
        : null}
  </section>`;
}
