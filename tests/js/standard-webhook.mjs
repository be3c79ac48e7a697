// A Standard Webhooks delivery signed now (HMAC-SHA256 "v1"), for host tests that need a
// verified request to reach an object: id.timestamp.body under the base64 key after whsec_.
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";

export const CONFORMANCE_CONFIG = JSON.parse(
  readFileSync(new URL("../conformance/config.json", import.meta.url), "utf8"),
);
// The "quo" source of that config verifies with env QUO_WEBHOOK_SECRET.
export const QUO_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
export const QUO_ENV = { QUO_WEBHOOK_SECRET: QUO_SECRET };

export function signedDelivery({ id, body, path = "/webhooks/quo", secret = QUO_SECRET }) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const signature = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64");
  return {
    method: "POST",
    path,
    headers: {
      "content-type": "application/json",
      "webhook-id": id,
      "webhook-timestamp": timestamp,
      "webhook-signature": `v1,${signature}`,
    },
    body: new TextEncoder().encode(body),
  };
}

export const RINGING = JSON.stringify({
  type: "call.ringing",
  data: { object: { id: "AC-test-1", from: "+15555550123", to: "+18886115384" } },
});
