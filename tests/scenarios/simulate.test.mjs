// `frontdesk dev-env` and `frontdesk simulate` (README "A first run"): development secrets
// for every unset `env:` secret of a configuration, then a call and a text for each source
// kind that carries them, signed as that provider signs — each verified and screened by the
// server that loaded those secrets, exactly as a real provider's delivery would be.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { after, before, describe, it } from "node:test";

import { NATIVE_BINARY } from "../js/native-target.mjs";
import { REGISTERED, freshNumber } from "./deliveries.mjs";
import { TARGETS, startTarget } from "./targets.mjs";

const run = promisify(execFile);
const OURS = "+18886115384";

const CONFIG = {
  sources: {
    telnyx: { kind: "telnyx", public_keys: ["env:SIM_TELNYX_PUBLIC_KEY"] },
    openphone: { kind: "openphone", secrets: ["env:SIM_OPENPHONE_SECRET"] },
    quo: { kind: "standard", secrets: ["env:SIM_QUO_SECRET"] },
    twilio: { kind: "twilio", secrets: ["env:SIM_TWILIO_TOKEN"], public_url: "https://reception.example.com/webhooks/twilio" },
    github: { kind: "github", secrets: ["env:SIM_GITHUB_SECRET"] },
    stripe: { kind: "stripe", secrets: ["env:SIM_STRIPE_SECRET"] },
  },
  tenants: {
    acme: { numbers: [OURS], registry: { [REGISTERED]: "alice.x" }, policy: { screening: "known-only" } },
  },
  diagnostics: true, // the test reads the ledger through /diagnostics/objects
};

// NAME='value' lines → {NAME: value}.
const parseEnv = (text) =>
  Object.fromEntries(
    text
      .split("\n")
      .filter((line) => line && !line.startsWith("#"))
      .map((line) => {
        const at = line.indexOf("=");
        return [line.slice(0, at), line.slice(at + 1).replace(/^'|'$/g, "")];
      }),
  );

describe("native: frontdesk dev-env, then frontdesk simulate", { skip: !TARGETS.includes("native") }, () => {
  let dir;
  let configPath;
  let envPath;
  let env;
  let t;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "frontdesk-simulate-"));
    configPath = join(dir, "config.json");
    envPath = join(dir, "dev.env");
    await writeFile(configPath, JSON.stringify(CONFIG));
    await run(NATIVE_BINARY, ["dev-env", "--config", configPath, "--out", envPath]);
    env = parseEnv(await readFile(envPath, "utf8"));
    t = await startTarget("native", { config: CONFIG, env });
  });
  after(async () => {
    await t?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const simulate = (what, source, from, extra = []) =>
    run(NATIVE_BINARY, [
      "simulate", what, "--source", source, "--from", from, "--config", configPath, "--env-file", envPath,
      "--url", t.target.url, ...extra,
    ]);

  it("makes a secret of the right form for every unset reference, owner-readable only, and keeps them", async () => {
    assert.equal((await stat(envPath)).mode & 0o777, 0o600);
    assert.match(env.SIM_TELNYX_PUBLIC_KEY, /^[A-Za-z0-9+/]{43}=$/, "an Ed25519 public key");
    assert.match(env.SIM_TELNYX_PUBLIC_KEY_SIGNING_SEED, /^[A-Za-z0-9+/]{43}=$/, "its seed");
    assert.equal(Buffer.from(env.SIM_OPENPHONE_SECRET, "base64").length, 32);
    assert.match(env.SIM_QUO_SECRET, /^whsec_[A-Za-z0-9+/]{32}$/);
    assert.match(env.SIM_STRIPE_SECRET, /^whsec_/);
    assert.match(env.SIM_TWILIO_TOKEN, /^[0-9a-f]{32}$/);
    assert.match(env.SIM_GITHUB_SECRET, /^[0-9a-f]{40}$/);
    await run(NATIVE_BINARY, ["dev-env", "--config", configPath, "--out", envPath]);
    assert.deepEqual(parseEnv(await readFile(envPath, "utf8")), env, "a second run changes nothing");
  });

  for (const source of ["telnyx", "openphone", "quo", "twilio"]) {
    it(`${source}: a simulated call is verified and screened, and a simulated text recorded`, async () => {
      const caller = freshNumber();
      const call = await simulate("call", source, caller);
      assert.match(call.stdout, new RegExp(`^POST /webhooks/${source} → 200 `));
      const calls = (await t.ledger({ op: "list_calls", limit: 1000 })).calls.filter((c) => c.from === caller);
      assert.equal(calls.length, 1, JSON.stringify(calls));
      assert.equal(calls[0].to, OURS);
      assert.equal(calls[0].decision.outcome, "rejected", "a stranger under known-only");

      const known = await simulate("call", source, REGISTERED);
      assert.match(known.stdout, / → 200 /);

      const sender = freshNumber();
      const text = await simulate("text", source, sender, ["--text", "Is the office open on Saturday?"]);
      assert.match(text.stdout, / → 200 /);
      const messages = (await t.ledger({ op: "list_messages", limit: 1000 })).messages.filter((m) => m.from === sender);
      assert.equal(messages.length, 1, JSON.stringify(messages));
      assert.equal(messages[0].text, "Is the office open on Saturday?");
    });
  }

  it("refuses a source that carries no calls, and a server that refuses the signature fails the command", async () => {
    const github = await simulate("call", "github", freshNumber()).catch((error) => error);
    assert.equal(github.code, 2);
    assert.match(github.stderr, /carries no calls or texts/);
    const tampered = join(dir, "wrong.env");
    await writeFile(tampered, `SIM_OPENPHONE_SECRET='${Buffer.alloc(32, 1).toString("base64")}'\n`);
    const refused = await run(NATIVE_BINARY, [
      "simulate", "call", "--source", "openphone", "--from", freshNumber(), "--config", configPath,
      "--env-file", tampered, "--url", t.target.url,
    ]).catch((error) => error);
    assert.equal(refused.code, 1);
    assert.match(refused.stdout, / → 401 .*bad_signature/);
  });
});
