// The effect performer and the step loop (docs/wire.md), written against an abstract
// backend so the Worker, the Durable Object and the WASI test driver share one
// implementation: the same fault rules, the same error codes, the same loop.
//
// A backend maps effect ops to async handlers, `{"kv.get": async (effect) => value, …}`,
// plus `faults`: a Set of fault classes (kv, storage, sql, objects, fetch) to fail.
// A handler that is missing means the effect is not available on this host.

// Thrown by a handler that must choose the error code itself (an object's own error).
export class EffectError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

const FAULT_CLASS = {
  "kv.get": "kv",
  "kv.put": "kv",
  "kv.delete": "kv",
  "kv.list": "kv",
  "storage.get": "storage",
  "storage.put": "storage",
  "storage.delete": "storage",
  "storage.list": "storage",
  "sql.exec": "sql",
  "object.call": "objects",
  fetch: "fetch",
};

export const FAULT_CLASSES = ["kv", "storage", "sql", "objects", "fetch"];

// Effects that act on an object's own storage: answered `internal` outside an object.
const OBJECT_ONLY = new Set([
  "storage.get",
  "storage.put",
  "storage.delete",
  "storage.list",
  "sql.exec",
  "alarm.set",
  "live.publish",
]);

// The Worker var's faults, parsed once per isolate: a `sql#N` count spans every call.
const parsedVars = new Map();

// "storage,sql" (the Worker var) or ["storage"] (an option) → a Set of known classes, and
// `sql#N`: only the Nth SQL statement this host runs fails (nthSql, counted in sqlSeen).
export function parseFaults(faults) {
  if (typeof faults === "string" && parsedVars.has(faults)) return parsedVars.get(faults);
  const list = typeof faults === "string" ? faults.split(",") : (faults ?? []);
  const set = new Set();
  set.nthSql = 0;
  set.sqlSeen = 0;
  for (const item of list) {
    const name = String(item).trim();
    if (!name) continue;
    const nth = /^sql#([1-9][0-9]{0,8})$/.exec(name);
    if (nth) {
      set.nthSql = Number(nth[1]);
      continue;
    }
    if (!FAULT_CLASSES.includes(name)) throw new Error(`unknown fault class '${name}'`);
    set.add(name);
  }
  if (typeof faults === "string") parsedVars.set(faults, set);
  return set;
}

function injected(faults, faultClass) {
  if (!faults || !faultClass) return false;
  if (faults.has(faultClass)) return true;
  return faultClass === "sql" && faults.nthSql > 0 && ++faults.sqlSeen === faults.nthSql;
}

// Any failure of KV, storage, SQL or an object is storage_unavailable; the rest internal.
function defaultCode(faultClass) {
  return faultClass && faultClass !== "fetch" ? "storage_unavailable" : "internal";
}

function failure(id, code, message) {
  return { id, ok: false, error: { code, message } };
}

export async function performEffect(effect, backend) {
  const { id, op } = effect;
  const faultClass = FAULT_CLASS[op];
  if (injected(backend.faults, faultClass)) {
    // The same message as the native host's `--fault`.
    return failure(id, defaultCode(faultClass), `injected fault: ${faultClass}`);
  }
  const handler = backend[op];
  if (typeof handler !== "function") {
    // The native host's words for the same refusal.
    const message = OBJECT_ONLY.has(op) ? `${op} outside an object` : `${op} is not supported by this host`;
    return failure(id, "internal", message);
  }
  try {
    const value = await handler(effect);
    return { id, ok: true, value: value === undefined ? null : value };
  } catch (error) {
    if (error instanceof EffectError) return failure(id, error.code, error.message);
    return failure(id, defaultCode(faultClass), `${op}: ${error?.message ?? String(error)}`);
  }
}

// All effects of one step run concurrently: the core awaits them together.
export function performEffects(effects, backend) {
  return Promise.all(effects.map((effect) => performEffect(effect, backend)));
}

// Runs one session to its end: step → perform its effects → resume … → the done output.
// step: (input object) → output object (a Runtime's step).
export async function drive(step, firstInput, backend) {
  let output = step(firstInput);
  while (!output.done) {
    if (output.session === undefined) {
      const { code, message } = output.error ?? {};
      throw new Error(`step input refused: ${code}: ${message}`);
    }
    const session = output.session;
    try {
      if (!Array.isArray(output.effects) || output.effects.length === 0) {
        throw new Error(`session ${session} is waiting on no effect`);
      }
      const results = await performEffects(output.effects, backend);
      output = step({ op: "resume", session, results });
    } catch (error) {
      // Free the session in the core before giving up on it.
      try {
        step({ op: "abort", session });
      } catch {
        // The runtime itself is broken; the caller learns it from the first error.
      }
      throw error;
    }
  }
  return output;
}
