// Working on the console by hand: `node tests/browser/dev.mjs [--seed]` starts the native
// server with the console (see harness.mjs), a fake provider, prints the URL and a token,
// and with --seed delivers a few calls and texts. Ctrl-C stops it.
import { startFakeProvider } from "../scenarios/fake-provider.mjs";
import {
  BLOCKED,
  REGISTERED,
  freshNumber,
  newCallControlId,
  openPhoneTextReceived,
  signedOpenPhone,
  signedTelnyx,
  telnyxCallEvent,
} from "../scenarios/deliveries.mjs";
import { startConsoleServer } from "./harness.mjs";

const fake = await startFakeProvider();
const server = await startConsoleServer({
  providerUrl: fake.url,
  outbound: { max_attempts: 1, base_delay_ms: 100, max_delay_ms: 200 },
});

if (process.argv.includes("--seed")) {
  for (const from of [REGISTERED, BLOCKED, freshNumber(), freshNumber()]) {
    const event = telnyxCallEvent({ type: "call.initiated", ccid: newCallControlId(), from });
    const answer = await server.send(signedTelnyx(event.body));
    console.log("call", from, answer.status);
  }
  for (const text of ["Water is leaking everywhere, emergency!", "Can I book a table for Friday?"]) {
    const delivery = openPhoneTextReceived({ from: freshNumber(), text });
    console.log("text", (await server.send(signedOpenPhone(delivery.body))).status);
  }
  fake.setMode("down");
  const event = telnyxCallEvent({ type: "call.initiated", ccid: newCallControlId(), from: REGISTERED });
  console.log("call (provider down)", (await server.send(signedTelnyx(event.body))).status);
  setTimeout(() => fake.setMode("up"), 2000);
}

console.log(`console: ${server.url}/`);
console.log(`token:   ${server.token}   scopes: ${server.scopes.join(",")}`);

const stop = async () => {
  await server.close();
  await fake.close();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
