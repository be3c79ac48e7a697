// The Frontdesk operator's console: hash routes, the session's token, the page shell.
import "uplot/dist/uPlot.min.css";
import "../style.css";

import { render } from "preact";
import { useEffect, useState } from "preact/hooks";

import { clearToken, getToken, onUnauthenticated, setSignInReason } from "./api.js";
import { live } from "./live.js";
import { html } from "./ui.js";
import { SignIn } from "./pages/signin.js";
import { CallDetail, Calls } from "./pages/calls.js";
import { Texts } from "./pages/texts.js";
import { Registry } from "./pages/registry.js";
import { Outbound } from "./pages/outbound.js";
import { Endpoints } from "./pages/endpoints.js";
import { Deliveries } from "./pages/deliveries.js";
import { Audit } from "./pages/audit.js";
import { Overview } from "./pages/overview.js";

const PAGES = [
  ["overview", "Overview", Overview],
  ["calls", "Calls", Calls],
  ["texts", "Texts", Texts],
  ["registry", "Registry", Registry],
  ["outbound", "Outbound", Outbound],
  ["endpoints", "Endpoints", Endpoints],
  ["deliveries", "Deliveries", Deliveries],
  ["audit", "Audit", Audit],
];

/** @returns {{page: string, id: string|null}} */
function parseHash(hash) {
  const parts = hash.replace(/^#\/?/, "").split("/");
  const page = parts[0] || "calls";
  const id = parts[1] ? decodeURIComponent(parts.slice(1).join("/")) : null;
  return { page, id };
}

export const navigate = (hash) => {
  if (location.hash === hash) window.dispatchEvent(new HashChangeEvent("hashchange"));
  else location.hash = hash;
};

onUnauthenticated((error) => {
  clearToken();
  live.stop();
  setSignInReason(`You were signed out: the server refused the token (${error.code}, HTTP ${error.status}: ${error.message}). Sign in again.`);
  navigate("#/signin");
});

const LIVE_LABELS = {
  off: "offline",
  connecting: "connecting…",
  open: "live",
  retrying: "reconnecting (polling)",
  unavailable: "polling",
};

function LiveIndicator() {
  const [state, setState] = useState(live.state);
  useEffect(() => live.watch(setState), []);
  return html`<span class="live live-${state}" data-testid="live-indicator" data-state=${state}
    title=${state === "open" ? "Live updates connected" : "Live updates not connected: the page refreshes every 2 seconds"}>
    <span class="dot" aria-hidden="true"></span>${LIVE_LABELS[state]}
  </span>`;
}

// Announces live events politely (calls and texts arriving).
function LiveAnnouncer() {
  const [text, setText] = useState("");
  useEffect(
    () =>
      live.on((event) => {
        const d = event.data ?? {};
        if (event.type === "call.received") setText(`New call from ${d.from ?? "unknown caller"}`);
        else if (event.type === "message.received") setText(`New text from ${d.from ?? "unknown sender"}`);
        else if (event.type === "outbound.dead") setText(`A provider command failed for good (${d.action ?? "command"})`);
      }),
    [],
  );
  return html`<div class="announcer" aria-live="polite" data-testid="live-notice">${text}</div>`;
}

function Shell({ route, children }) {
  const signOut = () => {
    clearToken();
    live.stop();
    navigate("#/signin");
  };
  return html`
    <a class="skip" href="#main" onClick=${(e) => {
      e.preventDefault();
      document.getElementById("main")?.focus();
    }}>Skip to content</a>
    <header class="top">
      <div class="brand"><span aria-hidden="true">☎</span> Frontdesk</div>
      <nav aria-label="Console">
        <ul>
          ${PAGES.map(
            ([key, label]) =>
              html`<li><a href=${`#/${key}`} aria-current=${route.page === key ? "page" : undefined} data-testid=${`nav-${key}`}>${label}</a></li>`,
          )}
        </ul>
      </nav>
      <div class="session">
        <${LiveIndicator} />
        <button type="button" class="secondary" onClick=${signOut} data-testid="signout">Sign out</button>
      </div>
    </header>
    <${LiveAnnouncer} />
    <main id="main" tabindex="-1">${children}</main>`;
}

function App() {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const changed = () => setRoute(parseHash(location.hash));
    window.addEventListener("hashchange", changed);
    return () => window.removeEventListener("hashchange", changed);
  }, []);

  const token = getToken();
  useEffect(() => {
    if (!token && route.page !== "signin") navigate("#/signin");
    if (token && route.page !== "signin") live.start();
  }, [token, route.page]);

  if (route.page === "signin" || !token) {
    return html`<main id="main" tabindex="-1" class="signin-main"><${SignIn} /></main>`;
  }
  if (route.page === "calls" && route.id) {
    return html`<${Shell} route=${route}><${CallDetail} key=${route.id} id=${route.id} /><//>`;
  }
  const found = PAGES.find(([key]) => key === route.page);
  if (!found) {
    return html`<${Shell} route=${route}>
      <h1>Not found</h1>
      <p>There is no page <code>${location.hash}</code>. <a href="#/calls">Go to the calls</a>.</p>
    <//>`;
  }
  const Page = found[2];
  return html`<${Shell} route=${route}><${Page} key=${route.page} /><//>`;
}

render(html`<${App} />`, /** @type {HTMLElement} */ (document.getElementById("app")));
