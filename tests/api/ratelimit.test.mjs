// Rate limits (docs/api.md "Errors and limits"): per token, per fixed minute, from the
// token's rate_limit, else the configuration's api.rate_limit, else 600; over it 429
// rate_limited with Retry-After. On the native server and the Worker.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import { startFakeProvider } from "../scenarios/fake-provider.mjs";
import { TARGETS, apiConfig, assertError, assertOk, assertRateLimitHeaders, sleep, startApiTarget } from "./api.mjs";

// The window is a fixed minute: start a burst early in one, so it is never cut in two.
async function earlyInAMinute() {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 45_000) await sleep(60_000 - intoMinute + 250);
}

const headerNumber = (answer, name) => {
  const value = answer.header(name);
  assert.match(value ?? "", /^\d+$/, `${name} is whole seconds or a count: ${answer.what}`);
  return Number(value);
};

for (const kind of TARGETS) {
  describe(`${kind}: API rate limits`, () => {
    let fake;
    let t;
    let configured;
    before(async () => {
      fake = await startFakeProvider();
      t = await startApiTarget(kind, { config: apiConfig({ providerUrl: fake.url }) });
      configured = await startApiTarget(kind, { config: apiConfig({ providerUrl: fake.url, api: { rate_limit: 7 } }) });
    });
    after(async () => {
      await t?.close();
      await configured?.close();
      await fake?.close();
    });

    it("lets a token with rate_limit 5 make 5 requests a minute (RateLimit-Remaining 4…0), then 429 with Retry-After", async () => {
      const limited = await t.mint({ name: "limited", scopes: ["calls:read"], rate_limit: 5 });
      assert.equal(limited.rate_limit, 5);
      await earlyInAMinute();
      const remaining = [];
      for (let i = 0; i < 5; i++) {
        const answer = await t.api("GET", "/api/v1/calls", { token: limited.token });
        assertOk(answer, 200);
        assert.equal(headerNumber(answer, "ratelimit-limit"), 5, answer.what);
        remaining.push(headerNumber(answer, "ratelimit-remaining"));
      }
      assert.deepEqual(remaining, [4, 3, 2, 1, 0]);

      for (let i = 0; i < 2; i++) {
        const refused = await t.api("GET", "/api/v1/calls", { token: limited.token });
        assertError(refused, 429, "rate_limited");
        const retryAfter = headerNumber(refused, "retry-after");
        assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After is 1–60 s: ${retryAfter}`);
        assertRateLimitHeaders(refused);
        assert.equal(headerNumber(refused, "ratelimit-limit"), 5);
        assert.equal(headerNumber(refused, "ratelimit-remaining"), 0);
        const reset = headerNumber(refused, "ratelimit-reset");
        assert.ok(Math.abs(retryAfter - Math.max(reset, 1)) <= 1, `Retry-After ${retryAfter} is the window's end (Reset ${reset})`);
      }
    });

    it("counts per token: another token of the tenant is not limited by the first one's use", async () => {
      const first = await t.mint({ name: "first", scopes: ["calls:read"], rate_limit: 1 });
      const second = await t.mint({ name: "second", scopes: ["calls:read"], rate_limit: 1 });
      await earlyInAMinute();
      assertOk(await t.api("GET", "/api/v1/calls", { token: first.token }), 200);
      assertError(await t.api("GET", "/api/v1/calls", { token: first.token }), 429, "rate_limited");
      const other = await t.api("GET", "/api/v1/calls", { token: second.token });
      assertOk(other, 200);
      assert.equal(headerNumber(other, "ratelimit-remaining"), 0);
    });

    it("defaults to 600 a minute, or to api.rate_limit from the configuration", async () => {
      const plain = await t.mint({ name: "default", scopes: ["calls:read"] });
      const answer = await t.api("GET", "/api/v1/calls", { token: plain.token });
      assertOk(answer, 200);
      assert.equal(headerNumber(answer, "ratelimit-limit"), 600);

      const configuredToken = await configured.mint({ name: "configured", scopes: ["calls:read"] });
      await earlyInAMinute();
      for (let i = 0; i < 7; i++) {
        const ok = await configured.api("GET", "/api/v1/calls", { token: configuredToken.token });
        assertOk(ok, 200);
        assert.equal(headerNumber(ok, "ratelimit-limit"), 7);
        assert.equal(headerNumber(ok, "ratelimit-remaining"), 6 - i);
      }
      assertError(await configured.api("GET", "/api/v1/calls", { token: configuredToken.token }), 429, "rate_limited");

      const own = await configured.mint({ name: "own limit", scopes: ["calls:read"], rate_limit: 3 });
      const mine = await configured.api("GET", "/api/v1/calls", { token: own.token });
      assertOk(mine, 200);
      assert.equal(headerNumber(mine, "ratelimit-limit"), 3, "the token's rate_limit wins over the configuration's");
    });
  });
}
