// A tenant's webhook endpoint for the fan-out scenarios (docs/fanout.md): a real HTTP server
// on 127.0.0.1 that records every request Frontdesk sends it and answers as the test says.
//   mode "ok"    200 (delivered)
//   mode "fail"  500 (retried on fanout.schedule_s, then dead)
//   mode "hang"  no answer at all: the request is held until close()
//   mode "slow"  200, after slowMs (12 s unless given)
import { createServer } from "node:http";

import { listenLocally, waitForRequests } from "./recorded-requests.mjs";

const MODES = ["ok", "fail", "hang", "slow"];

// → {url, requests, setMode(mode), waitFor(predicate, timeoutMs, what), close()}.
// url: the endpoint URL to register (a path under the server, so the path is seen kept).
// requests: [{seq, method, path, at (ms), headers (lower-case names), rawBody (the exact
// text, which is what the signature covers), body (parsed JSON or null), answeredWith (the
// mode then)}], in arrival order.
export async function startWebhookReceiver({ mode: initial = "ok", path = "/hooks/frontdesk", slowMs = 12_000 } = {}) {
  if (!MODES.includes(initial)) throw new Error(`unknown receiver mode ${initial}`);
  const requests = [];
  let mode = initial;
  const server = createServer((incoming, response) => {
    const chunks = [];
    incoming.on("data", (chunk) => chunks.push(chunk));
    incoming.on("end", () => {
      const rawBody = Buffer.concat(chunks).toString("utf8");
      let body = null;
      try {
        body = rawBody ? JSON.parse(rawBody) : null;
      } catch {
        body = null;
      }
      requests.push({
        seq: requests.length + 1,
        method: incoming.method,
        path: new URL(incoming.url, "http://receiver").pathname,
        at: Date.now(),
        headers: { ...incoming.headers },
        rawBody,
        body,
        answeredWith: mode,
      });
      if (mode === "hang") return; // left open: close() ends it
      if (mode === "slow") {
        setTimeout(() => response.writeHead(200, { "content-type": "text/plain" }).end("ok, slowly"), slowMs);
        return;
      }
      response.writeHead(mode === "ok" ? 200 : 500, { "content-type": "text/plain" });
      response.end(mode === "ok" ? "ok" : "receiver failing on purpose");
    });
  });
  const port = await listenLocally(server);

  // Polls until predicate(requests) is truthy; resolves to that value.
  const waitFor = (predicate, timeoutMs = 5000, what = "the expected webhook deliveries") =>
    waitForRequests(requests, predicate, {
      timeoutMs,
      what,
      describe: (r) =>
        `${r.method} ${r.path} ${r.headers["webhook-id"] ?? "(no webhook-id)"} ${r.body?.type ?? "?"} → ${r.answeredWith}`,
    });

  return {
    url: `http://127.0.0.1:${port}${path}`,
    requests,
    setMode(next) {
      if (!MODES.includes(next)) throw new Error(`unknown receiver mode ${next}`);
      mode = next;
    },
    waitFor,
    // Ends the held requests (their sockets are destroyed) and stops listening.
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
