// Calls, newest first (GET /api/v1/calls), and one call (GET /api/v1/calls/{id}).
import { useCallback, useEffect, useState } from "preact/hooks";

import { api, seg } from "../api.js";
import { Badge, ErrorBox, More, PageTitle, TableWrap, Time, html, useLive, usePagedList } from "../ui.js";

/** The caller's name from the decision (namespace), if it has one. */
const Identity = ({ call }) => {
  const ns = call.decision?.namespace;
  return ns ? html`<span class="identity" data-testid="call-namespace">${ns}</span>` : null;
};

export function Calls() {
  const list = usePagedList("/api/v1/calls");
  useLive(["call."], list.refresh);
  return html`<section aria-labelledby="page-title">
    <${PageTitle}>Calls<//>
    <p class="lede">Newest first. New calls appear as they arrive.</p>
    <${ErrorBox} error=${list.error} />
    <${TableWrap} label="Calls">
      <table data-testid="calls-table">
        <thead><tr>
          <th scope="col">Caller</th><th scope="col">State</th><th scope="col">Outcome</th>
          <th scope="col">Action</th><th scope="col">Trust</th><th scope="col">Started</th>
        </tr></thead>
        <tbody>
          ${list.items.map(
            (call) => html`<tr key=${call.id} data-testid="call-row" data-call-id=${call.id} data-from=${call.from}>
              <td><a href=${`#/calls/${seg(call.id)}`} data-testid="call-link">${call.from || "(withheld)"}</a> <${Identity} call=${call} /></td>
              <td><${Badge} value=${call.state} /></td>
              <td><${Badge} value=${call.decision?.outcome} kind="outcome" /></td>
              <td><${Badge} value=${call.decision?.action} kind="action" /></td>
              <td class="num">${call.decision?.trust?.score ?? "—"}</td>
              <td><${Time} value=${call.started_at} /></td>
            </tr>`,
          )}
        </tbody>
      </table>
    <//>
    <${More} list=${list} what="calls" />
  </section>`;
}

/** Every field of a trust factor: name, points and detail first, then any other. */
function factorColumns(factors) {
  const columns = ["name", "points", "detail"];
  for (const factor of factors) for (const key of Object.keys(factor)) if (!columns.includes(key)) columns.push(key);
  return columns;
}

const show = (value) =>
  value === null || value === undefined ? "—" : typeof value === "object" ? JSON.stringify(value) : String(value);

function Decision({ decision }) {
  if (!decision) return html`<p class="muted">No screening decision was recorded for this call.</p>`;
  const factors = decision.trust?.factors ?? [];
  const columns = factorColumns(factors);
  const extra = Object.entries(decision).filter(([key]) => !["outcome", "action", "trust"].includes(key));
  return html`<section aria-labelledby="decision-title" class="card">
    <h2 id="decision-title">Decision</h2>
    <dl class="facts" data-testid="decision">
      <dt>Outcome</dt><dd data-testid="decision-outcome"><${Badge} value=${decision.outcome} kind="outcome" /></dd>
      <dt>Action</dt><dd data-testid="decision-action"><${Badge} value=${decision.action} kind="action" /></dd>
      ${extra.map(([key, value]) => html`<dt>${key.replace(/_/g, " ")}</dt><dd data-testid=${`decision-${key}`}>${show(value)}</dd>`)}
      <dt>Trust score</dt><dd data-testid="trust-score">${decision.trust?.score ?? "—"}</dd>
      <dt>Risk</dt><dd data-testid="trust-risk"><${Badge} value=${decision.trust?.risk} kind="risk" /></dd>
    </dl>
    <h3>Trust factors</h3>
    ${factors.length === 0
      ? html`<p class="muted" data-testid="no-factors">No trust factors.</p>`
      : html`<${TableWrap} label="Trust factors">
          <table data-testid="trust-factors">
            <thead><tr>${columns.map((c) => html`<th scope="col">${c}</th>`)}</tr></thead>
            <tbody>
              ${factors.map(
                (factor, i) => html`<tr key=${i} data-testid="trust-factor" data-name=${factor.name}>
                  ${columns.map((c) => html`<td data-field=${c} class=${c === "points" ? "num" : ""}>${c === "points" && factor.points > 0 ? `+${factor.points}` : show(factor[c])}</td>`)}
                </tr>`,
              )}
            </tbody>
          </table>
        <//>`}
  </section>`;
}

function Attachment({ title, value }) {
  if (!value) return null;
  return html`<section class="card"><h2>${title}</h2>
    <p><${Time} value=${value.at} />${value.duration_s != null ? ` · ${value.duration_s} s` : ""}</p>
    ${value.url ? html`<p><a href=${value.url} rel="noreferrer noopener" target="_blank">${value.url}</a></p>` : null}
    ${value.text ? html`<pre class="wrap">${value.text}</pre>` : null}
  </section>`;
}

export function CallDetail({ id }) {
  const [call, setCall] = useState(/** @type {any} */ (null));
  const [error, setError] = useState(/** @type {unknown} */ (null));
  const load = useCallback(async () => {
    try {
      setCall(await api(`/api/v1/calls/${seg(id)}`));
      setError(null);
    } catch (caught) {
      setError(caught);
    }
  }, [id]);
  useEffect(() => {
    load();
  }, [load]);
  useLive(["call."], (event) => {
    if (!event || event.data?.call_id === id) load();
  });

  return html`<section aria-labelledby="page-title">
    <p><a href="#/calls" data-testid="back-to-calls">← All calls</a></p>
    <${PageTitle}>Call ${call ? html`from <span data-testid="call-from">${call.from || "(withheld)"}</span>` : ""}<//>
    <${ErrorBox} error=${error} />
    ${call
      ? html`<div class="grid">
          <section class="card" aria-labelledby="call-title">
            <h2 id="call-title">Call</h2>
            <dl class="facts" data-testid="call-facts">
              <dt>Id</dt><dd><code>${call.id}</code></dd>
              <dt>From</dt><dd>${call.from || "(withheld)"} ${call.decision?.namespace ? html`<span class="identity">${call.decision.namespace}</span>` : null}</dd>
              <dt>To</dt><dd>${call.to}</dd>
              <dt>Direction</dt><dd>${call.direction}</dd>
              <dt>State</dt><dd data-testid="call-state"><${Badge} value=${call.state} /></dd>
              <dt>Provider</dt><dd>${call.provider} (${call.source ?? call.provider})</dd>
              <dt>Provider call id</dt><dd><code>${call.provider_call_id}</code></dd>
              <dt>Identity</dt><dd>${call.identity_id ? html`<code>${call.identity_id}</code>` : "—"}</dd>
              <dt>Started</dt><dd><${Time} value=${call.started_at} /></dd>
              <dt>Answered</dt><dd><${Time} value=${call.answered_at} /></dd>
              <dt>Ended</dt><dd><${Time} value=${call.ended_at} /></dd>
            </dl>
          </section>
          <${Decision} decision=${call.decision} />
          <section class="card" aria-labelledby="timeline-title">
            <h2 id="timeline-title">Timeline</h2>
            <ol class="timeline" data-testid="timeline">
              ${(call.timeline ?? []).map(
                (entry, i) => html`<li key=${i}><${Time} value=${entry.at} /> <strong>${entry.type}</strong>
                  ${entry.provider_event_id ? html` <code class="small">${entry.provider_event_id}</code>` : null}</li>`,
              )}
            </ol>
          </section>
          ${call.analysis
            ? html`<section class="card"><h2>Analysis</h2>
                <dl class="facts">
                  <dt>Intent</dt><dd>${call.analysis.intent}</dd>
                  <dt>Sentiment</dt><dd>${call.analysis.sentiment}</dd>
                  <dt>Priority</dt><dd><${Badge} value=${call.analysis.priority} kind="priority" /></dd>
                </dl></section>`
            : null}
          <${Attachment} title="Recording" value=${call.recording} />
          <${Attachment} title="Transcript" value=${call.transcript} />
          <${Attachment} title="Summary" value=${call.summary} />
        </div>`
      : !error
        ? html`<p class="muted">Loading…</p>`
        : null}
  </section>`;
}
