// A first run as the README tells it: `./scripts/run.sh` on the example configuration with
// nothing set (it makes development secrets and a console token, and prints both), then
// `frontdesk simulate call --source telnyx --from …` (a delivery signed like Telnyx signs),
// and the call is on the console's calls page, screened by the example's policy.
// The data and secrets go to a temporary directory; the preset is the one the tests built.
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { after, before, describe, it } from "node:test";

import { launchChromium } from "./harness.mjs";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const PRESET = process.env.FRONTDESK_RUN_PRESET ?? "native";
const FRONTDESK = join(ROOT, "build", PRESET, "native-harness/frontdesk");
const tid = (id) => `[data-testid="${id}"]`;
const run = promisify(execFile);

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// Lines the script printed, until `pattern` shows (the server's listening line).
function waitForOutput(child, pattern, timeoutMs) {
  return new Promise((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => reject(new Error(`no ${pattern} in ${timeoutMs} ms; printed:\n${seen}`)), timeoutMs);
    const take = (chunk) => {
      seen += chunk;
      if (pattern.test(seen)) {
        clearTimeout(timer);
        resolve(seen);
      }
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`scripts/run.sh exited (${code}); printed:\n${seen}`));
    });
  });
}

describe("first run: scripts/run.sh, then frontdesk simulate call, shows the call on the console", () => {
  let dir;
  let child;
  let printed;
  let url;
  let browser;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "frontdesk-first-run-"));
    const listen = `127.0.0.1:${await freePort()}`;
    url = `http://${listen}`;
    const env = { ...process.env, FRONTDESK_PRESET: PRESET, FRONTDESK_LISTEN: listen };
    env.FRONTDESK_DB = join(dir, "frontdesk.db");
    env.FRONTDESK_DEV_ENV = join(dir, "dev.env");
    // Nothing of the example's secrets is set: a newcomer's shell.
    for (const name of Object.keys(env)) {
      if (/^(TELNYX|OPENPHONE|QUO|TWILIO|GITHUB|STRIPE)_/.test(name)) delete env[name];
    }
    child = spawn("bash", ["scripts/run.sh"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    printed = await waitForOutput(child, /Frontdesk listening on/, 300_000);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    child?.kill("SIGTERM");
    await rm(dir, { recursive: true, force: true });
  });

  it("prints the console's URL and a token, and keeps the development secrets private", async () => {
    assert.match(printed, new RegExp(`Console: ${url.replace(/\./g, "\\.")}/`));
    assert.match(printed, /Token: +fd_[0-9A-Za-z]{40}/);
    const secrets = await stat(join(dir, "dev.env"));
    assert.equal(secrets.mode & 0o777, 0o600, "dev.env is the owner's only");
    assert.doesNotMatch(printed, /is not set/, "no source or provider is left without its secret");
  });

  it("shows a simulated Telnyx call screened on the calls page", async () => {
    const token = /Token: +(fd_[0-9A-Za-z]{40})/.exec(printed)[1];
    const caller = "+15555550123"; // registered as alice.x in examples/frontdesk.json
    const simulated = await run(FRONTDESK, [
      "simulate", "call", "--source", "telnyx", "--from", caller,
      "--env-file", join(dir, "dev.env"), "--url", url,
    ], { cwd: ROOT });
    assert.match(simulated.stdout, /POST \/webhooks\/telnyx → 200 \{"ok":true/);

    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (error) => errors.push(String(error)));
    await page.goto(`${url}/#/signin`);
    await page.fill(tid("signin-token"), token);
    await page.click(tid("signin-submit"));
    const row = page.locator(`${tid("call-row")}[data-from="${caller}"]`);
    await row.waitFor({ timeout: 5000 });
    assert.match(await row.innerText(), /authenticated/);
    assert.deepEqual(errors, []);

    const text = await run(FRONTDESK, [
      "simulate", "text", "--source", "openphone", "--from", "+15555550188", "--text", "Emergency: the pipe burst!",
      "--env-file", join(dir, "dev.env"), "--url", url,
    ], { cwd: ROOT });
    assert.match(text.stdout, /POST \/webhooks\/openphone → 200/);
    await page.close();
  });
});
