// What the local HTTP stand-ins (fake-provider.mjs, webhook-receiver.mjs) share: listening on
// the loopback, and waiting for the requests they recorded.

const POLL_MS = 20;

// Polls until predicate(requests) is truthy and resolves to that value; after timeoutMs,
// fails naming `what` and listing each request as describe(request) says.
export async function waitForRequests(requests, predicate, { timeoutMs, what, describe }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = predicate(requests);
    if (value) return value;
    if (Date.now() > deadline) {
      const seen = requests.map(describe).join("\n  ");
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; received:\n  ${seen || "(nothing)"}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

// Starts server on 127.0.0.1 at a free port → the port.
export async function listenLocally(server) {
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  return server.address().port;
}
