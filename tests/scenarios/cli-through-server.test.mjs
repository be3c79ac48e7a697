// The command line beside a running server (issue "The native host at disk speed", no
// stalls): `frontdesk token create` and `frontdesk events` on the database a server serves go
// through its admin socket (<db>.admin.sock, owner-only), so they run in the server's own
// queues and never hold a lock it would wait on; with no server they open the files.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { stat } from "node:fs/promises";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { after, before, describe, it } from "node:test";

import { NATIVE_BINARY, createNativeTarget } from "../js/native-target.mjs";
import { freshNumber, newCallControlId, signedTelnyx, telnyxCallEvent } from "./deliveries.mjs";
import { receptionConfig, receptionEnv } from "./targets.mjs";

const run = promisify(execFile);
const text = (response) => new TextDecoder().decode(response.body);

describe("the command line beside a running server", () => {
  let dir;
  let db;
  let target;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "frontdesk-cli-"));
    db = join(dir, "frontdesk.db");
    target = await createNativeTarget({ config: receptionConfig({ providerUrl: "http://127.0.0.1:9" }), env: receptionEnv(), db });
  });
  after(async () => {
    await target?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const adminLines = () => target.log.map((line) => JSON.parse(line)).filter((entry) => entry.admin);

  it("the admin socket is the owner's only", async () => {
    const info = await stat(`${db}.admin.sock`);
    assert.ok(info.isSocket());
    assert.equal(info.mode & 0o077, 0, `mode ${(info.mode & 0o777).toString(8)}`);
  });

  it("token create goes through the server, and the token works at once", async () => {
    const before = adminLines().length;
    const { stdout } = await run(NATIVE_BINARY, ["token", "create", "--db", db, "--tenant", "acme", "--scopes", "calls:read"]);
    const created = JSON.parse(stdout);
    assert.match(created.token, /^fd_/);
    const listed = await target.handle({ method: "GET", path: "/api/v1/calls", headers: { authorization: `Bearer ${created.token}` } });
    assert.equal(listed.status, 200, text(listed));
    const served = adminLines().slice(before);
    assert.ok(served.some((entry) => entry.admin === "ledger/acme" && entry.outcome === "ok"), JSON.stringify(served));
  });

  it("events reads through the server what the webhooks recorded", async () => {
    const event = telnyxCallEvent({ type: "call.initiated", ccid: newCallControlId(), from: freshNumber() });
    const delivered = await target.handle(signedTelnyx(event.body));
    assert.equal(delivered.status, 200, text(delivered));
    const eventId = JSON.parse(text(delivered)).event_id;
    const before = adminLines().length;
    const { stdout } = await run(NATIVE_BINARY, ["events", "--db", db, "--tenant", "acme", "--type", "call.initiated"]);
    const lines = stdout.trim().split("\n").map((line) => JSON.parse(line));
    assert.ok(lines.some((line) => line.event_id === eventId), stdout);
    assert.ok(adminLines().length > before, "events went through the admin socket");
  });

  it("with the server stopped, the commands open the files", async () => {
    await target.close();
    target = null;
    const { stdout } = await run(NATIVE_BINARY, ["events", "--db", db, "--tenant", "acme", "--limit", "1"]);
    assert.equal(stdout.trim().split("\n").length, 1);
  });
});
