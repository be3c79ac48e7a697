// `frontdesk backup` and `frontdesk restore` (issue "The native host at disk speed",
// retention and backups): a copy taken while the server runs and takes deliveries holds
// every delivery answered before it began, and, restored into a new path, its audit chains
// verify and its events read back. Restore refuses a path a server serves or that exists.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { after, before, describe, it } from "node:test";

import { NATIVE_BINARY, createNativeTarget } from "../js/native-target.mjs";
import { freshNumber, newCallControlId, signedTelnyx, telnyxCallEvent } from "./deliveries.mjs";
import { receptionConfig, receptionEnv } from "./targets.mjs";

const run = promisify(execFile);
const text = (response) => new TextDecoder().decode(response.body);

async function deliverCall(target) {
  const event = telnyxCallEvent({ type: "call.initiated", ccid: newCallControlId(), from: freshNumber() });
  const response = await target.handle(signedTelnyx(event.body));
  assert.equal(response.status, 200, text(response));
  return JSON.parse(text(response)).event_id;
}

describe("frontdesk backup and restore", () => {
  let dir;
  let target;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "frontdesk-backup-"));
    target = await createNativeTarget({
      config: receptionConfig({ providerUrl: "http://127.0.0.1:9" }),
      env: receptionEnv(),
      db: join(dir, "live.db"),
    });
  });
  after(async () => {
    await target?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("an online backup, restored, verifies and holds what was answered before it", async () => {
    const answered = [];
    for (let i = 0; i < 20; i++) answered.push(await deliverCall(target));
    // Deliveries go on while the backup is taken.
    let going = true;
    const during = (async () => {
      while (going) await deliverCall(target);
    })();
    const { stdout } = await run(NATIVE_BINARY, ["backup", "--db", join(dir, "live.db"), "--out", join(dir, "copy")]);
    going = false;
    await during;
    const manifest = JSON.parse(stdout);
    assert.equal(manifest.database, "live.db");
    assert.ok(manifest.files.includes("live.db.objects/ledger/acme.sqlite"), stdout);
    assert.deepEqual(JSON.parse(await readFile(join(dir, "copy", "backup.json"), "utf8")), manifest);

    const restored = join(dir, "restored", "frontdesk.db");
    await run(NATIVE_BINARY, ["restore", "--from", join(dir, "copy"), "--db", restored]);
    const verified = await run(NATIVE_BINARY, ["audit", "verify", "--db", restored]);
    const chains = verified.stdout.trim().split("\n").map((line) => JSON.parse(line));
    const acme = chains.find((chain) => chain.tenant === "acme");
    assert.equal(acme?.ok, true, verified.stdout);
    assert.ok(acme.entries >= 20, verified.stdout);

    const { stdout: events } = await run(NATIVE_BINARY, ["events", "--db", restored, "--tenant", "acme"]);
    const ids = new Set(events.trim().split("\n").map((line) => JSON.parse(line).event_id));
    for (const id of answered) assert.ok(ids.has(id), `event ${id} answered before the backup is in it`);
  });

  it("restore refuses a database a server serves, and one that exists", async () => {
    await assert.rejects(
      run(NATIVE_BINARY, ["restore", "--from", join(dir, "copy"), "--db", join(dir, "live.db")]),
      (error) => error.code === 1 && /stop it first/.test(error.stderr),
    );
    await assert.rejects(
      run(NATIVE_BINARY, ["restore", "--from", join(dir, "copy"), "--db", join(dir, "restored", "frontdesk.db")]),
      (error) => error.code === 1 && /exists/.test(error.stderr),
    );
  });
});
