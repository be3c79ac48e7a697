// Sign in with an API token (fd_…): checked with GET /api/v1/calls?limit=1, then kept in
// sessionStorage for this tab only.
import { useState } from "preact/hooks";

import { api, setToken, takeSignInReason } from "../api.js";
import { ErrorBox, html } from "../ui.js";

export function SignIn() {
  const [reason] = useState(takeSignInReason);
  const [value, setValue] = useState("");
  const [error, setError] = useState(/** @type {unknown} */ (null));
  const [busy, setBusy] = useState(false);

  const submit = async (event) => {
    event.preventDefault();
    const token = value.trim();
    setError(null);
    if (!token) {
      setError(new Error("Paste an API token first."));
      return;
    }
    setBusy(true);
    try {
      await api("/api/v1/calls", { query: { limit: 1 }, token });
      setToken(token);
      takeSignInReason(); // a stale one from requests that were still under way
      setValue("");
      location.hash = "#/calls";
    } catch (caught) {
      const status = caught?.status;
      if (status === 401) {
        setError(new Error(`That token was refused (unauthenticated, HTTP 401: ${caught.message}).`));
      } else if (status === 403) {
        setError(new Error(`That token is valid but may not read calls (forbidden, HTTP 403: ${caught.message}). The console needs at least calls:read.`));
      } else {
        setError(caught);
      }
    } finally {
      setBusy(false);
    }
  };

  return html`<section class="signin card" aria-labelledby="signin-title">
    <h1 id="signin-title">Frontdesk console</h1>
    <p>Sign in with an API token of your tenant. It is kept in this browser tab only, until you sign out or close the tab.</p>
    ${reason ? html`<p class="notice warn" role="status" data-testid="signin-reason">${reason}</p>` : null}
    <form onSubmit=${submit} novalidate>
      <label for="token">API token</label>
      <input id="token" name="token" type="password" autocomplete="off" spellcheck="false"
        placeholder="fd_…" value=${value} onInput=${(e) => setValue(e.currentTarget.value)}
        aria-describedby="token-help" data-testid="signin-token" required />
      <p id="token-help" class="help">Made with <code>frontdesk token create</code> or <code>POST /api/v1/tokens</code>.</p>
      <button type="submit" disabled=${busy} data-testid="signin-submit">${busy ? "Checking…" : "Sign in"}</button>
    </form>
    <${ErrorBox} error=${error} />
  </section>`;
}
