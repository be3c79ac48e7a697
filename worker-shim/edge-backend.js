// Effects on Cloudflare bindings: kv.* on Workers KV (env.KV), object.call on Durable
// Objects (env.OBJECTS), plus fetch/now/random/log. storage.*, sql.exec and alarm.set
// are absent here: only an object has them (object.js adds them).
import { EffectError, parseFaults } from "./effects.js";
import { hostEffects, SYNC_HOST_EFFECTS } from "./host-effects.js";

const KV_MIN_TTL_S = 60; // Workers KV refuses shorter expirationTtl values
const KV_MAX_LIST = 1000; // and longer list pages

export const objectName = (kind, id) => `${kind}/${id}`;

// A call into an object that is already waiting down the chain would wait for itself
// forever (calls into one object never overlap): refused, as the native host does.
export function checkCallChain(chain, kind, id) {
  if (chain.includes(objectName(kind, id))) {
    throw new EffectError("internal", "object.call into an object already in the call chain");
  }
}

// The Durable Object of (kind, id), called over RPC. chain: the objects ("kind/id") whose
// calls wait on this one.
export async function callObject(env, kind, id, message, chain) {
  const stub = env.OBJECTS.get(env.OBJECTS.idFromName(objectName(kind, id)));
  const answer = await stub.call(kind, id, message, chain);
  if (answer.error) throw new EffectError(answer.error.code, answer.error.message);
  if (typeof answer.reply !== "string") throw new Error(`object ${kind}/${id} sent no reply`);
  return answer.reply;
}

const EDGE_SYNC = new Set(SYNC_HOST_EFFECTS);

// The Worker's effects, made once per env (an isolate keeps its env): a request's backend.
const edgeBackends = new WeakMap();

// chain: as for callObject; empty for a request. A backend with a chain shares the rest
// (its prototype): only object.call depends on the chain.
export function edgeBackend(env, chain = []) {
  let base = edgeBackends.get(env);
  if (!base) {
    base = makeEdgeBackend(env);
    edgeBackends.set(env, base);
  }
  return chain.length === 0 ? base : withChain(base, env, chain);
}

// A backend of `base`'s effects whose object.call refuses the objects of `chain`.
export function withChain(base, env, chain) {
  const backend = Object.create(base);
  backend["object.call"] = ({ kind, object_id: id, message }) => {
    checkCallChain(chain, kind, id);
    return callObject(env, kind, id, message, chain);
  };
  return backend;
}

function makeEdgeBackend(env) {
  const kv = env.KV;
  return {
    faults: parseFaults(env.FRONTDESK_FAULTS),
    sync: EDGE_SYNC,
    ...hostEffects(),
    async "kv.get"(effect) {
      return await kv.get(effect.key, { type: "text" });
    },
    async "kv.put"(effect) {
      const options = effect.ttl_s == null ? {} : { expirationTtl: Math.max(KV_MIN_TTL_S, effect.ttl_s) };
      await kv.put(effect.key, effect.value, options);
      return null;
    },
    async "kv.delete"(effect) {
      await kv.delete(effect.key);
      return null;
    },
    async "kv.list"(effect) {
      const limit = Math.min(Math.max(effect.limit ?? KV_MAX_LIST, 1), KV_MAX_LIST);
      const page = await kv.list({ prefix: effect.prefix ?? "", cursor: effect.cursor || undefined, limit });
      return { keys: page.keys.map((key) => key.name), cursor: page.list_complete ? "" : (page.cursor ?? "") };
    },
    // "id" is the effect's own id; the object's is object_id (docs/wire.md).
    "object.call"({ kind, object_id: id, message }) {
      return callObject(env, kind, id, message, []);
    },
  };
}
