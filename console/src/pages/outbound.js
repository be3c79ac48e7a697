// The outbound queue: provider commands (call actions, texts), pending, dead or delivered,
// with Retry (POST /api/v1/outbound/{command_id}/retry).
import { useState } from "preact/hooks";

import { api, seg } from "../api.js";
import { Badge, ErrorBox, More, Notice, PageTitle, TableWrap, Time, html, useAction, useLive, usePagedList } from "../ui.js";

const STATUSES = [
  ["dead", "Dead letters"],
  ["pending", "Pending"],
  ["delivered", "Delivered"],
  ["", "All"],
];

export function Outbound() {
  const [status, setStatus] = useState("dead");
  const list = usePagedList("/api/v1/outbound", { status }, (c) => c.command_id ?? c.id);
  useLive(["outbound."], (event) => (event ? list.load() : list.refresh()));
  const action = useAction();

  const retry = async (command) => {
    const done = await action.run(
      () => api(`/api/v1/outbound/${seg(command.command_id)}/retry`, { method: "POST" }),
      (answer) => `${command.action} (${command.command_id}) is queued again: ${answer?.status ?? "pending"}.`,
    );
    if (done) list.load();
  };

  return html`<section aria-labelledby="page-title">
    <${PageTitle}>Outbound commands<//>
    <p class="lede">What Frontdesk asks the providers to do: call actions and texts. A dead letter failed for good; Retry sends it again.</p>
    <div class="segmented" role="group" aria-label="Status">
      ${STATUSES.map(
        ([value, label]) => html`<button type="button" aria-pressed=${status === value ? "true" : "false"}
          onClick=${() => setStatus(value)} data-testid=${`outbound-status-${value || "all"}`}>${label}</button>`,
      )}
    </div>
    <${ErrorBox} error=${action.error} testid="outbound-action-error" />
    <${Notice} text=${action.notice} testid="outbound-notice" />
    <${ErrorBox} error=${list.error} />
    <${TableWrap} label="Outbound commands">
      <table data-testid="outbound-table">
        <thead><tr>
          <th scope="col">Action</th><th scope="col">Status</th><th scope="col">Attempts</th>
          <th scope="col">Last answer</th><th scope="col">Updated</th><th scope="col">Request</th><th scope="col"><span class="sr-only">Actions</span></th>
        </tr></thead>
        <tbody>
          ${list.items.map(
            (c) => html`<tr key=${c.command_id} data-testid="outbound-row" data-command-id=${c.command_id} data-status=${c.status}>
              <td><strong>${c.action}</strong><div class="small muted">${c.provider}</div></td>
              <td><${Badge} value=${c.status} kind="status" /></td>
              <td class="num">${c.attempts}</td>
              <td>${c.last_status ?? "—"}${c.last_error ? html`<div class="small error-text">${c.last_error}</div>` : null}</td>
              <td><${Time} value=${c.updated_at} /></td>
              <td><details><summary>${c.method} …</summary>
                <p class="small"><code class="wrap">${c.url}</code></p><pre class="wrap small">${c.body}</pre>
                <p class="small muted">Command id <code>${c.command_id}</code></p></details></td>
              <td>${c.status === "dead" || c.status === "pending"
                ? html`<button type="button" onClick=${() => retry(c)} disabled=${action.busy}
                    data-testid="outbound-retry" aria-label=${`Retry ${c.action} ${c.command_id}`}>Retry</button>`
                : null}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    <//>
    <${More} list=${list} what="commands" />
  </section>`;
}
