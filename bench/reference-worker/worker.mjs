// The yardstick for bench/workerd-bench.mjs: Frontdesk's Telnyx call job written the way a
// Workers developer would write it by hand, with Hono for routing, WebCrypto for the
// signature and one SQLite-backed Durable Object per tenant called over RPC. It does what the
// bench's cases ask of Frontdesk, and no more:
//   - verify Telnyx's Ed25519 signature over "<timestamp>|<body>" (300 s tolerance);
//   - one object call: record the event once (a repeat is answered duplicate:true);
//   - for a call.initiated: look the caller up in the tenant's lists (known-only: an unknown
//     caller is rejected), record the call and its decision, append a SHA-256-chained audit
//     entry, queue answer + speak, set the alarm;
//   - the alarm sends the queued commands to the provider, in order, and marks them sent.
// Not a product: no retries with backoff, no dead letters, no other sources, no API.
import { DurableObject } from "cloudflare:workers";
import { Hono } from "hono";

const TOLERANCE_S = 300;
const encoder = new TextEncoder();

const fromBase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
const hex = (buffer) => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");

let publicKey = null;
function telnyxKey(env) {
  publicKey ??= crypto.subtle.importKey("raw", fromBase64(env.TELNYX_PUBLIC_KEY), { name: "Ed25519" }, false, ["verify"]);
  return publicKey;
}

async function verified(env, timestamp, signature, body) {
  if (!timestamp || !signature) return false;
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > TOLERANCE_S) return false;
  return crypto.subtle.verify("Ed25519", await telnyxKey(env), fromBase64(signature), encoder.encode(`${timestamp}|${body}`));
}

const app = new Hono();

app.post("/webhooks/telnyx", async (c) => {
  const body = await c.req.text();
  if (!(await verified(c.env, c.req.header("telnyx-timestamp"), c.req.header("telnyx-signature-ed25519"), body))) {
    return c.json({ ok: false, error: { code: "bad_signature" } }, 401);
  }
  let data;
  try {
    data = JSON.parse(body).data;
  } catch {
    return c.json({ ok: false, error: { code: "malformed_body" } }, 400);
  }
  if (typeof data?.id !== "string" || typeof data.event_type !== "string") {
    return c.json({ ok: false, error: { code: "malformed_body" } }, 400);
  }
  const tenant = data.payload?.to && c.env.NUMBERS.split(",").includes(data.payload.to) ? "acme" : "default";
  const ledger = c.env.LEDGER.get(c.env.LEDGER.idFromName(tenant));
  const answer = await ledger.receive({
    id: data.id,
    type: data.event_type,
    occurred_at: data.occurred_at,
    payload: data.payload ?? {},
    raw: body,
  });
  return c.json({ ok: true, event_id: data.id, ...answer });
});

export default app;

export class Ledger extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS events (id TEXT PRIMARY KEY, type TEXT NOT NULL, occurred_at TEXT, raw TEXT NOT NULL,
                                         received_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS lists (number TEXT PRIMARY KEY, list TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS calls (id TEXT PRIMARY KEY, caller TEXT, callee TEXT, decision TEXT NOT NULL,
                                        state TEXT NOT NULL, started_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS audit (seq INTEGER PRIMARY KEY, entry TEXT NOT NULL, hash TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS outbound (id INTEGER PRIMARY KEY, call_id TEXT NOT NULL, url TEXT NOT NULL,
                                           body TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending');
      CREATE INDEX IF NOT EXISTS outbound_pending ON outbound (status, id);
    `);
  }

  async receive(event) {
    const now = Date.now();
    const stored = this.sql.exec(
      "INSERT INTO events (id, type, occurred_at, raw, received_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
      event.id,
      event.type,
      event.occurred_at ?? null,
      event.raw,
      now,
    ).rowsWritten;
    if (stored === 0) return { duplicate: true };
    if (event.type !== "call.initiated") return { duplicate: false };

    const { call_control_id: call, from, to } = event.payload;
    const listed = this.sql.exec("SELECT list FROM lists WHERE number = ?", from).toArray()[0]?.list;
    const decision = listed === "allow" ? "allowed" : listed === "block" ? "blocked" : "rejected";
    this.sql.exec(
      "INSERT INTO calls (id, caller, callee, decision, state, started_at) VALUES (?, ?, ?, ?, 'answering', ?)",
      call,
      from,
      to,
      decision,
      now,
    );
    const entry = JSON.stringify({ at: now, event: event.id, call, decision });
    const previous = this.sql.exec("SELECT hash FROM audit ORDER BY seq DESC LIMIT 1").toArray()[0]?.hash ?? "";
    const hash = hex(await crypto.subtle.digest("SHA-256", encoder.encode(previous + entry)));
    this.sql.exec("INSERT INTO audit (entry, hash) VALUES (?, ?)", entry, hash);
    const actions = `${this.env.PROVIDER_URL}/v2/calls/${encodeURIComponent(call)}/actions`;
    this.sql.exec(
      "INSERT INTO outbound (call_id, url, body) VALUES (?, ?, ?), (?, ?, ?)",
      call,
      `${actions}/answer`,
      JSON.stringify({ client_state: btoa(call) }),
      call,
      `${actions}/speak`,
      JSON.stringify({ payload: this.env.REJECT_MESSAGE, voice: "female", language: "en-US" }),
    );
    await this.ctx.storage.setAlarm(now);
    return { duplicate: false, decision };
  }

  // Up to 50 sends per run (a Worker's subrequest limit on the free plan); what is left, or
  // what failed, goes in the next run.
  async alarm() {
    let sends = 0;
    for (;;) {
      const due = this.sql.exec("SELECT id, url, body FROM outbound WHERE status = 'pending' ORDER BY id LIMIT 10").toArray();
      if (due.length === 0) return;
      for (const command of due) {
        if (sends++ === 50) return this.ctx.storage.setAlarm(Date.now());
        const response = await fetch(command.url, {
          method: "POST",
          headers: { authorization: `Bearer ${this.env.TELNYX_API_KEY}`, "content-type": "application/json" },
          body: command.body,
        });
        await response.arrayBuffer();
        if (!response.ok) return this.ctx.storage.setAlarm(Date.now() + 1000);
        this.sql.exec("UPDATE outbound SET status = 'sent' WHERE id = ?", command.id);
      }
    }
  }
}
