// The delivery log (GET /api/v1/deliveries): filters, a delivery's attempts, Retry.
import { Fragment } from "preact";
import { useEffect, useState } from "preact/hooks";

import { api, seg } from "../api.js";
import { EVENT_TYPES } from "../events.js";
import { Badge, ErrorBox, More, Notice, PageTitle, TableWrap, Time, html, useAction, useLive, usePagedList } from "../ui.js";

function endpointFromHash() {
  const parts = location.hash.replace(/^#\/?/, "").split("/");
  return parts[0] === "deliveries" && parts[1] ? decodeURIComponent(parts[1]) : "";
}

export function Deliveries() {
  const [endpoint, setEndpoint] = useState(endpointFromHash);
  const [status, setStatus] = useState("");
  const [eventType, setEventType] = useState("");
  const [open, setOpen] = useState(/** @type {Set<string>} */ (new Set()));
  const [endpoints, setEndpoints] = useState(/** @type {any[]} */ ([]));
  const list = usePagedList("/api/v1/deliveries", { endpoint, status, event_type: eventType });
  useLive(["call.", "message.", "outbound.", "registry.", "webhook."], list.refresh);
  const action = useAction();

  useEffect(() => {
    api("/api/v1/endpoints", { query: { limit: 200 } })
      .then((page) => setEndpoints(page.data))
      .catch(() => setEndpoints([]));
  }, []);

  const toggle = (id) =>
    setOpen((now) => {
      const next = new Set(now);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const retry = async (delivery) => {
    const done = await action.run(
      () => api(`/api/v1/deliveries/${seg(delivery.id)}/retry`, { method: "POST" }),
      `Delivery ${delivery.id} is being sent again.`,
    );
    if (done) list.load();
  };
  const urlOf = (id) => endpoints.find((e) => e.id === id)?.url ?? id;

  return html`<section aria-labelledby="page-title">
    <${PageTitle}>Deliveries<//>
    <form class="filters card" onSubmit=${(e) => e.preventDefault()} aria-label="Filters">
      <div class="field"><label for="filter-endpoint">Endpoint</label>
        <select id="filter-endpoint" value=${endpoint} onChange=${(e) => setEndpoint(e.currentTarget.value)} data-testid="filter-endpoint">
          <option value="">Every endpoint</option>
          ${endpoint && !endpoints.some((e) => e.id === endpoint) ? html`<option value=${endpoint}>${endpoint}</option>` : null}
          ${endpoints.map((e) => html`<option value=${e.id}>${e.url} (${e.id})</option>`)}
        </select></div>
      <div class="field"><label for="filter-status">Status</label>
        <select id="filter-status" value=${status} onChange=${(e) => setStatus(e.currentTarget.value)} data-testid="filter-status">
          <option value="">Any</option><option value="pending">pending</option><option value="delivered">delivered</option><option value="dead">dead</option>
        </select></div>
      <div class="field"><label for="filter-type">Event type</label>
        <select id="filter-type" value=${eventType} onChange=${(e) => setEventType(e.currentTarget.value)} data-testid="filter-event-type">
          <option value="">Any</option>
          ${EVENT_TYPES.map((t) => html`<option value=${t}>${t}</option>`)}
        </select></div>
      <div class="field"><span class="label-spacer" aria-hidden="true"> </span>
        <button type="button" class="secondary" onClick=${list.load}>Refresh</button></div>
    </form>
    <${ErrorBox} error=${action.error} testid="delivery-action-error" />
    <${Notice} text=${action.notice} testid="delivery-notice" />
    <${ErrorBox} error=${list.error} />
    <${TableWrap} label="Deliveries">
      <table data-testid="deliveries-table">
        <thead><tr><th scope="col">Event</th><th scope="col">Endpoint</th><th scope="col">Status</th><th scope="col">Attempts</th>
          <th scope="col">Next attempt</th><th scope="col">Created</th><th scope="col">Actions</th></tr></thead>
        <tbody>
          ${list.items.map((d) => {
            const expanded = open.has(d.id);
            return html`<${Fragment} key=${d.id}>
              <tr data-testid="delivery-row" data-delivery-id=${d.id} data-status=${d.status}>
                <td><strong>${d.event_type}</strong><div class="small muted"><code>${d.id}</code></div></td>
                <td class="small"><code class="wrap">${urlOf(d.endpoint)}</code></td>
                <td><${Badge} value=${d.status} kind="status" /></td>
                <td class="num">${d.attempts?.length ?? 0}</td>
                <td><${Time} value=${d.next_at} /></td>
                <td><${Time} value=${d.created_at} /></td>
                <td class="actions">
                  <button type="button" class="small secondary" aria-expanded=${expanded ? "true" : "false"}
                    aria-controls=${`attempts-${d.id}`} onClick=${() => toggle(d.id)} data-testid="delivery-expand">
                    ${expanded ? "Hide attempts" : "Attempts"}</button>
                  <button type="button" class="small" onClick=${() => retry(d)} disabled=${action.busy}
                    data-testid="delivery-retry" aria-label=${`Retry delivery ${d.id}`}>Retry</button>
                </td>
              </tr>
              ${expanded
                ? html`<tr id=${`attempts-${d.id}`} class="sub"><td colspan="7">
                    ${d.attempts?.length
                      ? html`<table class="attempts" data-testid="delivery-attempts">
                          <thead><tr><th scope="col">At</th><th scope="col">HTTP status</th><th scope="col">Duration</th><th scope="col">Error</th></tr></thead>
                          <tbody>${d.attempts.map(
                            (a, i) => html`<tr key=${i} data-testid="delivery-attempt"><td><${Time} value=${a.at} /></td>
                              <td>${a.status_code ?? "none"}</td><td class="num">${a.duration_ms} ms</td><td>${a.error ?? "—"}</td></tr>`,
                          )}</tbody></table>`
                      : html`<p class="muted">No attempt yet.</p>`}
                  </td></tr>`
                : null}
            <//>`;
          })}
        </tbody>
      </table>
    <//>
    <${More} list=${list} what="deliveries" />
  </section>`;
}
