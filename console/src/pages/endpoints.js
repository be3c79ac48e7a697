// The tenant's webhook endpoints (fan-out): list, create (the secret shown once), test,
// enable/disable, delete.
import { useState } from "preact/hooks";

import { api, seg } from "../api.js";
import { EVENT_TYPES } from "../events.js";
import { Badge, ErrorBox, More, Notice, PageTitle, TableWrap, Time, html, useAction, usePagedList } from "../ui.js";

function CreateForm({ onCreated, action }) {
  const [url, setUrl] = useState("");
  const [description, setDescription] = useState("");
  const [events, setEvents] = useState(/** @type {string[]} */ ([]));
  const toggle = (type, on) => setEvents((now) => (on ? [...now, type] : now.filter((t) => t !== type)));

  const submit = async (event) => {
    event.preventDefault();
    const created = await action.run(
      () => api("/api/v1/endpoints", { method: "POST", body: { url: url.trim(), events, description } }),
      (endpoint) => `Endpoint ${endpoint.id} created.`,
    );
    if (created) {
      setUrl("");
      setDescription("");
      setEvents([]);
      onCreated(created);
    }
  };

  return html`<form class="card stack" onSubmit=${submit} aria-labelledby="create-title" data-testid="endpoint-form">
    <h2 id="create-title">Add an endpoint</h2>
    <div class="field"><label for="endpoint-url">URL</label>
      <input id="endpoint-url" type="url" inputmode="url" autocomplete="off" placeholder="https://crm.example.com/hooks/frontdesk"
        value=${url} onInput=${(e) => setUrl(e.currentTarget.value)} required data-testid="endpoint-url" /></div>
    <fieldset>
      <legend>Events <span class="muted small">(none checked: every event)</span></legend>
      <div class="checks">
        ${EVENT_TYPES.map(
          (type) => html`<label class="check"><input type="checkbox" checked=${events.includes(type)}
            onChange=${(e) => toggle(type, e.currentTarget.checked)} data-testid=${`endpoint-event-${type}`} /> ${type}</label>`,
        )}
      </div>
    </fieldset>
    <div class="field"><label for="endpoint-description">Description</label>
      <input id="endpoint-description" type="text" autocomplete="off" value=${description}
        onInput=${(e) => setDescription(e.currentTarget.value)} data-testid="endpoint-description" /></div>
    <div><button type="submit" disabled=${action.busy} data-testid="endpoint-create">Add endpoint</button></div>
  </form>`;
}

export function Endpoints() {
  const list = usePagedList("/api/v1/endpoints");
  const action = useAction();
  const [secret, setSecret] = useState(/** @type {{id: string, secret: string}|null} */ (null));
  const [confirming, setConfirming] = useState(/** @type {string|null} */ (null));

  const test = (endpoint) =>
    action.run(
      () => api(`/api/v1/endpoints/${seg(endpoint.id)}/test`, { method: "POST" }),
      (answer) => `Test event ${answer.id} queued for ${endpoint.url}. See Deliveries.`,
    );
  const setEnabled = async (endpoint, enabled) => {
    const done = await action.run(
      () => api(`/api/v1/endpoints/${seg(endpoint.id)}`, { method: "PATCH", body: { enabled } }),
      `${endpoint.url} ${enabled ? "enabled" : "disabled"}.`,
    );
    if (done) list.load();
  };
  const remove = async (endpoint) => {
    setConfirming(null);
    const done = await action.run(
      () => api(`/api/v1/endpoints/${seg(endpoint.id)}`, { method: "DELETE" }).then(() => true),
      `${endpoint.url} deleted.`,
    );
    if (done) list.load();
  };

  return html`<section aria-labelledby="page-title">
    <${PageTitle}>Webhook endpoints<//>
    <p class="lede">Your own HTTPS endpoints that get Frontdesk's events, signed with each endpoint's secret.</p>
    <${CreateForm} action=${action} onCreated=${(endpoint) => {
      setSecret({ id: endpoint.id, secret: endpoint.secret });
      list.load();
    }} />
    ${secret
      ? html`<div class="card secret" role="status" data-testid="endpoint-secret-box">
          <h2>Signing secret of ${secret.id}</h2>
          <p>Shown once: copy it now. It verifies the <code>webhook-signature</code> of each delivery.</p>
          <p><code class="wrap" data-testid="endpoint-secret">${secret.secret}</code></p>
          <button type="button" class="secondary" onClick=${() => setSecret(null)}>I have copied it</button>
        </div>`
      : null}
    <${ErrorBox} error=${action.error} testid="endpoint-action-error" />
    <${Notice} text=${action.notice} testid="endpoint-notice" />
    <${ErrorBox} error=${list.error} />
    <${TableWrap} label="Endpoints">
      <table data-testid="endpoints-table">
        <thead><tr><th scope="col">URL</th><th scope="col">Events</th><th scope="col">State</th><th scope="col">Created</th><th scope="col">Actions</th></tr></thead>
        <tbody>
          ${list.items.map(
            (ep) => html`<tr key=${ep.id} data-testid="endpoint-row" data-endpoint-id=${ep.id}>
              <td><code class="wrap">${ep.url}</code>${ep.description ? html`<div class="small">${ep.description}</div>` : null}
                <div class="small muted"><code>${ep.id}</code></div></td>
              <td class="small">${ep.events?.length ? ep.events.join(", ") : "every event"}</td>
              <td><${Badge} value=${ep.enabled ? "enabled" : "disabled"} kind="status" />
                ${ep.disabled_reason ? html`<div class="small error-text">${ep.disabled_reason}</div>` : null}</td>
              <td><${Time} value=${ep.created_at} /></td>
              <td class="actions">
                <button type="button" class="small" onClick=${() => test(ep)} disabled=${action.busy} data-testid="endpoint-test"
                  aria-label=${`Send a test event to ${ep.url}`}>Send test</button>
                <button type="button" class="small secondary" onClick=${() => setEnabled(ep, !ep.enabled)} disabled=${action.busy}
                  data-testid="endpoint-toggle" aria-label=${`${ep.enabled ? "Disable" : "Enable"} ${ep.url}`}>${ep.enabled ? "Disable" : "Enable"}</button>
                <a class="button small secondary" href=${`#/deliveries/${seg(ep.id)}`}>Deliveries</a>
                ${confirming === ep.id
                  ? html`<button type="button" class="small danger" onClick=${() => remove(ep)} data-testid="endpoint-delete-confirm">Confirm delete</button>
                      <button type="button" class="small secondary" onClick=${() => setConfirming(null)}>Cancel</button>`
                  : html`<button type="button" class="small danger" onClick=${() => setConfirming(ep.id)} data-testid="endpoint-delete"
                      aria-label=${`Delete ${ep.url}`}>Delete</button>`}
              </td>
            </tr>`,
          )}
        </tbody>
      </table>
    <//>
    <${More} list=${list} what="endpoints" />
  </section>`;
}
