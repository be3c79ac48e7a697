// Texts through the reception pipeline (docs/reception.md "A text"): an OpenPhone
// message.received is analysed, recorded, and may get one auto-reply per sender per window,
// sent as POST /v1/messages with the bare API key.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import { OUR_NUMBER, freshNumber, openPhoneTextReceived, signedOpenPhone } from "./deliveries.mjs";
import { startFakeProvider } from "./fake-provider.mjs";
import {
  OPENPHONE_API_KEY,
  TARGETS,
  URGENT_REPLY,
  mentioning,
  quietly,
  receptionConfig,
  startTarget,
} from "./targets.mjs";

const URGENT_TEXT = "Water is flooding the kitchen, emergency!";

for (const kind of TARGETS) {
  describe(`${kind}: OpenPhone texts and auto-replies`, () => {
    let fake;
    let t;
    before(async () => {
      fake = await startFakeProvider();
      t = await startTarget(kind, { config: receptionConfig({ providerUrl: fake.url }) });
    });
    after(async () => {
      await t?.close();
      await fake?.close();
    });

    const text = async (from, body, to = OUR_NUMBER) => {
      const delivery = openPhoneTextReceived({ from, to, text: body });
      const ack = await t.acknowledged(signedOpenPhone(delivery.body));
      assert.equal(ack.duplicate, false);
      return delivery;
    };
    const repliesTo = (phone) =>
      fake.matching("/v1/messages").filter((r) => Array.isArray(r.body?.to) && r.body.to.includes(phone));
    // Waits until nothing addressed to phone is pending in the queue, then a little more.
    const settle = async (phone) => {
      await t.waitForLedger(
        { op: "list_outbound", status: "pending" },
        (reply) => reply.outbound.filter(mentioning(phone)).length === 0,
        10000,
        `no pending reply to ${phone}`,
      );
      await quietly();
    };
    const messageRow = (messages, delivery) =>
      messages.find((m) => JSON.stringify(m).includes(delivery.messageId));

    it("replies once to an urgent text, and not again to the same sender inside the window", async () => {
      const sender = freshNumber();
      const first = await text(sender, URGENT_TEXT);
      await fake.waitFor(() => repliesTo(sender).length >= 1, 10000, `a reply to ${sender}`);
      await t.delivered(mentioning(sender));
      const [reply] = repliesTo(sender);
      assert.equal(reply.method, "POST");
      assert.equal(reply.headers.authorization, OPENPHONE_API_KEY, "the bare key, no Bearer");
      assert.match(reply.headers["content-type"] ?? "", /^application\/json/);
      assert.deepEqual(reply.body, { content: URGENT_REPLY, from: OUR_NUMBER, to: [sender] });

      const second = await text(sender, "The flood is getting worse, urgent!");
      await settle(sender);
      assert.equal(repliesTo(sender).length, 1, "one auto-reply per sender per window");

      const { messages } = await t.ledger({ op: "list_messages", limit: 1000 });
      const rows = [messageRow(messages, first), messageRow(messages, second)];
      assert.ok(rows[0] && rows[1], `both texts are recorded: ${JSON.stringify(messages)}`);
      assert.ok(messages.indexOf(rows[1]) < messages.indexOf(rows[0]), "newest first");
      for (const row of rows) {
        assert.equal(row.analysis?.priority, "urgent", JSON.stringify(row));
        assert.ok("auto_reply" in row, JSON.stringify(row));
      }
    });

    it("keeps the window per sender: another sender gets its own reply", async () => {
      const [one, two] = [freshNumber(), freshNumber()];
      await text(one, URGENT_TEXT);
      await text(two, URGENT_TEXT);
      await t.delivered(mentioning(one));
      await t.delivered(mentioning(two));
      await quietly();
      assert.equal(repliesTo(one).length, 1);
      assert.equal(repliesTo(two).length, 1);
    });

    it("sends no reply when no rule matches (a normal-priority text)", async () => {
      const sender = freshNumber();
      const delivery = await text(sender, "Could I book a table for two on Friday evening?");
      await settle(sender);
      assert.equal(repliesTo(sender).length, 0);
      const { messages } = await t.ledger({ op: "list_messages", limit: 1000 });
      const row = messageRow(messages, delivery);
      assert.ok(row, `the text is recorded: ${JSON.stringify(messages)}`);
      assert.equal(row.analysis?.priority, "normal", JSON.stringify(row));
    });

    it("never auto-replies to the tenant's own number", async () => {
      const delivery = await text(OUR_NUMBER, URGENT_TEXT);
      await settle(OUR_NUMBER);
      assert.equal(repliesTo(OUR_NUMBER).length, 0);
      const { messages } = await t.ledger({ op: "list_messages", limit: 1000 });
      const row = messageRow(messages, delivery);
      assert.ok(row, `the text is recorded: ${JSON.stringify(messages)}`);
      assert.equal(row.analysis?.priority, "urgent", "still analysed");
    });
  });
}
