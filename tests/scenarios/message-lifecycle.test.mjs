// A text sent through the API, followed to the end (docs/api.md, GET /api/v1/messages/{id}):
// the provider's answer names it, and the provider's status events move it queued → sent →
// delivered, or to failed with the provider's error code, whatever order they arrive in.
// Through OpenPhone, Telnyx and Twilio (a tenant sends through OpenPhone when it is
// configured, else Telnyx, else Twilio), on the native server and the Worker.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";

import { SCOPES, TARGETS, apiConfig, assertOk, startApiTarget } from "../api/api.mjs";
import {
  OUR_NUMBER,
  TWILIO_ACCOUNT_SID,
  freshNumber,
  signedOpenPhone,
  signedTelnyx,
  signedTwilioMessageStatus,
} from "./deliveries.mjs";
import { startFakeProvider } from "./fake-provider.mjs";
import { receptionEnv } from "./targets.mjs";

// OpenPhone's message.delivered about one of our texts (its app webhooks' shape).
function openPhoneDelivered({ providerId, to, text }) {
  const createdAt = new Date().toISOString();
  return JSON.stringify({
    id: `EV${randomUUID().replaceAll("-", "")}`,
    object: "event",
    apiVersion: "v3",
    createdAt,
    type: "message.delivered",
    data: {
      object: {
        id: providerId,
        object: "message",
        from: OUR_NUMBER,
        to,
        direction: "outgoing",
        body: text,
        status: "delivered",
        createdAt,
      },
    },
  });
}

// Telnyx's message.sent / message.finalized about one of our texts (Messaging v2).
function telnyxStatus({ type, providerId, to, status, errors = [] }) {
  return JSON.stringify({
    data: {
      event_type: type,
      id: randomUUID(),
      occurred_at: new Date().toISOString(),
      payload: {
        id: providerId,
        direction: "outbound",
        errors,
        from: { phone_number: OUR_NUMBER },
        to: [{ phone_number: to, status }],
        text: "Your table is ready.",
        type: "SMS",
      },
      record_type: "event",
    },
    meta: { attempt: 1, delivered_to: "https://reception.example.com/webhooks/telnyx" },
  });
}

for (const kind of TARGETS) {
  describe(`${kind}: a text's lifecycle`, () => {
    let fake;
    let viaOpenPhone;
    let viaTelnyx;
    let viaTwilio;
    const tokens = new Map();
    before(async () => {
      fake = await startFakeProvider();
      viaOpenPhone = await startApiTarget(kind, { config: apiConfig({ providerUrl: fake.url }) });
      const telnyxOnly = apiConfig({ providerUrl: fake.url });
      delete telnyxOnly.providers.openphone;
      viaTelnyx = await startApiTarget(kind, { config: telnyxOnly });
      // Twilio's auth token both signs its webhooks and authenticates its API.
      const twilioOnly = apiConfig({ providerUrl: fake.url });
      twilioOnly.providers = {
        twilio: { account_sid: TWILIO_ACCOUNT_SID, auth_token: "env:TWILIO_AUTH_TOKEN", base_url: fake.url },
      };
      viaTwilio = await startApiTarget(kind, { config: twilioOnly });
      for (const t of [viaOpenPhone, viaTelnyx, viaTwilio]) {
        tokens.set(t, (await t.mint({ name: "admin", scopes: SCOPES })).token);
      }
    });
    after(async () => {
      await viaOpenPhone?.close();
      await viaTelnyx?.close();
      await viaTwilio?.close();
      await fake?.close();
    });

    // Sends a text through the API → {id, to, providerId (the id the fake provider gave it),
    // request (what the provider received)}.
    async function send(t, path) {
      const to = freshNumber();
      const sent = await t.api("POST", "/api/v1/messages", { token: tokens.get(t), body: { to, text: "Your table is ready." } });
      assertOk(sent, 202);
      const request = await fake.waitFor(
        () => fake.requests.find((r) => r.path === path && JSON.stringify(r.body ?? r.form).includes(to)),
        10000,
        `the text to ${to}`,
      );
      const providerIds = {
        "/v1/messages": `ACfake${String(request.seq).padStart(6, "0")}`,
        "/v2/messages": `fake-telnyx-message-${request.seq}`,
      };
      const providerId = providerIds[path] ?? `SMfake${String(request.seq).padStart(26, "0")}`;
      return { id: sent.json.id, to, providerId, request };
    }

    // GET /api/v1/messages/{id} once the provider's answer is settled (the text is named).
    async function named(t, id, providerId) {
      const deadline = Date.now() + 10000;
      for (;;) {
        const answer = await t.api("GET", `/api/v1/messages/${id}`, { token: tokens.get(t) });
        assertOk(answer, 200);
        if (answer.json.provider_message_id === providerId) return answer.json;
        assert.ok(Date.now() < deadline, `the text was never named ${providerId}: ${answer.what}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    const read = async (t, id) => (await t.api("GET", `/api/v1/messages/${id}`, { token: tokens.get(t) })).json;

    it("OpenPhone: queued until the provider's message.delivered, which is a new event, not a duplicate", async () => {
      const { id, to, providerId } = await send(viaOpenPhone, "/v1/messages");
      const before = await named(viaOpenPhone, id, providerId);
      assert.equal(before.status, "queued");
      assert.deepEqual(before.history, []);
      const ack = await viaOpenPhone.acknowledged(signedOpenPhone(openPhoneDelivered({ providerId, to: [to], text: "Your table is ready." })));
      assert.equal(ack.duplicate, false);
      const after = await read(viaOpenPhone, id);
      assert.equal(after.status, "delivered");
      assert.equal(after.error_code, "");
      assert.deepEqual(
        after.history.map((h) => [h.event_id, h.type, h.status]),
        [[ack.event_id, "message.delivered", "delivered"]],
      );
    });

    it("Telnyx: message.sent, then message.finalized delivered; a late message.sent does not move it back", async () => {
      const { id, to, providerId } = await send(viaTelnyx, "/v2/messages");
      await named(viaTelnyx, id, providerId);
      const sent = telnyxStatus({ type: "message.sent", providerId, to, status: "sent" });
      assert.equal((await viaTelnyx.acknowledged(signedTelnyx(sent))).duplicate, false);
      assert.equal((await read(viaTelnyx, id)).status, "sent");
      const finalized = telnyxStatus({ type: "message.finalized", providerId, to, status: "delivered" });
      assert.equal((await viaTelnyx.acknowledged(signedTelnyx(finalized))).duplicate, false);
      assert.equal((await read(viaTelnyx, id)).status, "delivered");
      // The provider's retry of message.sent is a duplicate; another, late one changes nothing.
      assert.equal((await viaTelnyx.acknowledged(signedTelnyx(sent))).duplicate, true);
      const late = telnyxStatus({ type: "message.sent", providerId, to, status: "sent" });
      assert.equal((await viaTelnyx.acknowledged(signedTelnyx(late))).duplicate, false);
      const after = await read(viaTelnyx, id);
      assert.equal(after.status, "delivered");
      assert.deepEqual(
        after.history.map((h) => h.type),
        ["message.sent", "message.delivered", "message.sent"],
      );
    });

    it("Telnyx: message.finalized delivery_failed leaves the text failed with the provider's error code", async () => {
      const { id, to, providerId } = await send(viaTelnyx, "/v2/messages");
      await named(viaTelnyx, id, providerId);
      const failed = telnyxStatus({
        type: "message.finalized",
        providerId,
        to,
        status: "delivery_failed",
        errors: [{ code: "40300", title: "Blocked as spam", detail: "The message was blocked by the carrier." }],
      });
      assert.equal((await viaTelnyx.acknowledged(signedTelnyx(failed))).duplicate, false);
      const after = await read(viaTelnyx, id);
      assert.equal(after.status, "failed");
      assert.equal(after.error_code, "40300");
      assert.deepEqual(after.history.map((h) => [h.type, h.status, h.error_code]), [["message.failed", "failed", "40300"]]);
    });

    it("Twilio: sent with HTTP Basic to Messages.json as a form; its status callbacks move it to delivered", async () => {
      const path = `/2010-04-01/Accounts/${TWILIO_ACCOUNT_SID}/Messages.json`;
      const { id, to, providerId, request } = await send(viaTwilio, path);
      const basic = Buffer.from(`${TWILIO_ACCOUNT_SID}:${receptionEnv().TWILIO_AUTH_TOKEN}`).toString("base64");
      assert.equal(request.headers.authorization, `Basic ${basic}`);
      assert.equal(request.headers["content-type"], "application/x-www-form-urlencoded");
      assert.deepEqual(request.form, { To: to, From: OUR_NUMBER, Body: "Your table is ready." });
      await named(viaTwilio, id, providerId);
      for (const status of ["sent", "delivered"]) {
        const answer = await viaTwilio.deliver(signedTwilioMessageStatus({ messageSid: providerId, to, status }));
        assert.equal(answer.status, 200, answer.text);
        assert.equal(answer.contentType, "text/xml");
      }
      const after = await read(viaTwilio, id);
      assert.equal(after.status, "delivered");
      assert.deepEqual(after.history.map((h) => h.type), ["message.sent", "message.delivered"]);
    });

    it("Twilio: an undelivered callback leaves the text undelivered with Twilio's ErrorCode", async () => {
      const path = `/2010-04-01/Accounts/${TWILIO_ACCOUNT_SID}/Messages.json`;
      const { id, to, providerId } = await send(viaTwilio, path);
      await named(viaTwilio, id, providerId);
      const answer = await viaTwilio.deliver(
        signedTwilioMessageStatus({ messageSid: providerId, to, status: "undelivered", errorCode: "30003" }),
      );
      assert.equal(answer.status, 200, answer.text);
      const after = await read(viaTwilio, id);
      assert.equal(after.status, "undelivered");
      assert.equal(after.error_code, "30003");
    });

    it("Twilio: an outbound call goes to Calls.json with the Twilio source as its TwiML and status URL", async () => {
      const to = freshNumber();
      const placed = await viaTwilio.api("POST", "/api/v1/calls", { token: tokens.get(viaTwilio), body: { to } });
      assertOk(placed, 202);
      const request = await fake.waitFor(
        () => fake.requests.find((r) => r.path.endsWith("/Calls.json") && r.form?.To === to),
        10000,
        `the call to ${to}`,
      );
      assert.equal(request.path, `/2010-04-01/Accounts/${TWILIO_ACCOUNT_SID}/Calls.json`);
      assert.match(request.headers.authorization, /^Basic /);
      assert.deepEqual(request.form, {
        To: to,
        From: OUR_NUMBER,
        Url: "https://reception.example.com/webhooks/twilio",
        StatusCallback: "https://reception.example.com/webhooks/twilio",
      });
    });
  });
}
