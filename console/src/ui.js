// Shared pieces: htm bound to Preact, formatting, the error box, paged lists, live refresh.
import { h } from "preact";
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import htm from "htm";

import { api, describeError } from "./api.js";
import { live } from "./live.js";

export const html = htm.bind(h);

/** @param {string|null|undefined} value an RFC 3339 time */
export function Time({ value }) {
  if (!value) return html`<span class="muted">—</span>`;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return html`<span>${value}</span>`;
  return html`<time datetime=${value} title=${value}>${formatTime(date)}</time>`;
}

const timeFormat = new Intl.DateTimeFormat(undefined, {
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});
export const formatTime = (date) => timeFormat.format(date);

/** A small label for an enum value (outcome, status, …): styled by its value. */
export const Badge = ({ value, kind = "" }) =>
  value === null || value === undefined || value === ""
    ? html`<span class="muted">—</span>`
    : html`<span class="badge ${kind}" data-value=${value}>${String(value)}</span>`;

/** Errors shown on the page, announced to screen readers. */
export function ErrorBox({ error, testid = "error" }) {
  return html`<div class="error-box" role="alert" data-testid=${testid} hidden=${!error}>
    ${error ? describeError(error) : ""}
  </div>`;
}

/** A success or info line (announced politely). */
export function Notice({ text, testid = "notice" }) {
  return html`<div class="notice" role="status" aria-live="polite" data-testid=${testid} hidden=${!text}>${text ?? ""}</div>`;
}

/** A table inside its own horizontally scrolling container. */
export const TableWrap = ({ label, children }) =>
  html`<div class="table-wrap" role="region" aria-label=${label} tabindex="0">${children}</div>`;

/**
 * Refreshes when a live event of one of `prefixes` arrives, and every 2 s while the live
 * socket is not open.
 * @param {string[]} prefixes e.g. ["call."]
 * @param {(event: import("./live.js").LiveEvent|null) => void} refresh
 */
export function useLive(prefixes, refresh) {
  const latest = useRef(refresh);
  latest.current = refresh;
  const key = prefixes.join(",");
  useEffect(() => {
    const off = live.on((event) => {
      if (prefixes.some((p) => event.type.startsWith(p))) latest.current(event);
    });
    const timer = setInterval(() => {
      if (live.state !== "open" && document.visibilityState !== "hidden") latest.current(null);
    }, 2000);
    return () => {
      off();
      clearInterval(timer);
    };
  }, [key]);
}

/**
 * A cursor-paged list route: the first page, "Load more", and a refresh that merges the
 * first page again into what is loaded (newest-first lists).
 * @param {string|null} path null: nothing to load
 * @param {Record<string, any>} query
 * @param {(item: any) => string} keyOf
 */
export function usePagedList(path, query = {}, keyOf = (item) => item.id) {
  const [state, setState] = useState({ items: [], cursor: null, hasMore: false, loading: true, error: null, pages: 0 });
  const busy = useRef(false);
  const generation = useRef(0);
  const queryKey = JSON.stringify(query);
  const current = useRef(state);
  current.current = state;

  const load = useCallback(async () => {
    if (!path) return;
    const mine = ++generation.current;
    setState((s) => ({ ...s, loading: true, error: null }));
    try {
      const page = await api(path, { query: { ...query, limit: 50 } });
      if (mine !== generation.current) return;
      setState({ items: page.data, cursor: page.next_cursor, hasMore: page.has_more, loading: false, error: null, pages: 1 });
    } catch (error) {
      if (mine !== generation.current) return;
      setState({ items: [], cursor: null, hasMore: false, loading: false, error, pages: 0 });
    }
  }, [path, queryKey]);

  useEffect(() => {
    load();
  }, [load]);

  const loadMore = useCallback(async () => {
    const mine = generation.current;
    const cursor = current.current.cursor;
    if (!cursor) return;
    setState((s) => ({ ...s, loading: true }));
    try {
      const page = await api(path, { query: { ...query, limit: 50, cursor } });
      if (mine !== generation.current) return;
      setState((s) => {
        const seen = new Set(s.items.map(keyOf));
        return {
          ...s,
          items: [...s.items, ...page.data.filter((item) => !seen.has(keyOf(item)))],
          cursor: page.next_cursor,
          hasMore: page.has_more,
          loading: false,
          error: null,
          pages: s.pages + 1,
        };
      });
    } catch (error) {
      if (mine === generation.current) setState((s) => ({ ...s, loading: false, error }));
    }
  }, [path, queryKey]);

  const refresh = useCallback(async () => {
    // A route this server does not have (404) is not asked again until the page reloads it.
    if (!path || busy.current || current.current.error?.status === 404) return;
    busy.current = true;
    const mine = generation.current;
    try {
      const page = await api(path, { query: { ...query, limit: 50 } });
      if (mine !== generation.current) return;
      setState((s) => {
        const fresh = new Set(page.data.map(keyOf));
        const more = s.pages > 1;
        return {
          ...s,
          items: [...page.data, ...s.items.filter((item) => !fresh.has(keyOf(item)))],
          cursor: more ? s.cursor : page.next_cursor,
          hasMore: more ? s.hasMore : page.has_more,
          loading: false,
          error: null,
          pages: Math.max(s.pages, 1),
        };
      });
    } catch (error) {
      if (mine === generation.current) setState((s) => ({ ...s, error }));
    } finally {
      busy.current = false;
    }
  }, [path, queryKey]);

  return { ...state, load, loadMore, refresh };
}

/** The "Load more" button and the list's state line. */
export function More({ list, what }) {
  return html`<div class="more">
    ${list.hasMore
      ? html`<button type="button" onClick=${list.loadMore} disabled=${list.loading} data-testid="load-more">Load more</button>`
      : !list.loading && !list.error
        ? html`<span class="muted">${list.items.length ? `All ${list.items.length} ${what} shown.` : `No ${what} yet.`}</span>`
        : null}
    ${list.loading ? html`<span class="muted" aria-live="polite">Loading…</span>` : null}
  </div>`;
}

/** A page's heading, focused when the page opens (keyboard and screen reader users). */
export function PageTitle({ children }) {
  const ref = useRef(/** @type {HTMLHeadingElement|null} */ (null));
  useEffect(() => {
    ref.current?.focus({ preventScroll: true });
  }, []);
  return html`<h1 tabindex="-1" ref=${ref}>${children}</h1>`;
}

/** Runs an action (a button's), keeping its error or success text. */
export function useAction() {
  const [error, setError] = useState(/** @type {unknown} */ (null));
  const [notice, setNotice] = useState(/** @type {string|null} */ (null));
  const [busy, setBusy] = useState(false);
  const run = useCallback(async (action, success) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const result = await action();
      if (success) setNotice(typeof success === "function" ? success(result) : success);
      return result;
    } catch (caught) {
      setError(caught);
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { error, notice, busy, run, setError, setNotice };
}
