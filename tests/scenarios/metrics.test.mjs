// The native server's Prometheus metrics (docs/api.md "Charts and metrics"): GET /metrics is
// valid exposition text (`promtool check metrics`, Debian's prometheus package), its
// counters move by exactly the deliveries sent, and it answers loopback clients, or, when
// metrics.token is configured, only that token.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, describe, it } from "node:test";

import { BLOCKED, REGISTERED, freshNumber, newCallControlId, signedTelnyx, telnyxCallEvent } from "./deliveries.mjs";
import { startFakeProvider } from "./fake-provider.mjs";
import { TARGETS, receptionConfig, receptionEnv, startTarget } from "./targets.mjs";

const METRICS_TOKEN = "fake-metrics-token-for-frontdesk-tests-0001";

function promtool(text) {
  return new Promise((resolve) => {
    const child = execFile("promtool", ["check", "metrics"], (error, stdout, stderr) =>
      resolve({ code: error ? (error.code ?? 1) : 0, output: `${stdout}${stderr}` }),
    );
    child.stdin.end(text);
  });
}

// Every sample of the text: "name{labels}" → value.
function samples(text) {
  const values = new Map();
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const at = line.lastIndexOf(" ");
    values.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return values;
}
const sample = (values, key) => values.get(key) ?? 0;

// The Worker has no server-wide metrics: only GET /api/v1/metrics (tests/api/console-api.test.mjs).
describe("native: GET /metrics", { skip: !TARGETS.includes("native") }, () => {
  let fake;
  let t;
  let guarded;
  before(async () => {
    fake = await startFakeProvider();
    t = await startTarget("native", { config: receptionConfig({ providerUrl: fake.url }) });
    const config = { ...receptionConfig({ providerUrl: fake.url }), metrics: { token: "env:METRICS_TOKEN" } };
    guarded = await startTarget("native", { config, env: { ...receptionEnv(), METRICS_TOKEN } });
  });
  after(async () => {
    await t?.close();
    await guarded?.close();
    await fake?.close();
  });

  const scrape = async (target = t, headers = {}) => {
    const answer = await target.deliver({ method: "GET", path: "/metrics", headers });
    assert.equal(answer.status, 200, answer.text);
    assert.match(answer.contentType, /^text\/plain; version=0\.0\.4/);
    return answer.text;
  };

  it("passes promtool check metrics, with the server's families and each tenant's", async () => {
    await t.acknowledged(signedTelnyx(telnyxCallEvent({ type: "call.initiated", ccid: newCallControlId(), from: REGISTERED }).body));
    const text = await scrape();
    const checked = await promtool(text);
    assert.equal(checked.code, 0, `promtool check metrics:\n${checked.output}\n${text}`);
    for (const family of [
      "frontdesk_http_requests_total",
      "frontdesk_http_request_duration_seconds",
      "frontdesk_webhooks_total",
      "frontdesk_signature_failures_total",
      "frontdesk_open_connections",
      "frontdesk_storage_commits_total",
      "frontdesk_storage_syncs_total",
      "frontdesk_storage_open_objects",
      "frontdesk_outbound_idle_connections",
      "frontdesk_calls_total",
      "frontdesk_calls_ended_total",
      "frontdesk_call_duration_seconds",
      "frontdesk_messages_total",
      "frontdesk_provider_commands_total",
      "frontdesk_outbound_queue_depth",
      "frontdesk_fanout_attempts_total",
    ]) {
      assert.match(text, new RegExp(`^# TYPE ${family} `, "m"), family);
    }
    assert.match(text, /^frontdesk_calls_total\{tenant="acme",outcome="authenticated"\} \d+$/m);
  });

  it("moves its counters by exactly the deliveries sent", async () => {
    const before = samples(await scrape());
    const calls = [REGISTERED, BLOCKED, freshNumber()];
    for (const from of calls) {
      await t.acknowledged(signedTelnyx(telnyxCallEvent({ type: "call.initiated", ccid: newCallControlId(), from }).body));
    }
    const forged = signedTelnyx(telnyxCallEvent({ type: "call.initiated", ccid: newCallControlId(), from: REGISTERED }).body);
    forged.headers["telnyx-signature-ed25519"] = Buffer.alloc(64, 7).toString("base64");
    assert.equal((await t.deliver(forged)).status, 401);
    const replayed = signedTelnyx(telnyxCallEvent({ type: "call.initiated", ccid: newCallControlId(), from: BLOCKED, id: "metrics-once" }).body);
    await t.acknowledged(replayed);
    assert.equal((await t.acknowledged(replayed)).duplicate, true);
    const afterwards = samples(await scrape());
    const moved = (key) => sample(afterwards, key) - sample(before, key);
    assert.equal(moved('frontdesk_webhooks_total{source="telnyx",result="verified"}'), 4);
    assert.equal(moved('frontdesk_webhooks_total{source="telnyx",result="duplicate"}'), 1);
    assert.equal(moved('frontdesk_webhooks_total{source="telnyx",result="bad_signature"}'), 1);
    assert.equal(moved('frontdesk_signature_failures_total{source="telnyx",code="bad_signature"}'), 1);
    assert.equal(moved('frontdesk_http_requests_total{route="/webhooks/{source}",method="POST",status="200"}'), 5);
    assert.equal(moved('frontdesk_http_requests_total{route="/webhooks/{source}",method="POST",status="401"}'), 1);
    assert.equal(moved('frontdesk_http_requests_total{route="/metrics",method="GET",status="200"}'), 1);
    assert.equal(moved('frontdesk_calls_total{tenant="acme",outcome="authenticated"}'), 1);
    assert.equal(moved('frontdesk_calls_total{tenant="acme",outcome="blocked"}'), 2);
    assert.equal(moved('frontdesk_calls_total{tenant="acme",outcome="rejected"}'), 1);
    assert.equal(moved('frontdesk_events_recorded_total{tenant="acme",source="telnyx"}'), 4);
    assert.equal(moved('frontdesk_http_request_duration_seconds_count{route="/webhooks/{source}"}'), 6);
  });

  it("counts commits and the fewer syncs that made them durable, and keeps provider connections alive", async () => {
    const before = samples(await scrape());
    const sentBefore = fake.requests.length;
    // An unknown caller under known-only: answer and speak go to the provider, one after the other.
    await t.acknowledged(signedTelnyx(telnyxCallEvent({ type: "call.initiated", ccid: newCallControlId(), from: freshNumber() }).body));
    await fake.waitFor((requests) => requests.length >= sentBefore + 2, 5000, "answer and speak sent");
    const afterwards = samples(await scrape());
    const moved = (key) => sample(afterwards, key) - sample(before, key);
    const commits = moved("frontdesk_storage_commits_total");
    const syncs = moved("frontdesk_storage_syncs_total");
    assert.ok(commits >= 2, `the delivery commits, and the settle after the sends: ${commits}`);
    assert.ok(syncs >= 1 && syncs <= commits, `${syncs} syncs for ${commits} commits`);
    assert.ok(sample(afterwards, "frontdesk_storage_open_objects") >= 1);
    // The speak went on the connection the answer opened, which waits for the next command.
    assert.ok(sample(afterwards, "frontdesk_outbound_idle_connections") >= 1);
  });

  it("with metrics.token configured, answers only that token (403 otherwise, even on loopback)", async () => {
    const refused = await guarded.deliver({ method: "GET", path: "/metrics" });
    assert.equal(refused.status, 403, refused.text);
    assert.equal(refused.json.error.code, "forbidden");
    const wrong = await guarded.deliver({ method: "GET", path: "/metrics", headers: { authorization: "Bearer nope" } });
    assert.equal(wrong.status, 403, wrong.text);
    const text = await scrape(guarded, { authorization: `Bearer ${METRICS_TOKEN}` });
    assert.equal((await promtool(text)).code, 0);
  });
});
