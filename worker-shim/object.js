// The Durable Object behind every object(kind, id) of the core. Its storage is SQLite:
// storage.* in the table _storage and the core's SQL beside it (object-storage.js), the
// same layout as the native host and the WASI driver.
import { DurableObject } from "cloudflare:workers";
import { getCore } from "./core.js";
import { callObject, edgeBackend, objectName, withChain } from "./edge-backend.js";
import { drive, driveSync, EffectError, NEEDS_AWAIT, OBJECT_ONLY } from "./effects.js";
import { SYNC_HOST_EFFECTS } from "./host-effects.js";
import { refuseLive } from "./live.js";
import { objectStorageEffects } from "./object-storage.js";

// Thrown inside a storage transaction to roll back a call that answered with an error.
const ROLLBACK = Symbol("rollback");

// Where the object remembers who it is, so that alarm() (which has no request) can run
// an object.alarm session. Kept in the DO's own key-value store, out of the core's SQL.
const IDENTITY_KEY = "frontdesk:identity";

// What a call may do without awaiting: its own storage (synchronous on SQLite), and the
// Worker's synchronous effects.
const OBJECT_SYNC = new Set([...SYNC_HOST_EFFECTS, ...OBJECT_ONLY]);

// ctx.storage.sql as the `db` object-storage.js expects.
function sqlDatabase(sql) {
  return {
    query(text, params) {
      const bindings = params.map((p) => (p instanceof Uint8Array ? p.slice().buffer : p));
      const cursor = sql.exec(text, ...bindings);
      const rows = cursor.raw().toArray(); // steps the statement to its end
      return { columns: cursor.columnNames, rows };
    },
  };
}

export class FrontdeskObject extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    this.identity = null;
    // Until a call of this instance commits, the core sets up the object's storage first
    // (docs/wire.md, "fresh").
    this.fresh = true;
    // Calls never overlap (docs/wire.md): input gates only hold while storage is awaited,
    // and a call may await fetch or another object, so calls queue here.
    this.queue = Promise.resolve();
    // The effects of this object's calls, made once: the Worker's, plus its own storage.
    this.effects = {
      ...edgeBackend(env, []),
      sync: OBJECT_SYNC,
      ...objectStorageEffects(sqlDatabase(ctx.storage.sql)),
      // On SQLite the alarm is written with the call's transaction; the promise only
      // reports what the write already did.
      "alarm.set": (effect) => {
        ctx.storage.setAlarm(effect.at_ms).catch((error) => console.error(`frontdesk object: setAlarm: ${error}`));
        return null;
      },
    };
  }

  serially(task) {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => {});
    return run;
  }

  // One call, one storage transaction: committed when the core answers with a reply,
  // rolled back when it answers with an error, so a failed call leaves nothing behind.
  // What the call published for the live sockets goes to them only once it committed.
  // A call that touches only this object's storage (every webhook) runs in one synchronous
  // transaction, with no turn of the event loop; one that must await (KV, another object)
  // is rolled back where it first would and run again in an asynchronous transaction.
  async run(input, chain) {
    const core = await getCore(this.env);
    const published = [];
    // chain: the calls waiting on this one, this object last.
    const backend = withChain(this.effects, this.env, chain);
    backend["live.publish"] = (effect) => {
      published.push(...effect.messages);
      return null;
    };
    const listening = input.op === "object.call" && this.ctx.getWebSockets().length > 0;
    const first = { ...input, fresh: this.fresh, listening };
    let output = this.runNow(core, first, backend);
    if (output === NEEDS_AWAIT) {
      published.length = 0;
      output = await this.runAwaiting(core, first, backend);
    }
    if (!output.error) {
      this.fresh = false;
      if (published.length > 0) this.publish(published);
    }
    return output;
  }

  // → the done output, or NEEDS_AWAIT with nothing of the call kept.
  runNow(core, input, backend) {
    let output;
    try {
      this.ctx.storage.transactionSync(() => {
        output = driveSync(core.step, input, backend);
        if (output === NEEDS_AWAIT || output.error) throw ROLLBACK;
      });
    } catch (error) {
      if (error !== ROLLBACK) throw error;
    }
    return output;
  }

  async runAwaiting(core, input, backend) {
    let output;
    try {
      await this.ctx.storage.transaction(async () => {
        output = await drive(core.step, input, backend);
        if (output.error) throw ROLLBACK;
      });
    } catch (error) {
      if (error !== ROLLBACK) throw error;
    }
    return output;
  }

  // Each socket gets the events its ticket may see (its attachment's types).
  publish(messages) {
    for (const socket of this.ctx.getWebSockets()) {
      const types = socket.deserializeAttachment()?.types ?? [];
      for (const message of messages) {
        if (!types.includes(message.type)) continue;
        try {
          socket.send(message.body);
        } catch {
          // A socket closing meanwhile: the runtime drops it.
        }
      }
    }
  }

  // GET /api/v1/live?ticket=… taken here by the Worker (live.js): the core takes the ticket,
  // then the socket is accepted as hibernatable, so an idle console costs no duration.
  async acceptLive(url) {
    const kind = "ledger";
    const id = url.searchParams.get("tenant") ?? "";
    const message = JSON.stringify({ op: "live_take", ticket: url.searchParams.get("ticket") ?? "" });
    const output = await this.serially(async () => {
      await this.remember(kind, id);
      return this.run({ op: "object.call", kind, id, message }, [objectName(kind, id)]);
    });
    if (output.error) {
      if (output.error.code === "unauthenticated") return refuseLive();
      return Response.json({ error: output.error }, { status: 503 });
    }
    const { types } = JSON.parse(output.reply);
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server);
    server.serializeAttachment({ types });
    return new Response(null, { status: 101, webSocket: client });
  }

  // The console sends nothing the ledger needs; a close is answered.
  webSocketMessage() {}

  webSocketClose(socket, code) {
    try {
      socket.close(code === 1005 ? 1000 : code, "closing");
    } catch {
      // Already closed.
    }
  }

  async remember(kind, id) {
    if (this.identity) return;
    const stored = await this.ctx.storage.get(IDENTITY_KEY);
    if (!stored) await this.ctx.storage.put(IDENTITY_KEY, { kind, id });
    this.identity = stored ?? { kind, id };
  }

  async callSelf(message) {
    const { kind, id } = this.identity;
    const output = await this.serially(() => this.run({ op: "object.call", kind, id, message }, [objectName(kind, id)]));
    if (output.error) throw new EffectError(output.error.code, output.error.message);
    return output.reply;
  }

  // An object call over RPC (edge-backend.js callObject) → {reply: "…"} or {error: {code, message}}.
  async call(kind, id, message, chain) {
    try {
      const output = await this.serially(async () => {
        await this.remember(kind, id);
        return this.run({ op: "object.call", kind, id, message }, [...chain, objectName(kind, id)]);
      });
      return output.error ? { error: output.error } : { reply: output.reply };
    } catch (error) {
      console.error(`frontdesk object: call failed: ${error?.message ?? error}`);
      return { error: { code: "internal", message: "object call failed" } };
    }
  }

  // Only the console's live socket comes by fetch (live.js).
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === "/live") return this.acceptLive(url);
    return Response.json({ error: { code: "not_found", message: "objects are called over RPC" } }, { status: 404 });
  }

  // The alarm session runs outside this object's turn (docs/wire.md): it calls into the
  // object as any caller does, so webhooks are served while it waits on providers.
  async alarm() {
    const identity = this.identity ?? (await this.ctx.storage.get(IDENTITY_KEY));
    if (!identity) return; // never called, so nothing of the core's set this alarm
    this.identity = identity;
    const { kind, id } = identity;
    const core = await getCore(this.env);
    const self = objectName(kind, id);
    const backend = Object.create(edgeBackend(this.env, []));
    // Into this very object: queued here, without a round trip through its stub.
    backend["object.call"] = (effect) => {
      if (objectName(effect.kind, effect.object_id) === self) return this.callSelf(effect.message);
      return callObject(this.env, effect.kind, effect.object_id, effect.message, []);
    };
    const output = await drive(core.step, { op: "object.alarm", kind, id }, backend);
    // Throwing makes the runtime retry the alarm later, as a failed alarm should be.
    if (output.error) throw new Error(`alarm of ${identity.kind}/${identity.id} failed: ${output.error.code}`);
  }
}
