// The operator's console in Chromium against the native server: sign-in, live calls, a
// call's trust factors, blocking through the registry page, retrying a dead outbound
// command, the endpoints and deliveries pages, the overview's charts, 360 px and the
// keyboard, and no console errors. Screenshots go to build/screenshots/<page>.png.
//
//   scripts/build-console.sh && node --test --test-concurrency=1 tests/browser/
//
// Needs Chromium at /usr/bin/chromium (or FRONTDESK_CHROMIUM) and a built `frontdesk`
// (build/native, or FRONTDESK_NATIVE_BIN).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";

import {
  OUR_NUMBER,
  REGISTERED,
  freshNumber,
  newCallControlId,
  openPhoneTextReceived,
  signedOpenPhone,
  signedTelnyx,
  telnyxCallEvent,
} from "../scenarios/deliveries.mjs";
import { startFakeProvider } from "../scenarios/fake-provider.mjs";
import { SCREENSHOT_DIR, launchChromium, startConsoleServer } from "./harness.mjs";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const PAGES = ["overview", "calls", "texts", "registry", "outbound", "endpoints", "deliveries", "audit"];
const tid = (id) => `[data-testid="${id}"]`;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// A token nobody issued, of the right form.
function unknownToken() {
  const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  let token = "fd_";
  for (let i = 0; i < 40; i++) token += alphabet[Math.floor(Math.random() * 62)];
  return token;
}

// A webhook receiver for endpoints: answers 200 to everything, records what came.
async function startReceiver() {
  const received = [];
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      received.push({ headers: request.headers, body });
      response.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/hooks/frontdesk`,
    received,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// FRONTDESK_CONSOLE_TARGETS=native (or worker) narrows a run while working on one.
const TARGETS = (process.env.FRONTDESK_CONSOLE_TARGETS ?? "native,worker").split(",").filter(Boolean);
// The native run's screenshots are the README's; the Worker's are kept beside them.
const shotFor = (target) => (name) => join(SCREENSHOT_DIR, target === "native" ? name : `worker-${name}`);

for (const target of TARGETS) {
  describe(`the console in Chromium (${target === "native" ? "frontdesk serve" : "wrangler dev"})`, () => {
    const shot = shotFor(target);
    /** @type {Awaited<ReturnType<typeof startFakeProvider>>} */
    let fake;
    /** @type {Awaited<ReturnType<typeof startConsoleServer>>} */
    let server;
    let browser;
    let context;
    let page;
    // Console errors and warnings and page errors of every page, with the test they came in;
    // `expected` lists what a test provokes on purpose (a refused token's 401).
    const problems = [];
    let currentTest = "setup";
    let expected = [];

    const watch = (target, label) => {
      target.on("console", (message) => {
        if (message.type() !== "error" && message.type() !== "warning") return;
        const text = message.text();
        const location = message.location()?.url ?? "";
        problems.push({ test: currentTest, page: label, type: message.type(), text, location, expected: expected.some((re) => re.test(text)) });
      });
      target.on("pageerror", (error) => {
        problems.push({ test: currentTest, page: label, type: "pageerror", text: String(error?.stack ?? error), expected: false });
      });
    };
    const testing = (name, allowed = []) => {
      currentTest = name;
      expected = allowed;
    };

    const go = async (hash) => {
      await page.goto(`${server.url}/${hash}`);
      await page.waitForSelector("main h1");
    };
    const deliverCall = async (from) => {
      const ccid = newCallControlId();
      const event = telnyxCallEvent({ type: "call.initiated", ccid, from });
      const answer = await server.send(signedTelnyx(event.body));
      assert.equal(answer.status, 200, answer.text);
      return ccid;
    };
    const callOf = async (ccid) => {
      const answer = await server.api("GET", "/api/v1/calls?limit=200", { token: server.token });
      assert.equal(answer.status, 200, answer.text);
      const call = answer.json.data.find((c) => c.provider_call_id === ccid);
      assert.ok(call, `the call ${ccid} is listed by the API`);
      return call;
    };
    const visibleText = async (selector) => (await page.locator(selector).first().innerText()).trim();
    const errorsOnPage = async () =>
      (await page.locator(`${tid("error")}:visible, .error-box:visible`).allInnerTexts()).map((t) => t.trim()).filter(Boolean);

    before(async () => {
      execFileSync(join(ROOT, "scripts/build-console.sh"), { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      fake = await startFakeProvider();
      server = await startConsoleServer({
        target,
        providerUrl: fake.url,
        outbound: { max_attempts: 1, base_delay_ms: 100, max_delay_ms: 200 },
      });
      browser = await launchChromium();
      context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      page = await context.newPage();
      watch(page, "main");
    });

    after(async () => {
      await browser?.close();
      await server?.close();
      await fake?.close();
    });

    it("shows an error for a wrong token, not a blank page", async () => {
      testing("wrong token", [/status of 401/]);
      await page.goto(`${server.url}/#/signin`);
      await page.fill(tid("signin-token"), unknownToken());
      await page.click(tid("signin-submit"));
      const error = page.locator(tid("error"));
      await error.waitFor({ state: "visible", timeout: 5000 });
      assert.match(await error.innerText(), /401/);
      assert.match(await error.innerText(), /refused/i);
      assert.ok(await page.locator(tid("signin-token")).isVisible(), "still on the sign-in form");
      assert.equal(await page.evaluate(() => sessionStorage.length), 0, "a refused token is not kept");
      await page.screenshot({ path: shot("signin-error.png"), fullPage: true });
    });

    it("signs in with a token, kept in sessionStorage only, with the keyboard alone", async () => {
      testing("sign in");
      await page.goto(`${server.url}/#/signin`);
      await page.fill(tid("signin-token"), "");
      // Keyboard: focus the field, type, Enter submits the form.
      await page.focus(tid("signin-token"));
      await page.keyboard.type(server.token);
      await page.keyboard.press("Enter");
      await page.waitForSelector(tid("calls-table"), { timeout: 5000 });
      assert.equal(new URL(page.url()).hash, "#/calls");
      const storage = await page.evaluate(() => ({
        session: Object.values({ ...sessionStorage }),
        local: localStorage.length,
        cookie: document.cookie,
      }));
      assert.deepEqual(storage.session, [server.token], "the token is in sessionStorage");
      assert.equal(storage.local, 0, "nothing in localStorage");
      assert.equal(storage.cookie, "", "no cookie");
      assert.ok(!page.url().includes(server.token), "the token is not in the URL");

      // Tab reaches the navigation's links, and focus shows.
      await page.locator(tid("nav-overview")).focus();
      await page.keyboard.press("Tab");
      const focused = await page.evaluate(() => {
        const element = document.activeElement;
        const style = element ? getComputedStyle(element) : null;
        return { tag: element?.tagName, testid: element?.getAttribute("data-testid"), outline: style?.outlineStyle, width: style?.outlineWidth };
      });
      assert.equal(focused.tag, "A");
      assert.equal(focused.testid, "nav-calls");
      assert.notEqual(focused.outline, "none", "a visible focus outline");
      await page.keyboard.press("Enter");
      await page.waitForSelector(tid("calls-table"));
    });

    it("shows a call delivered while the calls page is open within 1 s, without a reload", async () => {
      testing("live call");
      await go("#/calls");
      // Give the live socket its chance to open (not required: the page polls otherwise).
      await page.waitForSelector(`${tid("live-indicator")}[data-state="open"]`, { timeout: 3000 }).catch(() => {});
      const state = await page.getAttribute(tid("live-indicator"), "data-state");
      const marker = await page.evaluate(() => {
        window.__notReloaded = true;
        return true;
      });
      const from = freshNumber();
      await deliverCall(from);
      const started = Date.now();
      await page
        .waitForSelector(`${tid("call-row")}[data-from="${from}"]`, { timeout: 1000 })
        .catch(() => assert.fail(`the call from ${from} did not appear within 1 s (live indicator: ${state}; the page polls every 2 s while the live socket is not open)`));
      assert.ok(Date.now() - started <= 1000);
      assert.equal(await page.evaluate(() => window.__notReloaded), marker, "the page was not reloaded");
      assert.equal(state, "open", "the live socket was open");
    });

    it("polls every 2 s while live updates are unavailable (tickets route 404)", async () => {
      testing("polling", [/status of 404/]);
      const other = await context.newPage();
      watch(other, "polling");
      try {
        await other.route("**/api/v1/live/tickets", (route) =>
          route.fulfill({ status: 404, contentType: "application/json", body: JSON.stringify({ error: { code: "not_found", message: "No route" } }) }),
        );
        await other.addInitScript((token) => sessionStorage.setItem("frontdesk.console.token", token), server.token);
        await other.goto(`${server.url}/#/calls`);
        await other.waitForSelector(tid("calls-table"));
        await other.waitForSelector(`${tid("live-indicator")}[data-state="unavailable"]`, { timeout: 3000 });
        const from = freshNumber();
        await deliverCall(from);
        await other.waitForSelector(`${tid("call-row")}[data-from="${from}"]`, { timeout: 3500 });
      } finally {
        await other.close();
      }
    });

    it("opens a call and shows every trust factor of its decision", async () => {
      testing("trust factors");
      await go("#/calls");
      const from = REGISTERED; // registered: registry and attestation factors, at least
      const ccid = await deliverCall(from);
      const call = await callOf(ccid);
      const row = page.locator(`${tid("call-row")}[data-call-id="${call.id}"]`);
      await row.waitFor({ timeout: 5000 });
      assert.match(await row.innerText(), /alice\.x/, "the caller's namespace is shown");
      await row.locator(tid("call-link")).click();
      await page.waitForSelector(tid("trust-factors"), { timeout: 5000 });
      assert.equal(new URL(page.url()).hash, `#/calls/${call.id}`);

      const factors = call.decision.trust.factors;
      assert.ok(factors.length >= 1, "the API's decision has factors");
      const rows = page.locator(tid("trust-factor"));
      assert.equal(await rows.count(), factors.length, "one row per factor");
      for (let i = 0; i < factors.length; i++) {
        const factor = factors[i];
        const cells = rows.nth(i);
        assert.equal(await cells.getAttribute("data-name"), factor.name);
        for (const [field, value] of Object.entries(factor)) {
          const text = (await cells.locator(`td[data-field="${field}"]`).innerText()).trim();
          if (typeof value === "number") assert.equal(Number(text), value, `${factor.name}.${field}`);
          else assert.equal(text, typeof value === "object" ? JSON.stringify(value) : String(value), `${factor.name}.${field}`);
        }
      }
      assert.equal(await visibleText(tid("decision-outcome")), call.decision.outcome);
      assert.equal(await visibleText(tid("decision-action")), call.decision.action);
      assert.equal(await visibleText(tid("trust-score")), String(call.decision.trust.score));
      assert.ok((await page.locator(`${tid("timeline")} li`).count()) >= 1, "the timeline");
      await page.screenshot({ path: shot("call.png"), fullPage: true });
    });

    it("blocks a number through the registry page; the next call from it is blocked", async () => {
      testing("block");
      await go("#/registry");
      const phone = freshNumber();
      await page.fill(tid("block-phone"), phone);
      await page.click(tid("block-add"));
      const notice = page.locator(tid("block-notice"));
      await notice.waitFor({ state: "visible", timeout: 5000 }).catch(async () => {
        assert.fail(`no confirmation; errors on the page: ${JSON.stringify(await errorsOnPage())}`);
      });
      assert.match(await notice.innerText(), new RegExp(phone.replace("+", "\\+")));

      const ccid = await deliverCall(phone);
      const call = await callOf(ccid);
      await go(`#/calls/${encodeURIComponent(call.id)}`);
      await page.waitForSelector(tid("decision-outcome"), { timeout: 5000 });
      assert.equal(await visibleText(tid("decision-outcome")), "blocked");
      assert.equal(call.decision.outcome, "blocked");
    });

    it("lists the registry and the allow and block lists (GET /api/v1/registry, /api/v1/lists/{list})", async () => {
      testing("registry lists");
      await go("#/registry");
      const phone = freshNumber();
      await page.fill(tid("registry-phone"), phone);
      await page.fill(tid("registry-namespace"), "bob.test");
      await page.click(tid("registry-add"));
      await page.locator(tid("registry-notice")).waitFor({ state: "visible", timeout: 5000 });
      const problemsShown = async () => JSON.stringify(await errorsOnPage());
      await page
        .waitForSelector(`${tid("registry-row")}[data-phone="${phone}"]`, { timeout: 5000 })
        .catch(async () => assert.fail(`the new registry entry is not listed; errors: ${await problemsShown()}`));
      // The tenant's configured lists (receptionConfig): +15555550124 allowed, +15555550666 blocked.
      await page
        .waitForSelector(`${tid("allow-row")}[data-phone="+15555550124"]`, { timeout: 5000 })
        .catch(async () => assert.fail(`the allow list is not listed; errors: ${await problemsShown()}`));
      await page.waitForSelector(`${tid("block-row")}[data-phone="+15555550666"]`, { timeout: 5000 });

      // Remove the new entry again.
      await page.locator(`${tid("registry-row")}[data-phone="${phone}"] button`).click();
      await page.waitForSelector(`${tid("registry-row")}[data-phone="${phone}"]`, { state: "detached", timeout: 5000 });
    });

    it("retries a dead outbound command and the list refreshes", async () => {
      testing("outbound retry");
      fake.setMode(500);
      let ccid;
      try {
        ccid = await deliverCall(REGISTERED); // its `answer` command fails once: dead (max_attempts 1)
        const deadline = Date.now() + 10000;
        for (;;) {
          const dead = await server.api("GET", "/api/v1/outbound?status=dead&limit=200", { token: server.token });
          if (dead.json?.data?.some((c) => decodeURIComponent(c.url).includes(ccid))) break;
          assert.ok(Date.now() < deadline, "the command became a dead letter");
          await sleep(100);
        }
      } finally {
        fake.setMode("up");
      }
      const dead = await server.api("GET", "/api/v1/outbound?status=dead&limit=200", { token: server.token });
      const command = dead.json.data.find((c) => decodeURIComponent(c.url).includes(ccid));

      await go("#/outbound");
      const row = page.locator(`${tid("outbound-row")}[data-command-id="${command.command_id}"]`);
      await row.waitFor({ timeout: 5000 });
      assert.equal(await row.getAttribute("data-status"), "dead");
      await row.locator(tid("outbound-retry")).click();
      const notice = page.locator(tid("outbound-notice"));
      await notice.waitFor({ state: "visible", timeout: 5000 }).catch(async () => {
        assert.fail(`no confirmation of the retry; errors on the page: ${JSON.stringify(await errorsOnPage())}`);
      });
      // The dead letters are listed again without it.
      await row.waitFor({ state: "detached", timeout: 5000 });
      // And the provider gets it this time.
      await fake.waitFor(() => fake.telnyxCommands(ccid).some((c) => c.action === "answer" && c.answeredWith === "up"), 10000, "the retried answer");
      await page.screenshot({ path: shot("outbound-retried.png"), fullPage: true });
    });

    it("shows texts with their analysis", async () => {
      testing("texts");
      const from = freshNumber();
      const delivery = openPhoneTextReceived({ from, text: "Water everywhere, the pipe burst! Emergency, please come now" });
      const answer = await server.send(signedOpenPhone(delivery.body));
      assert.equal(answer.status, 200, answer.text);
      await go("#/texts");
      const row = page.locator(`${tid("text-row")}[data-from="${from}"]`);
      await row.waitFor({ timeout: 5000 });
      const text = await row.innerText();
      assert.match(text, /pipe burst/);
      assert.match(text, new RegExp(OUR_NUMBER.replace("+", "\\+")));
    });

    it("creates an endpoint (secret shown once), sends a test, and retries its delivery", async () => {
      testing("endpoints");
      const receiver = await startReceiver();
      try {
        await go("#/endpoints");
        await page.fill(tid("endpoint-url"), receiver.url);
        await page.check(tid("endpoint-event-frontdesk.test"));
        await page.fill(tid("endpoint-description"), "console test");
        await page.click(tid("endpoint-create"));
        const secret = page.locator(tid("endpoint-secret"));
        await secret.waitFor({ timeout: 5000 }).catch(async () => assert.fail(`no secret shown; errors: ${JSON.stringify(await errorsOnPage())}`));
        assert.match(await secret.innerText(), /^whsec_/);
        const row = page.locator(tid("endpoint-row")).filter({ hasText: receiver.url });
        await row.waitFor({ timeout: 5000 });
        const endpointId = await row.getAttribute("data-endpoint-id");
        await row.locator(tid("endpoint-test")).click();
        await page.locator(tid("endpoint-notice")).waitFor({ state: "visible", timeout: 5000 });
        const deadline = Date.now() + 5000;
        while (receiver.received.length === 0) {
          assert.ok(Date.now() < deadline, "the test event reached the receiver");
          await sleep(50);
        }

        await go(`#/deliveries/${endpointId}`);
        const delivery = page.locator(tid("delivery-row")).first();
        await delivery.waitFor({ timeout: 5000 });
        await delivery.locator(tid("delivery-expand")).click();
        await page.locator(tid("delivery-attempt")).first().waitFor({ timeout: 5000 });
        await delivery.locator(tid("delivery-retry")).click();
        await page.locator(tid("delivery-notice")).waitFor({ state: "visible", timeout: 5000 });
        const again = Date.now() + 5000;
        while (receiver.received.length < 2) {
          assert.ok(Date.now() < again, "the retried delivery reached the receiver");
          await sleep(50);
        }

        // Disable, then delete (two steps).
        await go("#/endpoints");
        const listed = page.locator(`${tid("endpoint-row")}[data-endpoint-id="${endpointId}"]`);
        await listed.locator(tid("endpoint-toggle")).click();
        await page.waitForFunction(
          (id) => document.querySelector(`[data-endpoint-id="${id}"] [data-testid="endpoint-toggle"]`)?.textContent?.trim() === "Enable",
          endpointId,
          { timeout: 5000 },
        );
        await listed.locator(tid("endpoint-delete")).click();
        await listed.locator(tid("endpoint-delete-confirm")).click();
        await listed.waitFor({ state: "detached", timeout: 5000 });
      } finally {
        await receiver.close();
      }
    });

    it("shows the audit chain's verification and its entries", async () => {
      testing("audit");
      await go("#/audit");
      const verify = page.locator(tid("audit-verify"));
      await verify.waitFor({ timeout: 5000 });
      assert.equal(await verify.getAttribute("data-ok"), "true");
      await page.locator(tid("audit-row")).first().waitFor({ timeout: 5000 });
    });

    it("draws the overview's charts from GET /api/v1/stats", async () => {
      testing("overview");
      await go("#/overview");
      const charts = ["chart-calls-actions", "chart-calls-outcomes", "chart-screened", "chart-texts", "chart-webhooks"];
      await page
        .waitForSelector(`${tid("chart-calls-actions")} canvas`, { timeout: 5000 })
        .catch(async () => assert.fail(`no chart; errors on the page: ${JSON.stringify(await errorsOnPage())}`));
      for (const chart of charts) {
        const drawn = await page.$eval(`${tid(chart)} canvas`, (canvas) => {
          const { width, height } = canvas;
          if (!width || !height) return { width, height, painted: 0 };
          const pixels = canvas.getContext("2d").getImageData(0, 0, width, height).data;
          let painted = 0;
          for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted++;
          return { width, height, painted };
        });
        assert.ok(drawn.width > 0 && drawn.height > 0, `${chart}: a canvas with a size`);
        assert.ok(drawn.painted > 0, `${chart}: something drawn`);
      }
      assert.notEqual(await visibleText(tid("headline-calls")), "", "headline numbers");
      const calls = Number((await visibleText(`${tid("headline-calls")} .value`)).trim());
      assert.ok(calls >= 5, `the calls of this run are counted (${calls})`);
      await page.click(tid("bucket-day"));
      await page.waitForSelector(`${tid("bucket-day")}[aria-pressed="true"]`);
      await page.waitForSelector(`${tid("chart-calls-actions")} canvas`, { timeout: 5000 });
    });

    it("fits every page in 360 px without horizontal scrolling (screenshots)", async () => {
      testing("360 px");
      await page.setViewportSize({ width: 360, height: 780 });
      try {
        const calls = await server.api("GET", "/api/v1/calls?limit=1", { token: server.token });
        const pages = [...PAGES.map((name) => [name, `#/${name}`]), ["call", `#/calls/${encodeURIComponent(calls.json.data[0].id)}`]];
        const overflowing = [];
        for (const [name, hash] of pages) {
          await go(hash);
          await sleep(600); // lists and charts load
          const width = await page.evaluate(() => document.documentElement.scrollWidth);
          if (width > 360) overflowing.push(`${name}: ${width}px`);
          await page.screenshot({ path: shot(`${name}.png`), fullPage: true });
        }
        assert.deepEqual(overflowing, [], "no page is wider than 360 px");
      } finally {
        await page.setViewportSize({ width: 1280, height: 900 });
      }
      // And as a desk sees them (the README shows the calls page).
      for (const name of ["calls", "overview"]) {
        await go(`#/${name}`);
        await sleep(600);
        await page.screenshot({ path: shot(`${name}-1280.png`) });
      }
    });

    it("signs out: the token is gone and the pages ask to sign in", async () => {
      testing("sign out");
      await go("#/calls");
      await page.click(tid("signout"));
      await page.waitForSelector(tid("signin-token"));
      assert.equal(await page.evaluate(() => sessionStorage.length), 0);
      await page.goto(`${server.url}/#/calls`);
      await page.waitForSelector(tid("signin-token"));
      await page.setViewportSize({ width: 360, height: 780 });
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      await page.screenshot({ path: shot("signin.png"), fullPage: true });
      await page.setViewportSize({ width: 1280, height: 900 });
      assert.ok(width <= 360, `the sign-in page fits 360 px (${width})`);
    });

    it("sends the user back to sign in with a message when the token is refused later", async () => {
      testing("401 later", [/status of 401/]);
      const other = await context.newPage();
      watch(other, "refused");
      try {
        await other.addInitScript((token) => {
          if (!sessionStorage.getItem("seeded")) {
            sessionStorage.setItem("seeded", "1");
            sessionStorage.setItem("frontdesk.console.token", token);
          }
        }, unknownToken());
        await other.goto(`${server.url}/#/texts`);
        await other.waitForSelector(tid("signin-reason"), { timeout: 5000 });
        assert.match(await other.locator(tid("signin-reason")).innerText(), /401/);
        assert.equal(new URL(other.url()).hash, "#/signin");
        assert.equal(await other.evaluate(() => sessionStorage.getItem("frontdesk.console.token")), null);
      } finally {
        await other.close();
      }
    });

    it("logged no console errors or warnings and no page errors", () => {
      const unexpected = problems.filter((p) => !p.expected);
      // What the server printed about reloads and failures, to tell a server's 5xx from a
      // wrangler reload's 503 when this fails.
      const serverSaid = (server.stderr ?? []).join("")
        .split("\n")
        .filter((line) => /reload|restart|changed|error|fail|503/i.test(line))
        .slice(-40)
        .join("\n");
      assert.deepEqual(
        unexpected.map((p) => `[${p.test}] ${p.type}: ${p.text}${p.location ? ` (${p.location})` : ""}`),
        [],
        `the server printed:\n${serverSaid}`,
      );
    });
  });
}
