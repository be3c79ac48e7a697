// The console's live feed (docs/api.md "Live updates"): POST /api/v1/live/tickets mints a
// single-use ticket; GET /api/v1/live?ticket=… upgrades to a WebSocket that gets, within a
// second, the events of what the token's tenant records, as fan-out bodies, only of the types
// the token may read. A missing, wrong or used ticket is 401 and no socket; a tenant's socket
// never sees another tenant's events. On the native server and the Worker in workerd.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import WebSocket from "ws";

import { BLOCKED, REGISTERED, freshNumber } from "../scenarios/deliveries.mjs";
import { startFakeProvider } from "../scenarios/fake-provider.mjs";
import { GLOBEX_NUMBER, SCOPES, TARGETS, apiConfig, assertError, startApiTarget } from "./api.mjs";

const CALL_TYPES = ["call.received", "call.screened", "call.answered", "call.ended"];

// A socket on the target, with every message it got ({type, timestamp, data}, parsed).
function connect(t, path) {
  const url = `${t.target.url.replace(/^http/, "ws")}${path}`;
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    const received = [];
    socket.on("message", (data) => received.push({ at: Date.now(), event: JSON.parse(String(data)) }));
    socket.once("open", () => resolve({ socket, received, close: () => socket.close() }));
    socket.once("unexpected-response", (_request, response) => {
      const chunks = [];
      response.on("data", (chunk) => chunks.push(chunk));
      response.on("end", () => {
        const refused = new Error(`refused: ${response.statusCode}`);
        refused.status = response.statusCode;
        refused.body = Buffer.concat(chunks).toString("utf8");
        reject(refused);
      });
    });
    socket.once("error", reject);
  });
}

async function refusedWith(t, path) {
  try {
    const opened = await connect(t, path);
    opened.close();
  } catch (error) {
    return error;
  }
  assert.fail(`${path}: the socket opened`);
}

async function waitForMessages(live, predicate, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = live.received.filter((m) => predicate(m.event));
    if (found.length > 0) return found;
    if (Date.now() > deadline) {
      throw new Error(`no ${what} within ${timeoutMs} ms; got ${JSON.stringify(live.received.map((m) => m.event.type))}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

for (const kind of TARGETS) {
  describe(`${kind}: live feed`, () => {
    let fake;
    let t;
    let admin;
    let globex;
    before(async () => {
      fake = await startFakeProvider();
      t = await startApiTarget(kind, { config: apiConfig({ providerUrl: fake.url }) });
      admin = (await t.mint({ name: "admin", scopes: SCOPES })).token;
      globex = (await t.mint({ tenant: "globex", name: "globex admin", scopes: SCOPES })).token;
    });
    after(async () => {
      await t?.close();
      await fake?.close();
    });

    const ticket = async (token = admin) => {
      const answer = await t.api("POST", "/api/v1/live/tickets", { token });
      assert.equal(answer.status, 201, answer.what);
      return answer.json;
    };

    it("mints a ticket naming its url, expiry and the event types the token may see", async () => {
      const minted = await ticket();
      assert.match(minted.ticket, /^lt_[0-9a-f]+_[0-9a-f]{32}$/);
      assert.equal(minted.url, `/api/v1/live?ticket=${minted.ticket}`);
      const lifetime = Date.parse(minted.expires_at) - Date.now();
      assert.ok(lifetime > 50_000 && lifetime <= 61_000, `expires in about 60 s: ${minted.expires_at}`);
      assert.deepEqual(minted.types, [
        ...CALL_TYPES,
        "message.received",
        "message.sent",
        "outbound.dead",
        "registry.changed",
        "webhook.received",
        "frontdesk.test",
      ]);
      const texts = (await t.mint({ name: "texts only", scopes: ["messages:read"] })).token;
      assert.deepEqual((await ticket(texts)).types, ["message.received", "message.sent"]);
      const writer = (await t.mint({ name: "writes only", scopes: ["calls:write"] })).token;
      assertError(await t.api("POST", "/api/v1/live/tickets", { token: writer }), 403, "forbidden");
      const anonymous = await t.api("POST", "/api/v1/live/tickets");
      assertError(anonymous, 401, "unauthenticated");
    });

    it("sends a call's events to the open socket within a second of the delivery's answer", async () => {
      const live = await connect(t, (await ticket()).url);
      try {
        const from = freshNumber();
        const answered = Date.now();
        await t.call({ from });
        const screened = await waitForMessages(
          live,
          (e) => e.type === "call.screened" && e.data.from === from,
          1000,
          "call.screened for the call",
        );
        assert.ok(screened[0].at - answered < 1000);
        const received = await waitForMessages(live, (e) => e.type === "call.received" && e.data.from === from, 1000, "call.received");
        const event = received[0].event;
        assert.deepEqual(Object.keys(event).sort(), ["data", "timestamp", "type"]);
        assert.match(event.timestamp, /^\d{4}-\d\d-\d\dT/);
        assert.equal(typeof event.data.call_id, "string");
        assert.equal(screened[0].event.data.outcome, "rejected");
        await t.call({ from: REGISTERED });
        const known = await waitForMessages(
          live,
          (e) => e.type === "call.screened" && e.data.from === REGISTERED,
          1000,
          "call.screened for the registered caller",
        );
        assert.equal(known[0].event.data.outcome, "authenticated");
        // A registry edit through the API is an event too, with who made it.
        const phone = freshNumber();
        const put = await t.api("PUT", `/api/v1/lists/block/${encodeURIComponent(phone)}`, { token: admin });
        assert.equal(put.status, 200, put.what);
        const edited = await waitForMessages(live, (e) => e.type === "registry.changed" && e.data.phone === phone, 1000, "registry.changed");
        assert.equal(edited[0].event.data.change, "block.put");
      } finally {
        live.close();
      }
    });

    it("refuses a missing, malformed, unknown or used ticket with 401 and no socket", async () => {
      for (const path of ["/api/v1/live", "/api/v1/live?ticket=", "/api/v1/live?ticket=nonsense"]) {
        const refused = await refusedWith(t, path);
        assert.equal(refused.status, 401, `${path}: ${refused.message}`);
        assert.deepEqual(JSON.parse(refused.body), { error: { code: "unauthenticated", message: "a valid live ticket is required" } });
      }
      const minted = await ticket();
      const forged = minted.ticket.slice(0, -4) + (minted.ticket.endsWith("0000") ? "1111" : "0000");
      assert.equal((await refusedWith(t, `/api/v1/live?ticket=${forged}`)).status, 401, "a ticket of acme never minted");
      const stranger = `lt_${Buffer.from("initech").toString("hex")}_${"ab".repeat(16)}`;
      assert.equal((await refusedWith(t, `/api/v1/live?ticket=${stranger}`)).status, 401, "a tenant not configured");
      const first = await connect(t, minted.url);
      first.close();
      assert.equal((await refusedWith(t, minted.url)).status, 401, "a ticket is used once");
    });

    it("never shows a tenant's events on another tenant's socket", async () => {
      const ours = await connect(t, (await ticket()).url);
      const theirs = await connect(t, (await ticket(globex)).url);
      try {
        const from = freshNumber();
        await t.call({ from });
        await t.call({ from: BLOCKED, to: GLOBEX_NUMBER });
        await waitForMessages(ours, (e) => e.type === "call.screened" && e.data.from === from, 1000, "acme's call");
        await waitForMessages(theirs, (e) => e.type === "call.screened" && e.data.from === BLOCKED, 1000, "globex's call");
        await new Promise((resolve) => setTimeout(resolve, 200));
        assert.ok(!ours.received.some((m) => m.event.data.to === GLOBEX_NUMBER), "acme saw no globex call");
        assert.ok(!theirs.received.some((m) => m.event.data.from === from), "globex saw no acme call");
      } finally {
        ours.close();
        theirs.close();
      }
    });

    it("sends only the types the ticket's token may read", async () => {
      const texts = (await t.mint({ name: "texts only", scopes: ["messages:read"] })).token;
      const live = await connect(t, (await ticket(texts)).url);
      try {
        const caller = freshNumber();
        await t.call({ from: caller });
        const sender = freshNumber();
        await t.text({ from: sender, text: "Can I book a table for two tomorrow?" });
        await waitForMessages(live, (e) => e.type === "message.received" && e.data.from === sender, 1000, "the text");
        await new Promise((resolve) => setTimeout(resolve, 200));
        assert.deepEqual(
          [...new Set(live.received.map((m) => m.event.type))].filter((type) => !type.startsWith("message.")),
          [],
          "no call events for a messages:read token",
        );
      } finally {
        live.close();
      }
    });
  });
}
