// A stand-in for the Telnyx, OpenPhone and Twilio REST APIs: a real HTTP server on 127.0.0.1
// that records every request and answers as the test says.
//   mode "up"     Telnyx 200 {"data":{"result":"ok"}}; OpenPhone POST /v1/messages 202 with
//                 a message; Twilio POST /2010-04-01/Accounts/{sid}/Messages.json and
//                 Calls.json 201 with the resource's sid; anything else 404
//   mode "down"   503 to everything (the API is down)
//   mode "close"  the socket is destroyed without an answer (a network failure)
//   mode "hang"   no answer at all: the request waits until the caller gives up
//   mode <number> that status to everything, with a JSON error body
import { createServer } from "node:http";

import { listenLocally, waitForRequests } from "./recorded-requests.mjs";


function answerUp(request, response) {
  const send = (status, body) => {
    response.writeHead(status, { "content-type": "application/json" });
    response.end(JSON.stringify(body));
  };
  if (request.method === "POST" && /^\/v2\/calls\/[^/]+\/actions\/[a-z_]+$/.test(request.path)) {
    return send(200, { data: { result: "ok" } });
  }
  if (request.method === "POST" && request.path === "/v2/messages") {
    return send(200, { data: { id: `fake-telnyx-message-${request.seq}`, type: "SMS" } });
  }
  if (request.method === "POST" && request.path === "/v1/messages") {
    const body = request.body ?? {};
    return send(202, {
      data: {
        id: `ACfake${String(request.seq).padStart(6, "0")}`,
        object: "message",
        from: body.from,
        to: body.to,
        text: body.content,
        direction: "outgoing",
        status: "queued",
        createdAt: new Date().toISOString(),
      },
    });
  }
  const twilio = /^\/2010-04-01\/Accounts\/([^/]+)\/(Messages|Calls)\.json$/.exec(request.path);
  if (request.method === "POST" && twilio) {
    const [, account, resource] = twilio;
    const form = request.form ?? {};
    const sid = `${resource === "Messages" ? "SM" : "CA"}fake${String(request.seq).padStart(26, "0")}`;
    return send(201, { sid, account_sid: account, to: form.To, from: form.From, body: form.Body, status: "queued" });
  }
  return send(404, { errors: [{ title: "not found", detail: `${request.method} ${request.path}` }] });
}

// → {url, requests, setMode(mode), waitFor(predicate, timeoutMs, what), matching(path),
//    telnyxCommands(ccid), close()}.
// requests: [{seq, method, path (percent-decoded), at (ms), headers (lower-case names),
// rawBody, body (parsed JSON or null), form (a form's fields, or null), answeredWith (the
// mode then)}], in arrival order.
export async function startFakeProvider() {
  const requests = [];
  let mode = "up";
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
      const form = (incoming.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")
        ? Object.fromEntries(new URLSearchParams(rawBody))
        : null;
      const request = {
        seq: requests.length + 1,
        method: incoming.method,
        // Decoded, so "v3:…" and "v3%3A…" in a call control id read the same.
        path: decodeURIComponent(new URL(incoming.url, "http://fake").pathname),
        at: Date.now(),
        headers: { ...incoming.headers },
        rawBody,
        body,
        form,
        answeredWith: mode,
      };
      requests.push(request);
      if (mode === "hang") {
        // Left open: close() ends it.
      } else if (mode === "close") {
        incoming.socket.destroy();
      } else if (mode === "down") {
        response.writeHead(503, { "content-type": "application/json" });
        response.end(JSON.stringify({ errors: [{ title: "service unavailable" }] }));
      } else if (typeof mode === "number") {
        response.writeHead(mode, { "content-type": "application/json" });
        response.end(JSON.stringify({ errors: [{ title: `fake status ${mode}` }] }));
      } else {
        answerUp(request, response);
      }
    });
  });
  const port = await listenLocally(server);

  // Polls until predicate(requests) is truthy; resolves to that value.
  const waitFor = (predicate, timeoutMs = 5000, what = "the expected provider requests") =>
    waitForRequests(requests, predicate, {
      timeoutMs,
      what,
      describe: (r) => `${r.method} ${r.path} → ${r.answeredWith}`,
    });

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setMode(next) {
      mode = next;
    },
    waitFor,
    // The recorded requests whose path matches (a string is a whole path).
    matching: (path) => requests.filter((r) => (typeof path === "string" ? r.path === path : path.test(r.path))),
    // The Telnyx call-control commands received for one call, each with its action name.
    telnyxCommands: (ccid) =>
      requests
        .filter((r) => r.path.startsWith(`/v2/calls/${ccid}/actions/`))
        .map((r) => ({ ...r, action: r.path.slice(`/v2/calls/${ccid}/actions/`.length) })),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
