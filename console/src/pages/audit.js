// The audit chain: its verification (GET /api/v1/audit/verify) and entries, oldest first.
import { useCallback, useEffect, useState } from "preact/hooks";

import { api } from "../api.js";
import { ErrorBox, More, PageTitle, TableWrap, Time, html, usePagedList } from "../ui.js";

function Verify() {
  const [state, setState] = useState(/** @type {any} */ (null));
  const [error, setError] = useState(/** @type {unknown} */ (null));
  const [busy, setBusy] = useState(false);
  const verify = useCallback(async () => {
    setBusy(true);
    try {
      setState(await api("/api/v1/audit/verify"));
      setError(null);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }, []);
  useEffect(() => {
    verify();
  }, [verify]);

  return html`<section class="card" aria-labelledby="verify-title">
    <h2 id="verify-title">Chain verification</h2>
    <${ErrorBox} error=${error} />
    ${state
      ? state.ok
        ? html`<p class="verify ok" data-testid="audit-verify" data-ok="true"><span aria-hidden="true">✔</span>
            The chain is intact: ${state.entries} ${state.entries === 1 ? "entry" : "entries"} verified.</p>`
        : html`<p class="verify broken" data-testid="audit-verify" data-ok="false"><span aria-hidden="true">✖</span>
            The chain is broken at entry ${state.seq} (of ${state.entries}): ${state.reason}</p>`
      : !error
        ? html`<p class="muted">Verifying…</p>`
        : null}
    <button type="button" class="secondary" onClick=${verify} disabled=${busy} data-testid="audit-reverify">Verify again</button>
  </section>`;
}

export function Audit() {
  const list = usePagedList("/api/v1/audit", {}, (e) => String(e.seq));
  return html`<section aria-labelledby="page-title">
    <${PageTitle}>Audit<//>
    <${Verify} />
    <${ErrorBox} error=${list.error} />
    <${TableWrap} label="Audit entries">
      <table data-testid="audit-table">
        <thead><tr><th scope="col">Seq</th><th scope="col">At</th><th scope="col">Kind</th><th scope="col">Subject</th><th scope="col">Body</th><th scope="col">Hash</th></tr></thead>
        <tbody>
          ${list.items.map(
            (e) => html`<tr key=${e.seq} data-testid="audit-row">
              <td class="num">${e.seq}</td><td><${Time} value=${e.at} /></td><td>${e.kind}</td>
              <td><code class="wrap">${e.subject}</code></td>
              <td><code class="wrap small">${e.body}</code></td>
              <td><code class="small" title=${e.hash}>${e.hash.slice(0, 12)}…</code></td>
            </tr>`,
          )}
        </tbody>
      </table>
    <//>
    <${More} list=${list} what="entries" />
  </section>`;
}
