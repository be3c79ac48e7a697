// The registry (phone → namespace) and the allow and block lists.
import { useState } from "preact/hooks";

import { api, seg } from "../api.js";
import { ErrorBox, More, Notice, PageTitle, TableWrap, Time, html, useAction, useLive, usePagedList } from "../ui.js";

function RegistrySection() {
  const list = usePagedList("/api/v1/registry", {}, (e) => e.phone);
  useLive(["registry."], (event) => (event ? list.load() : list.refresh()));
  const action = useAction();
  const [phone, setPhone] = useState("");
  const [namespace, setNamespace] = useState("");

  const add = async (event) => {
    event.preventDefault();
    const done = await action.run(
      () => api(`/api/v1/registry/${seg(phone.trim())}`, { method: "PUT", body: { namespace: namespace.trim() } }),
      (entry) => `Registered ${entry.phone} as ${entry.namespace}.`,
    );
    if (done) {
      setPhone("");
      setNamespace("");
      list.load();
    }
  };
  const remove = async (entry) => {
    const done = await action.run(
      () => api(`/api/v1/registry/${seg(entry.phone)}`, { method: "DELETE" }).then(() => true),
      `Removed ${entry.phone} from the registry.`,
    );
    if (done) list.load();
  };

  return html`<section class="card" aria-labelledby="registry-title" data-testid="registry-section">
    <h2 id="registry-title">Registry</h2>
    <p class="lede">Known callers: a phone number and the namespace that identifies it.</p>
    <form class="inline" onSubmit=${add}>
      <div class="field"><label for="registry-phone">Phone</label>
        <input id="registry-phone" type="tel" autocomplete="off" placeholder="+15555550123" value=${phone}
          onInput=${(e) => setPhone(e.currentTarget.value)} required data-testid="registry-phone" /></div>
      <div class="field"><label for="registry-namespace">Namespace</label>
        <input id="registry-namespace" type="text" autocomplete="off" placeholder="alice.x" value=${namespace}
          onInput=${(e) => setNamespace(e.currentTarget.value)} required data-testid="registry-namespace" /></div>
      <button type="submit" disabled=${action.busy} data-testid="registry-add">Add or update</button>
    </form>
    <${ErrorBox} error=${action.error} testid="registry-action-error" />
    <${Notice} text=${action.notice} testid="registry-notice" />
    <${ErrorBox} error=${list.error} testid="registry-error" />
    <${TableWrap} label="Registry entries">
      <table data-testid="registry-table">
        <thead><tr><th scope="col">Phone</th><th scope="col">Namespace</th><th scope="col">Updated</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
        <tbody>
          ${list.items.map(
            (entry) => html`<tr key=${entry.phone} data-testid="registry-row" data-phone=${entry.phone}>
              <td>${entry.phone}</td><td>${entry.namespace}</td><td><${Time} value=${entry.updated_at} /></td>
              <td><button type="button" class="secondary small" onClick=${() => remove(entry)} disabled=${action.busy}
                aria-label=${`Remove ${entry.phone} from the registry`}>Remove</button></td>
            </tr>`,
          )}
        </tbody>
      </table>
    <//>
    <${More} list=${list} what="registry entries" />
  </section>`;
}

/** @param {{name: "allow"|"block"}} props */
function ListSection({ name }) {
  const list = usePagedList(`/api/v1/lists/${name}`, {}, (e) => e.phone);
  useLive(["registry."], (event) => (event ? list.load() : list.refresh()));
  const action = useAction();
  const [phone, setPhone] = useState("");
  const title = name === "allow" ? "Allow list" : "Block list";
  const verb = name === "allow" ? "Allow" : "Block";

  const add = async (event) => {
    event.preventDefault();
    const done = await action.run(
      () => api(`/api/v1/lists/${name}/${seg(phone.trim())}`, { method: "PUT" }),
      (entry) => `${name === "allow" ? "Allowed" : "Blocked"} ${entry?.phone ?? phone.trim()}.`,
    );
    if (done) {
      setPhone("");
      list.load();
    }
  };
  const remove = async (entry) => {
    const done = await action.run(
      () => api(`/api/v1/lists/${name}/${seg(entry.phone)}`, { method: "DELETE" }).then(() => true),
      `Removed ${entry.phone} from the ${name} list.`,
    );
    if (done) list.load();
  };

  return html`<section class="card" aria-labelledby=${`${name}-title`} data-testid=${`${name}-section`}>
    <h2 id=${`${name}-title`}>${title}</h2>
    <p class="lede">${name === "allow" ? "Always let these numbers through." : "Always refuse calls from these numbers."}</p>
    <form class="inline" onSubmit=${add}>
      <div class="field"><label for=${`${name}-phone`}>Phone</label>
        <input id=${`${name}-phone`} type="tel" autocomplete="off" placeholder="+15555550123" value=${phone}
          onInput=${(e) => setPhone(e.currentTarget.value)} required data-testid=${`${name}-phone`} /></div>
      <button type="submit" disabled=${action.busy} data-testid=${`${name}-add`}>${verb}</button>
    </form>
    <${ErrorBox} error=${action.error} testid=${`${name}-action-error`} />
    <${Notice} text=${action.notice} testid=${`${name}-notice`} />
    <${ErrorBox} error=${list.error} testid=${`${name}-error`} />
    <${TableWrap} label=${title}>
      <table data-testid=${`${name}-table`}>
        <thead><tr><th scope="col">Phone</th><th scope="col">Updated</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
        <tbody>
          ${list.items.map(
            (entry) => html`<tr key=${entry.phone} data-testid=${`${name}-row`} data-phone=${entry.phone}>
              <td>${entry.phone}</td><td><${Time} value=${entry.updated_at} /></td>
              <td><button type="button" class="secondary small" onClick=${() => remove(entry)} disabled=${action.busy}
                aria-label=${`Remove ${entry.phone} from the ${name} list`}>Remove</button></td>
            </tr>`,
          )}
        </tbody>
      </table>
    <//>
    <${More} list=${list} what=${`numbers on the ${name} list`} />
  </section>`;
}

export function Registry() {
  return html`<section aria-labelledby="page-title">
    <${PageTitle}>Registry and lists<//>
    <div class="grid">
      <${RegistrySection} />
      <${ListSection} name="allow" />
      <${ListSection} name="block" />
    </div>
  </section>`;
}
