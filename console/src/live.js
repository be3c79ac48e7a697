// Live updates: a single-use ticket (POST /api/v1/live/tickets), then a WebSocket carrying
// the fan-out events. Reconnects with a new ticket and backoff (1 s, 2 s, … 30 s); pages
// poll while it is not open.
import { api, ApiError } from "./api.js";

/**
 * The WebSocket URL of `url` (absolute or relative to the page), ws: or wss: as the page.
 * @param {{href: string}} location @param {string} url
 */
export function wsUrlFrom(location, url) {
  const absolute = new URL(url, location.href);
  absolute.protocol = absolute.protocol === "https:" ? "wss:" : "ws:";
  return absolute.href;
}

/** @typedef {{type: string, timestamp: string, data: any}} LiveEvent */
/** @typedef {"off"|"connecting"|"open"|"retrying"|"unavailable"} LiveState */

const MAX_DELAY_MS = 30000;

class Live {
  constructor() {
    /** @type {LiveState} */
    this.state = "off";
    /** @type {Set<(event: LiveEvent) => void>} */
    this.listeners = new Set();
    /** @type {Set<(state: LiveState) => void>} */
    this.watchers = new Set();
    /** @type {WebSocket|null} */
    this.socket = null;
    this.timer = 0;
    this.failures = 0;
    this.running = false;
  }

  /** @param {LiveState} state */
  set(state) {
    if (this.state === state) return;
    this.state = state;
    for (const watcher of this.watchers) watcher(state);
  }

  /** @param {(event: LiveEvent) => void} listener → unsubscribe */
  on(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** @param {(state: LiveState) => void} watcher → unsubscribe */
  watch(watcher) {
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }

  start() {
    if (this.running) return;
    this.running = true;
    this.failures = 0;
    this.connect();
  }

  stop() {
    this.running = false;
    clearTimeout(this.timer);
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onclose = socket.onmessage = socket.onerror = socket.onopen = null;
      socket.close(1000, "signed out");
    }
    this.set("off");
  }

  /** @param {LiveState} state */
  retry(state) {
    if (!this.running) return;
    const delay = Math.min(1000 * 2 ** this.failures, MAX_DELAY_MS);
    this.failures += 1;
    this.set(state);
    clearTimeout(this.timer);
    this.timer = window.setTimeout(() => this.connect(), delay);
  }

  async connect() {
    if (!this.running) return;
    this.set("connecting");
    let ticket;
    try {
      ticket = await api("/api/v1/live/tickets", { method: "POST", body: {} });
    } catch (error) {
      if (!this.running) return;
      // A host without the live route answers 404; either way pages poll meanwhile.
      this.retry(error instanceof ApiError && error.status === 404 ? "unavailable" : "retrying");
      return;
    }
    if (!this.running) return;
    let socket;
    try {
      socket = new WebSocket(wsUrlFrom(window.location, ticket.url));
    } catch {
      this.retry("retrying");
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.failures = 0;
      this.set("open");
    };
    socket.onmessage = (message) => {
      if (typeof message.data !== "string") return;
      let event;
      try {
        event = JSON.parse(message.data);
      } catch {
        return;
      }
      if (!event || typeof event.type !== "string") return;
      for (const listener of this.listeners) listener(event);
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.retry("retrying");
    };
  }
}

export const live = new Live();
