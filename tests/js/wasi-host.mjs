// The WASI build of the core as a test target: the module in node:wasi, its effects
// performed by worker-shim/effects.js (the Worker's own performer) on in-process
// stand-ins: KV in a Map, objects as serial actors each with its own SQLite database
// (sql.js: real SQLite compiled to Wasm), storage.* in that database's _storage table
// exactly as the Durable Object keeps it.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { WASI } from "node:wasi";
import initSqlJs from "sql.js";

import { openRuntime } from "../../worker-shim/abi.js";
import { checkCallChain, objectName } from "../../worker-shim/edge-backend.js";
import { drive, EffectError, parseFaults } from "../../worker-shim/effects.js";
import { hostEffects } from "../../worker-shim/host-effects.js";
import { objectStorageEffects } from "../../worker-shim/object-storage.js";
import { decodeBase64, encodeBase64 } from "../../worker-shim/base64.js";

export const WASI_MODULE_PATH = fileURLToPath(new URL("../../build/wasi/wasm/frontdesk.wasm", import.meta.url));

let compiled = null;
export function compileWasiModule(path = WASI_MODULE_PATH) {
  compiled ??= readFile(path).then((bytes) => WebAssembly.compile(bytes));
  return compiled;
}

// A fresh instance of the reactor module and a Runtime on it: {step, close}.
export async function openWasiRuntime(init, module) {
  module ??= await compileWasiModule();
  const wasi = new WASI({ version: "preview1", args: [], env: {} });
  const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
  wasi.initialize(instance); // a reactor: runs its constructors, no main
  const x = instance.exports;
  return openRuntime(
    {
      alloc: x.fd_alloc,
      free: x.fd_free,
      runtimeNew: x.fd_runtime_new,
      runtimeFree: x.fd_runtime_free,
      step: x.fd_step,
      heap: () => new Uint8Array(x.memory.buffer),
    },
    init,
  );
}

let sqlJs = null;
export const loadSqlJs = () => (sqlJs ??= initSqlJs());

// Code-point order, as KV and SQLite order keys (UTF-16 order differs above U+FFFF).
function compareKeys(a, b) {
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    const x = a.codePointAt(i);
    const y = b.codePointAt(j);
    if (x !== y) return x - y;
    i += x > 0xffff ? 2 : 1;
    j += y > 0xffff ? 2 : 1;
  }
  return a.length - b.length;
}

// Workers KV, in memory: values with an optional expiry, listed by prefix in key order;
// a cursor is the last key of the previous page.
export function memoryKv(now) {
  const entries = new Map();
  const live = (key) => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt !== null && entry.expiresAt <= now()) entries.delete(key);
    return entries.get(key);
  };
  return {
    "kv.get": ({ key }) => live(key)?.value ?? null,
    "kv.put": ({ key, value, ttl_s }) => {
      entries.set(key, { value, expiresAt: ttl_s == null ? null : now() + ttl_s * 1000 });
      return null;
    },
    "kv.delete": ({ key }) => {
      entries.delete(key);
      return null;
    },
    "kv.list": ({ prefix = "", cursor = "", limit = 1000 }) => {
      const keys = [...entries.keys()]
        .filter((key) => key.startsWith(prefix) && (cursor === "" || compareKeys(key, cursor) > 0) && live(key))
        .sort(compareKeys);
      const page = keys.slice(0, Math.max(limit, 1));
      return { keys: page, cursor: keys.length > page.length ? page[page.length - 1] : "" };
    },
  };
}

// A sql.js database as the `db` that worker-shim/object-storage.js expects.
export function sqlJsDatabase(db) {
  return {
    query(text, params) {
      const statement = db.prepare(text);
      try {
        // sql.js leaves missing parameters NULL; the edge and the native host refuse a
        // count that does not match, so this does too: one more must not bind, these must.
        let tooFew = true;
        try {
          statement.bind([...params, 0]);
        } catch {
          tooFew = false;
        }
        if (tooFew) throw new Error("wrong number of parameters");
        statement.bind(params);
        const columns = statement.getColumnNames();
        const rows = [];
        while (statement.step()) rows.push(statement.get());
        return { columns, rows };
      } finally {
        statement.free();
      }
    },
  };
}

function headerPairs(headers) {
  if (!headers) return [];
  return Array.isArray(headers) ? headers : Object.entries(headers);
}

// Objects as serial actors over a runtime's `step`, each with its own sql.js database and one
// transaction per call; `shared` performs every other effect. setAlarm(target, atMs) is
// told of each alarm.set (the target is the actor: keep what you need on it; objects.alarm(target)
// runs its alarm). → {request(input), call(kind, id, message), alarm(target), close()}.
export function objectHost({ step, SQL, shared, setAlarm }) {
  const actors = new Map();

  function actor(kind, id) {
    const name = objectName(kind, id);
    let found = actors.get(name);
    if (found) return found;
    const database = new SQL.Database();
    found = { kind, id, name, database, queue: Promise.resolve(), alarm: null, fresh: true };
    found.effects = {
      ...objectStorageEffects(sqlJsDatabase(database)),
      "alarm.set": ({ at_ms }) => {
        setAlarm(found, at_ms);
        return null;
      },
    };
    actors.set(name, found);
    return found;
  }

  // chain: the objects whose calls wait on this session ("kind/id"), as in the Worker.
  const backend = (chain, objectEffects) => ({
    ...shared,
    ...objectEffects,
    "object.call": (effect) => callObject(effect, chain),
  });

  // Calls into one object never overlap, and each runs in one transaction committed when
  // the call answers and rolled back when it fails, as natively (docs/wire.md).
  function serially(target, input, callers) {
    const run = async () => {
      target.database.run("BEGIN IMMEDIATE");
      try {
        const output = await drive(step, { ...input, fresh: target.fresh }, backend([...callers, target.name], target.effects));
        if (output.error) {
          target.database.run("ROLLBACK");
        } else {
          target.database.run("COMMIT");
          target.fresh = false;
        }
        return output;
      } catch (error) {
        try {
          target.database.run("ROLLBACK");
        } catch {
          // SQLite already rolled back on its own
        }
        throw error;
      }
    };
    const result = target.queue.then(run, run);
    target.queue = result.catch(() => {});
    return result;
  }

  // "id" is the effect's own id; the object's is object_id (docs/wire.md).
  async function callObject({ kind, object_id: id, message }, chain) {
    checkCallChain(chain, kind, id);
    const output = await serially(actor(kind, id), { op: "object.call", kind, id, message }, chain);
    if (output.error) throw new EffectError(output.error.code, output.error.message);
    return output.reply;
  }

  const requestBackend = backend([], {});
  return {
    request: (input) => drive(step, input, requestBackend),
    call: (kind, id, message) => callObject({ kind, object_id: id, message }, []),
    // Outside the object's turn, as on every host (docs/wire.md): it calls into the object.
    alarm: (target) => drive(step, { op: "object.alarm", kind: target.kind, id: target.id }, requestBackend),
    close() {
      for (const target of actors.values()) {
        clearTimeout(target.alarm);
        target.database.close();
      }
      actors.clear();
    },
  };
}

// sql.js whose databases tell onStatement(text) of each statement they prepare (every
// statement the core runs; BEGIN and COMMIT, which only this host adds, are not prepared).
function observedSql(sqlJs, onStatement) {
  return {
    Database: class extends sqlJs.Database {
      prepare(text, ...rest) {
        onStatement(text);
        return super.prepare(text, ...rest);
      }
    },
  };
}

// options: {config, env, faults: ["storage", …], now: () => ms, log: (record) => void,
// onStatement: (sql) => void (told of every SQL statement an object runs)}.
// → {name, handle(request), close()}; handle({method, path, query, headers, body}) →
// {status, headers: [[name, value]], body: Uint8Array}.
export async function createWasiTarget(options = {}) {
  const { config = {}, env = {} } = options;
  const now = options.now ?? (() => Date.now());
  const faults = parseFaults(options.faults);
  const [runtime, sqlJs] = await Promise.all([openWasiRuntime({ config, env }), loadSqlJs()]);
  const SQL = options.onStatement ? observedSql(sqlJs, options.onStatement) : sqlJs;
  const step = (input) => runtime.step(input);

  const shared = { faults, ...hostEffects({ now, log: options.log }), ...memoryKv(now) };
  let closed = false;
  const objects = objectHost({ step, SQL, shared, setAlarm });

  // Like a Durable Object alarm: one per object, a later set replaces it.
  function setAlarm(target, atMs) {
    clearTimeout(target.alarm);
    target.alarm = setTimeout(
      () => {
        target.alarm = null;
        if (closed) return;
        objects.alarm(target).catch(() => {});
      },
      Math.max(0, atMs - now()),
    );
    target.alarm.unref?.();
  }

  return {
    name: "wasi",
    async handle({ method = "GET", path = "/", query = "", headers, body }) {
      const request = {
        method,
        path,
        query,
        headers: headerPairs(headers),
        body_b64: encodeBase64(body ?? new Uint8Array(0)),
      };
      const output = await objects.request({ op: "request", request });
      if (!output.response) throw new Error("the session ended without a response");
      const { status, headers: responseHeaders, body_b64 } = output.response;
      return { status, headers: responseHeaders, body: decodeBase64(body_b64) };
    },
    close() {
      closed = true;
      objects.close();
      runtime.close();
    },
  };
}
