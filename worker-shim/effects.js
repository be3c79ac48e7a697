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
export const OBJECT_ONLY = new Set([
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

// The answer a host gives without running the handler: an injected fault, or an effect this
// host does not have; null when the handler is to run.
function refusal(effect, backend) {
  const { id, op } = effect;
  const faultClass = FAULT_CLASS[op];
  if (injected(backend.faults, faultClass)) {
    // The same message as the native host's `--fault`.
    return failure(id, defaultCode(faultClass), `injected fault: ${faultClass}`);
  }
  if (typeof backend[op] !== "function") {
    // The native host's words for the same refusal.
    const message = OBJECT_ONLY.has(op) ? `${op} outside an object` : `${op} is not supported by this host`;
    return failure(id, "internal", message);
  }
  return null;
}

function success(id, value) {
  return { id, ok: true, value: value === undefined ? null : value };
}

function caught(effect, error) {
  if (error instanceof EffectError) return failure(effect.id, error.code, error.message);
  return failure(effect.id, defaultCode(FAULT_CLASS[effect.op]), `${effect.op}: ${error?.message ?? String(error)}`);
}

export async function performEffect(effect, backend) {
  const refused = refusal(effect, backend);
  if (refused) return refused;
  try {
    return success(effect.id, await backend[effect.op](effect));
  } catch (error) {
    return caught(effect, error);
  }
}

// The same for an effect whose handler answers without awaiting (backend.sync names them).
function performEffectNow(effect, backend) {
  const refused = refusal(effect, backend);
  if (refused) return refused;
  try {
    return success(effect.id, backend[effect.op](effect));
  } catch (error) {
    return caught(effect, error);
  }
}

// All effects of one step run concurrently: the core awaits them together.
export function performEffects(effects, backend) {
  return Promise.all(effects.map((effect) => performEffect(effect, backend)));
}

// Whether every effect of a step can be performed without awaiting: backend.sync is the Set
// of ops whose handlers return their value rather than a promise (SQL, now, random, …).
function allSync(effects, backend) {
  const sync = backend.sync;
  return sync !== undefined && effects.every((effect) => sync.has(effect.op));
}

function checkWaiting(output) {
  if (output.session === undefined) {
    const { code, message } = output.error ?? {};
    throw new Error(`step input refused: ${code}: ${message}`);
  }
  if (!Array.isArray(output.effects) || output.effects.length === 0) {
    throw new Error(`session ${output.session} is waiting on no effect`);
  }
}

// Frees a session in the core before giving up on it.
function abandon(step, session) {
  try {
    step({ op: "abort", session });
  } catch {
    // The runtime itself is broken; the caller learns it from the first error.
  }
}

// Runs one session to its end: step → perform its effects → resume … → the done output.
// step: (input object) → output object (a Runtime's step). A step whose effects are all
// synchronous (backend.sync) is resumed at once, without a turn of the event loop.
export async function drive(step, firstInput, backend) {
  let output = step(firstInput);
  while (!output.done) {
    checkWaiting(output);
    const session = output.session;
    try {
      const results = allSync(output.effects, backend)
        ? output.effects.map((effect) => performEffectNow(effect, backend))
        : await performEffects(output.effects, backend);
      output = step({ op: "resume", session, results });
    } catch (error) {
      abandon(step, session);
      throw error;
    }
  }
  return output;
}

// What driveSync answers when a step asks for an effect that needs awaiting (a fetch, KV,
// another object): the session was aborted; run the input again with drive.
export const NEEDS_AWAIT = Symbol("needs await");

// drive without awaiting anything, for a call that must finish inside one synchronous
// storage transaction (a Durable Object's transactionSync). Every effect must be in
// backend.sync; on the first step that asks for another, the session is aborted and
// NEEDS_AWAIT returned, with nothing of the session's effects outside the transaction
// performed (and a `sql#N` fault count put back as it was).
export function driveSync(step, firstInput, backend) {
  const sqlSeen = backend.faults?.sqlSeen;
  let output = step(firstInput);
  while (!output.done) {
    checkWaiting(output);
    const session = output.session;
    if (!allSync(output.effects, backend)) {
      abandon(step, session);
      if (sqlSeen !== undefined) backend.faults.sqlSeen = sqlSeen;
      return NEEDS_AWAIT;
    }
    try {
      const results = output.effects.map((effect) => performEffectNow(effect, backend));
      output = step({ op: "resume", session, results });
    } catch (error) {
      abandon(step, session);
      throw error;
    }
  }
  return output;
}
