// The effects every JS host performs the same way with web-standard APIs (workerd and
// Node both have them): fetch, now, random, log.
import { decodeBase64, encodeBase64 } from "./base64.js";

const NO_BODY_METHODS = new Set(["GET", "HEAD"]);
const MAX_RANDOM_BYTES = 65536; // getRandomValues' limit per call, and the native host's
// A provider that never answers must not hold the object that asked (the tenant ledger sends
// its outbound queue): as natively, no answer within this long is a failed fetch.
const FETCH_TIMEOUT_MS = 10_000;

// options.fetch: the fetch to use (global fetch by default);
// options.log: where log records go (console.log by default);
// options.fetchTimeoutMs: how long a fetch may wait for an answer (FETCH_TIMEOUT_MS).
// The effects below that answer without awaiting (drive in effects.js resumes at once).
export const SYNC_HOST_EFFECTS = ["now", "random", "log"];

export function hostEffects(options = {}) {
  const fetchImpl = options.fetch ?? ((...args) => fetch(...args));
  const log = options.log ?? ((record) => console.log(record));
  const now = options.now ?? (() => Date.now());
  const fetchTimeoutMs = options.fetchTimeoutMs ?? FETCH_TIMEOUT_MS;
  return {
    // An HTTP answer of any status is a success; no answer at all throws → internal.
    async fetch(effect) {
      const method = (effect.method || "GET").toUpperCase();
      const body = decodeBase64(effect.body_b64);
      // A timer cleared as soon as the answer is read: AbortSignal.timeout's stays armed for
      // the whole wait, and workerd allows 10 000 armed timers, which a busy alarm sending
      // fan-out deliveries reaches (every later fetch then fails).
      const controller = new AbortController();
      // The core may ask for longer (fan-out deliveries wait 15 s).
      const timeoutMs = Number.isInteger(effect.timeout_ms) && effect.timeout_ms > 0 ? effect.timeout_ms : fetchTimeoutMs;
      const timer = setTimeout(() => controller.abort(new Error("timed out")), timeoutMs);
      const started = Date.now();
      try {
        const response = await fetchImpl(effect.url, {
          method,
          headers: effect.headers ?? [],
          body: NO_BODY_METHODS.has(method) || body.length === 0 ? undefined : body,
          redirect: "manual", // the core decides what a redirect means
          signal: controller.signal,
        });
        const bytes = new Uint8Array(await response.arrayBuffer());
        const elapsed_ms = Math.max(0, Date.now() - started);
        return { status: response.status, headers: [...response.headers], body_b64: encodeBase64(bytes), elapsed_ms };
      } finally {
        clearTimeout(timer);
      }
    },
    now: () => Math.floor(now()),
    random(effect) {
      // A bigger ask is a bug, not a reason to allocate (as natively).
      if (!(effect.bytes <= MAX_RANDOM_BYTES)) throw new Error("too many bytes asked for");
      return encodeBase64(crypto.getRandomValues(new Uint8Array(effect.bytes)));
    },
    log(effect) {
      log(effect.record);
      return null;
    },
  };
}
