// The console under test: the native server (`frontdesk serve --console build/console`)
// with the reception configuration of the scenarios, a token minted through the bootstrap
// secret, and helpers to deliver signed webhooks to it.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";

import { BOOTSTRAP_TOKEN, SCOPES } from "../api/api.mjs";
import { createNativeTarget } from "../js/native-target.mjs";
import { receptionConfig, receptionEnv } from "../scenarios/targets.mjs";
import { startWranglerDev } from "./wrangler-dev.mjs";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const CONSOLE_DIR = join(ROOT, "build/console");
export const SCREENSHOT_DIR = join(ROOT, "build/screenshots");

// Every scope a tenant's admin has (the console's token).
export const ALL_SCOPES = SCOPES.filter((scope) => scope !== "platform");

// Debian's Chromium, headless, kept off the network this machine does not have.
export const launchChromium = () =>
  chromium.launch({
    executablePath: process.env.FRONTDESK_CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });

// options: providerUrl (the fake provider), outbound (the config's outbound settings),
// config (a function changing the configuration before it is written).
// → {url (the console's origin), apiUrl (the server's), token, scopes,
//    send(request) → {status, text, json}, api(method, path, {token, body}), mint(scopes), close()}.
// target: "native" (frontdesk serve --console) or "worker" (wrangler dev, static assets).
export async function startConsoleServer({ target = "native", providerUrl, outbound, config: edit } = {}) {
  if (!existsSync(join(CONSOLE_DIR, "index.html"))) {
    throw new Error(`${CONSOLE_DIR}/index.html is missing: run scripts/build-console.sh`);
  }
  const config = receptionConfig({ providerUrl: providerUrl ?? "http://127.0.0.1:9" });
  config.fanout = { allow_http: true, allow_private: true, schedule_s: [0, 1, 1] };
  if (outbound) config.outbound = outbound;
  edit?.(config);

  const env = { ...receptionEnv(), FRONTDESK_BOOTSTRAP_TOKEN: BOOTSTRAP_TOKEN };
  const server =
    target === "native"
      ? await createNativeTarget({ config, env, serveArgs: ["--console", CONSOLE_DIR] })
      : await startWranglerDev({ config, env });
  const apiUrl = server.url;

  async function send({ method = "GET", path, headers = {}, body }) {
    const response = await fetch(new URL(path, apiUrl), { method, headers, body });
    const text = await response.text();
    let json = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    return { status: response.status, text, json };
  }
  const api = (method, path, { token, body } = {}) =>
    send({
      method,
      path,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });

  // A token of tenant acme.
  async function mint(scopes = ALL_SCOPES) {
    const answer = await api("POST", "/api/v1/tokens", {
      token: BOOTSTRAP_TOKEN,
      body: { tenant: "acme", name: "console-test", scopes },
    });
    if (answer.status !== 201) throw new Error(`minting a token: ${answer.status} ${answer.text}`);
    return { token: answer.json.token, scopes };
  }
  const { token, scopes } = await mint();

  return {
    url: apiUrl,
    apiUrl,
    token,
    scopes,
    stderr: server.stderr,
    send,
    api,
    mint,
    close: () => server.close(),
  };
}
