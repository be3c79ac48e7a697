// Between fetch's Request/Response and the step protocol's request/response.
import { decodeBase64, encodeBase64 } from "./base64.js";

// The path and query exactly as in the request URL: the core does its own decoding, so
// nothing here goes through URL's normalisation.
export function splitTarget(url) {
  const match = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([^?#]*)(?:\?([^#]*))?/i.exec(url);
  if (!match) throw new Error("request URL is not absolute");
  return { path: match[1] || "/", query: match[2] ?? "" };
}

export async function toStepRequest(request) {
  const { path, query } = splitTarget(request.url);
  const body = request.body ? new Uint8Array(await request.arrayBuffer()) : new Uint8Array(0);
  return { method: request.method, path, query, headers: [...request.headers], body_b64: encodeBase64(body) };
}

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

export function toResponse(stepResponse, method) {
  const headers = new Headers();
  for (const [name, value] of stepResponse.headers) headers.append(name, value);
  const { status } = stepResponse;
  const body = NULL_BODY_STATUSES.has(status) || method === "HEAD" ? null : decodeBase64(stepResponse.body_b64);
  return new Response(body, { status, headers });
}

// The answer to anything that went wrong in the host itself: the SPEC's error shape, and
// never a stack trace.
export function internalErrorResponse() {
  const body = JSON.stringify({ error: { code: "internal", message: "internal error" } });
  return new Response(body, { status: 500, headers: { "content-type": "application/json" } });
}
