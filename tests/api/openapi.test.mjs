// The API against its contract (docs/api.md, docs/openapi.json): the OpenAPI document is
// sound and names exactly the routes of docs/api.md, and on the native server and the Worker
// every route answers, for good input and bad, only what the document says it may.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";

import {
  ALLOWED,
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
import { TARGETS, receptionConfig, receptionEnv, startTarget } from "../scenarios/targets.mjs";
import {
  HTTP_METHODS,
  OPENAPI_PATH,
  componentValidator,
  deref,
  findOperation,
  openapi,
  resolvePointer,
  validateAnswer,
} from "./openapi-validate.mjs";

const API_MD = readFileSync(new URL("../../docs/api.md", import.meta.url), "utf8");
const OPENAPI_TEXT = readFileSync(OPENAPI_PATH, "utf8");

// SPEC.md "Errors": the error codes, one meaning each.
const ERROR_CODES = [
  "missing_signature",
  "bad_signature",
  "stale_timestamp",
  "unknown_source",
  "payload_too_large",
  "unsupported_media_type",
  "malformed_body",
  "unauthenticated",
  "forbidden",
  "not_found",
  "method_not_allowed",
  "conflict",
  "invalid_field",
  "rate_limited",
  "storage_unavailable",
  "internal",
];
const UNAUTHENTICATED_MESSAGE = "a valid API token is required";
// OpenAPI 3.1's Components Object.
const COMPONENT_FIELDS = [
  "schemas",
  "responses",
  "parameters",
  "examples",
  "requestBodies",
  "headers",
  "securitySchemes",
  "links",
  "callbacks",
  "pathItems",
];

// --- docs/api.md, read as the source of truth ---

// The route table: [{method, path (OpenAPI template), scope (null: no scope)}].
function routesOfApiMd() {
  const routes = [];
  for (const line of API_MD.split("\n")) {
    const match = /^\|\s*(GET|PUT|POST|DELETE|PATCH)\s*\|\s*`([^`]+)`\s*\|([^|]*(?:\\\|[^|]*)*)\|/.exec(line);
    if (!match) continue;
    const path = match[2].replace("{allow\\|block}", "{list}");
    const scope = /`([a-z]+(?::[a-z]+)?)`/.exec(match[3])?.[1] ?? null;
    routes.push({ method: match[1], path, scope: match[3].trim().startsWith("—") ? null : scope });
  }
  return routes;
}

// The scopes of docs/api.md "## Scopes".
function scopesOfApiMd() {
  const section = /## Scopes\n+([\s\S]*?)\n\n/.exec(API_MD)?.[1] ?? "";
  return [...section.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
}

const operations = () =>
  Object.entries(openapi.paths).flatMap(([path, item]) =>
    HTTP_METHODS.filter((m) => item[m]).map((method) => ({ path, method, operation: item[method], item })),
  );

// Every {"$ref": …} anywhere in the document, with where it sits.
function refsIn(value, where = "#", out = []) {
  if (Array.isArray(value)) value.forEach((v, i) => refsIn(v, `${where}/${i}`, out));
  else if (value && typeof value === "object") {
    for (const [key, v] of Object.entries(value)) {
      if (key === "$ref" && typeof v === "string") out.push({ where, ref: v });
      else refsIn(v, `${where}/${key}`, out);
    }
  }
  return out;
}

describe("docs/openapi.json", () => {
  it("is an OpenAPI 3.1 document: openapi, info, paths, components, 2020-12 schemas", () => {
    assert.equal(openapi.openapi, "3.1.0");
    assert.equal(typeof openapi.info?.title, "string");
    assert.equal(typeof openapi.info?.version, "string");
    assert.equal(openapi.jsonSchemaDialect, "https://json-schema.org/draft/2020-12/schema");
    assert.ok(openapi.paths && typeof openapi.paths === "object");
    assert.ok(OPENAPI_TEXT.endsWith("\n"), "ends with a newline");
    for (const [name, value] of Object.entries(openapi.components ?? {})) {
      assert.ok(
        COMPONENT_FIELDS.includes(name),
        `components.${name} is no OpenAPI components field`,
      );
      for (const key of Object.keys(value)) assert.match(key, /^[a-zA-Z0-9._-]+$/, `components.${name}.${key}`);
    }
  });

  it("resolves every $ref, all of them inside the document", () => {
    const refs = refsIn(openapi);
    assert.ok(refs.length > 0);
    for (const { where, ref } of refs) {
      assert.ok(ref.startsWith("#/components/"), `${where}: ${ref} points outside components`);
      assert.notEqual(resolvePointer(openapi, ref), undefined, `${where}: ${ref} resolves to nothing`);
    }
  });

  it("has components.schemas that are valid, strict JSON Schema 2020-12", () => {
    for (const name of Object.keys(openapi.components.schemas)) componentValidator(name);
  });

  it("has an Error schema with SPEC.md's error codes and the scopes of docs/api.md", () => {
    assert.deepEqual(openapi.components.schemas.ErrorCode.enum, ERROR_CODES);
    assert.deepEqual(openapi.components.schemas.Error.required, ["error"]);
    assert.deepEqual([...openapi.components.schemas.Scope.enum].sort(), [...scopesOfApiMd()].sort());
    assert.equal(scopesOfApiMd().length, 14);
  });

  it("secures every route with bearerAuth but openapi.json itself", () => {
    assert.deepEqual(openapi.components.securitySchemes.bearerAuth, {
      ...openapi.components.securitySchemes.bearerAuth,
      type: "http",
      scheme: "bearer",
    });
    assert.deepEqual(openapi.security, [{ bearerAuth: [] }]);
    for (const { path, method, operation } of operations()) {
      if (path === "/api/v1/openapi.json") assert.deepEqual(operation.security, [], "openapi.json needs no token");
      else assert.equal(operation.security, undefined, `${method} ${path} uses the global security`);
    }
  });

  it("names exactly the routes of docs/api.md's table, with their scopes", () => {
    const table = routesOfApiMd();
    assert.equal(table.length, 40, "docs/api.md's route tables as read");
    const documented = operations().map(({ path, method }) => `${method.toUpperCase()} ${path}`);
    assert.deepEqual(
      [...documented].sort(),
      table.map((r) => `${r.method} ${r.path}`).sort(),
      "docs/openapi.json's operations are docs/api.md's routes, no more, no fewer",
    );
    for (const route of table) {
      const { operation } = findOperation(route.method, route.path);
      assert.equal(operation["x-scope"], route.scope, `${route.method} ${route.path}: x-scope`);
    }
  });

  it("gives every operation an id, its path parameters, and documented responses", () => {
    const ids = new Set();
    for (const { path, method, operation, item } of operations()) {
      const what = `${method.toUpperCase()} ${path}`;
      assert.equal(typeof operation.operationId, "string", `${what}: operationId`);
      assert.ok(!ids.has(operation.operationId), `${what}: operationId ${operation.operationId} is unique`);
      ids.add(operation.operationId);

      const parameters = [...(item.parameters ?? []), ...(operation.parameters ?? [])].map((p) => deref(p));
      const seen = new Set();
      for (const p of parameters) {
        assert.ok(["path", "query", "header", "cookie"].includes(p.in), `${what}: parameter ${p.name} in ${p.in}`);
        assert.ok(p.schema, `${what}: parameter ${p.name} has a schema`);
        assert.ok(!seen.has(`${p.in}:${p.name}`), `${what}: parameter ${p.name} once`);
        seen.add(`${p.in}:${p.name}`);
      }
      const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      const inPath = parameters.filter((p) => p.in === "path");
      assert.deepEqual(inPath.map((p) => p.name).sort(), templated, `${what}: path parameters`);
      for (const p of inPath) assert.equal(p.required, true, `${what}: path parameter ${p.name} is required`);

      if (operation.requestBody) {
        const body = deref(operation.requestBody);
        assert.ok(body.content?.["application/json"]?.schema, `${what}: a JSON request body`);
      }

      const responses = Object.entries(operation.responses ?? {});
      assert.ok(responses.length > 0, `${what}: has responses`);
      assert.ok(
        responses.some(([status]) => /^2\d\d$/.test(status)),
        `${what}: documents its success`,
      );
      for (const [status, declared] of responses) {
        assert.match(status, /^([1-5](\d\d|XX)|default)$/, `${what}: response ${status}`);
        const response = deref(declared);
        assert.equal(typeof response.description, "string", `${what} ${status}: description`);
        if (status === "204") assert.equal(response.content, undefined, `${what}: 204 has no body`);
        // The one text answer: Prometheus metrics.
        else if (path === "/api/v1/metrics" && status === "200") assert.ok(response.content?.["text/plain"]?.schema, what);
        else assert.ok(response.content?.["application/json"]?.schema, `${what} ${status}: a JSON body`);
        if (/^[45]/.test(status)) {
          const schema = response.content["application/json"].schema;
          assert.ok(
            JSON.stringify(schema).includes('"#/components/schemas/Error"'),
            `${what} ${status}: the Error schema`,
          );
        }
      }
    }
  });

  it("documents on each authenticated route the errors every such route can give", () => {
    for (const { path, method, operation } of operations()) {
      if (path === "/api/v1/openapi.json") continue;
      const what = `${method.toUpperCase()} ${path}`;
      const statuses = Object.keys(operation.responses);
      for (const status of ["401", "403", "429", "503"]) assert.ok(statuses.includes(status), `${what}: ${status}`);
      if (operation.requestBody) {
        for (const status of ["400", "422"]) assert.ok(statuses.includes(status), `${what}: ${status}`);
      }
      if (/\{/.test(path) && !(method === "put")) assert.ok(statuses.includes("404"), `${what}: 404`);
      const idempotent = (operation.parameters ?? []).some((p) => deref(p).name === "Idempotency-Key");
      // …or, for an outbound retry, when the command was delivered already.
      const conflicts = idempotent || operation.operationId === "retryOutbound";
      assert.equal(statuses.includes("409"), conflicts, `${what}: 409 exactly when it takes an Idempotency-Key`);
      const lists = (operation.parameters ?? []).some((p) => deref(p).name === "limit");
      if (lists) assert.ok(statuses.includes("422"), `${what}: 422 for a bad limit or cursor`);
      const retryAfter = deref(operation.responses["429"]).headers?.["Retry-After"];
      assert.equal(deref(retryAfter)?.required, true, `${what}: 429 carries Retry-After`);
      for (const [status, declared] of Object.entries(operation.responses)) {
        // The bootstrap secret is no token: it has no rate limit to report.
        if (!/^2/.test(status) || operation.operationId === "createToken") continue;
        for (const header of ["RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"]) {
          assert.equal(deref(deref(declared).headers?.[header])?.required, true, `${what} ${status}: ${header}`);
        }
      }
    }
  });
});

describe("validateAnswer", () => {
  const json = [["content-type", "application/json; charset=utf-8"]];
  const limits = [
    ["RateLimit-Limit", "600"],
    ["RateLimit-Remaining", "599"],
    ["RateLimit-Reset", "42"],
  ];
  const page = JSON.stringify({ data: [], has_more: false, next_cursor: null });

  it("accepts a documented answer and returns its body", () => {
    assert.deepEqual(validateAnswer("GET", "/api/v1/calls", 200, [...json, ...limits], page), JSON.parse(page));
    assert.equal(validateAnswer("DELETE", "/api/v1/registry/{phone}", 204, limits, ""), null);
    validateAnswer(
      "get",
      "/api/v1/calls",
      401,
      { "Content-Type": "application/json" },
      JSON.stringify({ error: { code: "unauthenticated", message: UNAUTHENTICATED_MESSAGE } }),
    );
  });

  it("names what fails: status, content type, header, body", () => {
    assert.throws(() => validateAnswer("GET", "/api/v1/nowhere", 200, json, page), /no path \/api\/v1\/nowhere/);
    assert.throws(() => validateAnswer("PATCH", "/api/v1/calls", 200, json, page), /no PATCH \/api\/v1\/calls/);
    assert.throws(() => validateAnswer("GET", "/api/v1/calls", 418, json, page), /status 418 is not documented/);
    assert.throws(
      () => validateAnswer("GET", "/api/v1/calls", 200, [["content-type", "text/plain"], ...limits], page),
      /content type "text\/plain"/,
    );
    assert.throws(() => validateAnswer("GET", "/api/v1/calls", 200, json, page), /required header RateLimit-Limit/);
    assert.throws(
      () => validateAnswer("GET", "/api/v1/calls", 200, [...json, ...limits.slice(1), ["ratelimit-limit", "many"]], page),
      /header RateLimit-Limit/,
    );
    assert.throws(
      () =>
        validateAnswer(
          "GET",
          "/api/v1/calls",
          200,
          [...json, ...limits],
          JSON.stringify({ data: [], has_more: true, next_cursor: null }),
        ),
      /CallList.*next_cursor/,
    );
    assert.throws(
      () =>
        validateAnswer(
          "GET",
          "/api/v1/calls",
          429,
          [...json, ...limits],
          JSON.stringify({ error: { code: "rate_limited", message: "slow down" } }),
        ),
      /required header Retry-After/,
    );
    assert.throws(
      () =>
        validateAnswer(
          "GET",
          "/api/v1/calls",
          403,
          json,
          JSON.stringify({ error: { code: "not_found", message: "no" } }),
        ),
      /\/error\/code must be equal to constant/,
    );
    assert.throws(() => validateAnswer("GET", "/api/v1/calls", 200, [...json, ...limits], "{"), /not JSON/);
    assert.throws(() => validateAnswer("DELETE", "/api/v1/registry/{phone}", 204, limits, "{}"), /without a body/);
  });
});

// --- the live part: every route on every target ---

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const ALL_SCOPES = scopesOfApiMd();
const BOOTSTRAP = process.env.FRONTDESK_BOOTSTRAP_TOKEN ?? `bootstrap-${randomBytes(24).toString("hex")}`;
const TELNYX_CONNECTION_ID = "fake-telnyx-connection-0001";
const MISSING_TOKEN_ID = "tok_0000000000000000";

// core/audit/chain.hpp's canonical form.
const entryHash = (e) =>
  createHash("sha256").update([e.prev_hash, String(e.seq), e.at, e.kind, e.subject, e.body].join("\n")).digest("hex");

const header = (answer, name) => answer.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];

for (const kind of TARGETS) {
  describe(`${kind}: the API answers as docs/openapi.json says`, () => {
    let fake;
    let t;
    before(async () => {
      fake = await startFakeProvider();
      const config = receptionConfig({ providerUrl: fake.url });
      config.providers.telnyx.connection_id = TELNYX_CONNECTION_ID;
      t = await startTarget(kind, { config, env: { ...receptionEnv(), FRONTDESK_BOOTSTRAP_TOKEN: BOOTSTRAP } });
    });
    after(async () => {
      await t?.close();
      await fake?.close();
    });

    // One request, its answer validated against the document whatever it is.
    // template: the OpenAPI path; params: its path parameters (encoded here unless raw);
    // token: a bearer token (none when absent); body: an object (sent as JSON) or a string
    // (sent as is) → {status, headers, text, json}.
    async function api(method, template, { params = {}, query = "", token, headers = {}, body, raw = false } = {}) {
      const path = template.replace(/\{([^}]+)\}/g, (_, name) => {
        assert.ok(name in params, `${template}: no value for {${name}}`);
        return raw ? params[name] : encodeURIComponent(params[name]);
      });
      const sent = { ...headers };
      if (token) sent.authorization = `Bearer ${token}`;
      let bytes;
      if (body !== undefined) {
        sent["content-type"] ??= "application/json";
        bytes = encoder.encode(typeof body === "string" ? body : JSON.stringify(body));
      }
      const response = await t.target.handle({ method, path, query, headers: sent, body: bytes });
      const text = decoder.decode(response.body);
      const json = validateAnswer(method, template, response.status, response.headers, text);
      return { status: response.status, headers: response.headers, text, json };
    }

    // api(), and the status must be `status` (the body shown when it is not).
    async function expect(status, method, template, options) {
      const answer = await api(method, template, options);
      assert.equal(
        answer.status,
        status,
        `${method} ${template}${options?.query ? `?${options.query}` : ""}: ${answer.text}`,
      );
      return answer;
    }
    const expectError = async (status, code, method, template, options, field) => {
      const answer = await expect(status, method, template, options);
      assert.equal(answer.json.error.code, code, answer.text);
      if (field) assert.match(answer.json.error.message, new RegExp(`^${field}\\b`), `message names ${field}`);
      return answer;
    };

    // The data every route below reads, made once: tokens, two calls, a text.
    let fixture = null;
    const ready = () => (fixture ??= setUp());
    async function setUp() {
      const minted = await expect(201, "POST", "/api/v1/tokens", {
        token: BOOTSTRAP,
        body: { tenant: "acme", name: "openapi", scopes: ALL_SCOPES },
      });
      const admin = minted.json;
      assert.match(admin.token, /^fd_[0-9A-Za-z]{40}$/);
      assert.equal(admin.tenant, "acme");
      assert.deepEqual([...admin.scopes].sort(), [...ALL_SCOPES].sort());
      const narrow = (
        await expect(201, "POST", "/api/v1/tokens", {
          token: admin.token,
          body: { name: "narrow", scopes: ["messages:read"], expires_in: 600 },
        })
      ).json;
      assert.deepEqual(narrow.scopes, ["messages:read"]);
      assert.equal(narrow.tenant, "acme");

      // Two calls from the registered caller (authenticated, answered) and one text.
      const calls = [];
      for (let i = 0; i < 2; i++) {
        const ccid = newCallControlId();
        const event = telnyxCallEvent({ type: "call.initiated", ccid, from: REGISTERED });
        const ack = await t.acknowledged(signedTelnyx(event.body));
        calls.push({ ccid, eventId: ack.event_id });
      }
      const sender = freshNumber();
      const text = openPhoneTextReceived({ from: sender, text: "Can you fix the leaking sink this week?" });
      const textAck = await t.acknowledged(signedOpenPhone(text.body));

      // The calls show in the API once their rows are written.
      const deadline = Date.now() + 10000;
      let listed;
      for (;;) {
        listed = await expect(200, "GET", "/api/v1/calls", { token: admin.token, query: "limit=200" });
        const ids = calls.map((c) => listed.json.data.find((row) => row.provider_call_id === c.ccid)?.id);
        if (ids.every(Boolean)) {
          ids.forEach((id, i) => (calls[i].id = id));
          break;
        }
        assert.ok(Date.now() < deadline, `the calls ${calls.map((c) => c.ccid)} never showed: ${listed.text}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return { admin, narrow, calls, text: { ...text, sender, eventId: textAck.event_id } };
    }

    it("serves docs/openapi.json at GET /api/v1/openapi.json, without a token", async () => {
      const answer = await expect(200, "GET", "/api/v1/openapi.json");
      assert.equal(header(answer, "content-type")?.split(";")[0].trim(), "application/json");
      assert.deepEqual(JSON.parse(answer.text), openapi, "the same document as docs/openapi.json");
      // A token changes nothing; a wrong one is not even looked at.
      const withToken = await expect(200, "GET", "/api/v1/openapi.json", { token: "fd_not-a-token" });
      assert.deepEqual(JSON.parse(withToken.text), openapi);
    });

    it("POST /api/v1/tokens: the bootstrap secret mints for a tenant, and may call nothing else", async () => {
      const { admin, narrow } = await ready();
      const second = await expect(201, "POST", "/api/v1/tokens", {
        token: BOOTSTRAP,
        body: { tenant: "acme", name: "second", scopes: ["calls:read"], rate_limit: 100 },
      });
      assert.equal(second.json.rate_limit, 100);
      assert.equal(second.json.revoked_at, null);
      assert.notEqual(second.json.token, admin.token);
      // A tenant token mints for its own tenant.
      const own = await expect(201, "POST", "/api/v1/tokens", {
        token: admin.token,
        body: { name: "own", scopes: ["events:read"] },
      });
      assert.equal(own.json.tenant, "acme");
      assert.equal(own.json.expires_at, null);

      const refused = await api("GET", "/api/v1/calls", { token: BOOTSTRAP });
      assert.ok([401, 403].includes(refused.status), `the bootstrap secret on GET /api/v1/calls: ${refused.text}`);
      await expectError(401, "unauthenticated", "POST", "/api/v1/tokens", { body: { scopes: ["calls:read"] } });
      await expectError(403, "forbidden", "POST", "/api/v1/tokens", {
        token: narrow.token,
        body: { name: "x", scopes: ["messages:read"] },
      });
      await expectError(400, "malformed_body", "POST", "/api/v1/tokens", { token: admin.token, body: "{not json" });
      await expectError(
        422,
        "invalid_field",
        "POST",
        "/api/v1/tokens",
        { token: admin.token, body: { name: "x", scopes: ["calls:read", "no:such"] } },
        "scopes",
      );
    });

    it("401s every way a token can be wrong, always with the same message", async () => {
      const { admin } = await ready();
      for (const headers of [
        {},
        { authorization: "Bearer" },
        { authorization: "Basic Zm9vOmJhcg==" },
        { authorization: `Bearer ${admin.token}x` },
        { authorization: `Bearer fd_${"A".repeat(40)}` },
      ]) {
        const answer = await expectError(401, "unauthenticated", "GET", "/api/v1/calls", { headers });
        assert.equal(answer.json.error.message, UNAUTHENTICATED_MESSAGE);
      }
    });

    it("GET /api/v1/calls: newest first, paged by cursor, filtered by status, from and since", async () => {
      const { admin, narrow, calls } = await ready();
      const all = await expect(200, "GET", "/api/v1/calls", { token: admin.token });
      const positions = calls.map((c) => all.json.data.findIndex((row) => row.id === c.id));
      assert.ok(positions[1] >= 0 && positions[1] < positions[0], "the later call comes first");
      const limit = header(all, "RateLimit-Limit");
      assert.equal(limit, "600", "the default rate limit");

      const first = await expect(200, "GET", "/api/v1/calls", { token: admin.token, query: "limit=1" });
      assert.equal(first.json.data.length, 1);
      assert.equal(first.json.has_more, true);
      const next = await expect(200, "GET", "/api/v1/calls", {
        token: admin.token,
        query: `limit=1&cursor=${encodeURIComponent(first.json.next_cursor)}`,
      });
      assert.equal(next.json.data.length, 1);
      assert.notEqual(next.json.data[0].id, first.json.data[0].id, "the next page moves on");

      const from = await expect(200, "GET", "/api/v1/calls", {
        token: admin.token,
        query: `from=${encodeURIComponent("1 (555) 555-0123")}`,
      });
      assert.ok(from.json.data.length >= 2);
      assert.ok(from.json.data.every((row) => row.from === REGISTERED), "from is normalized, then matched");
      const state = all.json.data.find((row) => row.id === calls[0].id).state;
      const byStatus = await expect(200, "GET", "/api/v1/calls", { token: admin.token, query: `status=${state}` });
      assert.ok(byStatus.json.data.length >= 1 && byStatus.json.data.every((row) => row.state === state));
      const future = new Date(Date.now() + 3600_000).toISOString();
      const since = await expect(200, "GET", "/api/v1/calls", {
        token: admin.token,
        query: `since=${encodeURIComponent(future)}`,
      });
      assert.deepEqual(since.json, { ...since.json, data: [], has_more: false, next_cursor: null });

      for (const [query, field] of [
        ["limit=0", "limit"],
        ["limit=201", "limit"],
        ["status=busy", "status"],
        ["since=yesterday", "since"],
        ["cursor=%25garbage", "cursor"],
      ]) {
        await expectError(422, "invalid_field", "GET", "/api/v1/calls", { token: admin.token, query }, field);
      }
      await expectError(403, "forbidden", "GET", "/api/v1/calls", { token: narrow.token });
    });

    it("GET /api/v1/calls/{id}: the call with its timeline and decision", async () => {
      const { admin, narrow, calls } = await ready();
      const { json: call } = await expect(200, "GET", "/api/v1/calls/{id}", {
        token: admin.token,
        params: { id: calls[0].id },
      });
      assert.equal(call.provider_call_id, calls[0].ccid);
      assert.equal(call.provider, "telnyx");
      assert.equal(call.from, REGISTERED);
      assert.equal(call.to, OUR_NUMBER);
      assert.ok(call.timeline.some((entry) => entry.type === "call.initiated"));
      assert.equal(call.decision.outcome, "authenticated");
      assert.equal(call.decision.namespace, "alice.x");
      assert.ok(call.decision.trust.factors.length > 0, "trust.factors");
      assert.equal(typeof call.identity_id, "string");

      await expectError(404, "not_found", "GET", "/api/v1/calls/{id}", {
        token: admin.token,
        params: { id: "call_00000000000000000000" },
      });
      await expectError(403, "forbidden", "GET", "/api/v1/calls/{id}", { token: narrow.token, params: { id: calls[0].id } });
    });

    it("GET /api/v1/identities/{id}: the caller behind a call", async () => {
      const { admin, narrow, calls } = await ready();
      const { json: call } = await expect(200, "GET", "/api/v1/calls/{id}", {
        token: admin.token,
        params: { id: calls[0].id },
      });
      const { json: identity } = await expect(200, "GET", "/api/v1/identities/{id}", {
        token: admin.token,
        params: { id: call.identity_id },
      });
      assert.equal(identity.id, call.identity_id);
      assert.equal(identity.phone, REGISTERED);
      assert.ok(identity.calls >= 2);
      await expectError(404, "not_found", "GET", "/api/v1/identities/{id}", {
        token: admin.token,
        params: { id: "idn_00000000000000000000" },
      });
      await expectError(403, "forbidden", "GET", "/api/v1/identities/{id}", {
        token: narrow.token,
        params: { id: call.identity_id },
      });
    });

    // POST /api/v1/calls and /api/v1/messages: queued, idempotent under a key.
    for (const [template, makeBody, field] of [
      ["/api/v1/calls", (to) => ({ to }), "to"],
      ["/api/v1/messages", (to) => ({ to, text: "Your plumber is on the way." }), "text"],
    ]) {
      it(`POST ${template}: 202 queued; Idempotency-Key answers the same again, 409 for another body`, async () => {
        const { admin, narrow } = await ready();
        const to = freshNumber();
        const spelled = `1 (${to.slice(2, 5)}) ${to.slice(5, 8)}-${to.slice(8)}`;
        const key = `openapi-${randomBytes(8).toString("hex")}`;
        const body = makeBody(spelled);
        const first = await expect(202, "POST", template, { token: admin.token, body, headers: { "idempotency-key": key } });
        assert.equal(first.json.status, "queued");
        assert.equal(first.json.to, to, "to is normalized");
        assert.equal(first.json.from, OUR_NUMBER, "from defaults to the tenant's first number");
        if (body.text) assert.equal(first.json.text, body.text);
        const again = await expect(202, "POST", template, { token: admin.token, body, headers: { "idempotency-key": key } });
        assert.deepEqual(again.json, first.json, "the same answer again");
        await expectError(409, "conflict", "POST", template, {
          token: admin.token,
          body: makeBody(freshNumber()),
          headers: { "idempotency-key": key },
        });
        const unkeyed = await expect(202, "POST", template, { token: admin.token, body: makeBody(freshNumber()) });
        assert.notEqual(unkeyed.json.id, first.json.id);

        await expectError(400, "malformed_body", "POST", template, { token: admin.token, body: "not json at all" });
        await expectError(422, "invalid_field", "POST", template, { token: admin.token, body: makeBody("not a phone") }, "to");
        if (field !== "to") {
          await expectError(422, "invalid_field", "POST", template, { token: admin.token, body: { to } }, field);
        }
        await expectError(403, "forbidden", "POST", template, { token: narrow.token, body: makeBody(to) });
        // Platform mode: an agent may, a viewer may not.
        const asRole = (role) => ({
          token: admin.token,
          body: makeBody(freshNumber()),
          headers: { "x-user-id": "u_1", "x-org-id": "o_1", "x-user-role": role },
        });
        await expect(202, "POST", template, asRole("agent"));
        await expectError(403, "forbidden", "POST", template, asRole("viewer"));
        await expectError(403, "forbidden", "POST", template, asRole("no-such-role"));
      });
    }

    it("GET /api/v1/messages: texts with their analysis, newest first", async () => {
      const { admin, narrow, text } = await ready();
      const deadline = Date.now() + 10000;
      let row;
      for (;;) {
        const page = await expect(200, "GET", "/api/v1/messages", { token: narrow.token, query: "limit=200" });
        row = page.json.data.find((m) => m.provider_message_id === text.messageId);
        if (row) break;
        assert.ok(Date.now() < deadline, `the text ${text.messageId} never showed: ${page.text}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.equal(row.from, text.sender);
      assert.equal(row.direction, "inbound");
      assert.equal(row.text, "Can you fix the leaking sink this week?");
      const first = await expect(200, "GET", "/api/v1/messages", { token: admin.token, query: "limit=1" });
      assert.equal(first.json.data.length, 1);
      await expectError(422, "invalid_field", "GET", "/api/v1/messages", { token: admin.token, query: "limit=0" }, "limit");
      const eventsOnly = (await expect(201, "POST", "/api/v1/tokens", {
        token: admin.token,
        body: { name: "events only", scopes: ["events:read"] },
      })).json;
      await expectError(403, "forbidden", "GET", "/api/v1/messages", { token: eventsOnly.token });
    });

    it("GET, PUT, DELETE /api/v1/registry/{phone}", async () => {
      const { admin, narrow } = await ready();
      const route = "/api/v1/registry/{phone}";
      for (const [phone, raw] of [
        [REGISTERED, false],
        [REGISTERED, true],
        ["15555550123", false],
      ]) {
        const { json } = await expect(200, "GET", route, { token: admin.token, params: { phone }, raw });
        assert.deepEqual(json, { ...json, phone: REGISTERED, namespace: "alice.x" });
      }
      const phone = freshNumber();
      await expectError(404, "not_found", "GET", route, { token: admin.token, params: { phone } });
      await expectError(422, "invalid_field", "GET", route, { token: admin.token, params: { phone: "not-a-phone" } }, "phone");

      const put = await expect(200, "PUT", route, { token: admin.token, params: { phone }, body: { namespace: "bob.x" } });
      assert.deepEqual(put.json, { ...put.json, phone, namespace: "bob.x" });
      await expect(200, "GET", route, { token: admin.token, params: { phone } });
      await expectError(400, "malformed_body", "PUT", route, { token: admin.token, params: { phone }, body: "[[[" });
      await expectError(422, "invalid_field", "PUT", route, { token: admin.token, params: { phone }, body: {} }, "namespace");
      await expectError(
        422,
        "invalid_field",
        "PUT",
        route,
        { token: admin.token, params: { phone: "12" }, body: { namespace: "x.y" } },
        "phone",
      );
      await expectError(403, "forbidden", "PUT", route, { token: narrow.token, params: { phone }, body: { namespace: "c.x" } });

      await expect(204, "DELETE", route, { token: admin.token, params: { phone } });
      await expectError(404, "not_found", "GET", route, { token: admin.token, params: { phone } });
      await expectError(422, "invalid_field", "DELETE", route, { token: admin.token, params: { phone: "nope" } }, "phone");
      await expectError(403, "forbidden", "DELETE", route, { token: narrow.token, params: { phone } });
      await expectError(401, "unauthenticated", "DELETE", route, { params: { phone } });
    });

    it("GET, PUT, DELETE /api/v1/lists/{allow|block}/{phone}", async () => {
      const { admin, narrow } = await ready();
      const route = "/api/v1/lists/{list}/{phone}";
      const { json: allowed } = await expect(200, "GET", route, {
        token: admin.token,
        params: { list: "allow", phone: ALLOWED },
      });
      assert.deepEqual(allowed, { ...allowed, list: "allow", phone: ALLOWED });
      const phone = freshNumber();
      await expectError(404, "not_found", "GET", route, { token: admin.token, params: { list: "block", phone } });
      await expectError(404, "not_found", "PUT", route, { token: admin.token, params: { list: "gray", phone } });
      await expectError(
        422,
        "invalid_field",
        "GET",
        route,
        { token: admin.token, params: { list: "allow", phone: "abc" } },
        "phone",
      );

      const put = await expect(200, "PUT", route, { token: admin.token, params: { list: "block", phone } });
      assert.deepEqual(put.json, { ...put.json, list: "block", phone });
      await expect(200, "GET", route, { token: admin.token, params: { list: "block", phone } });
      await expectError(
        422,
        "invalid_field",
        "PUT",
        route,
        { token: admin.token, params: { list: "block", phone: "+" } },
        "phone",
      );
      await expectError(403, "forbidden", "PUT", route, { token: narrow.token, params: { list: "allow", phone } });

      await expect(204, "DELETE", route, { token: admin.token, params: { list: "block", phone } });
      await expectError(404, "not_found", "GET", route, { token: admin.token, params: { list: "block", phone } });
      await expectError(
        422,
        "invalid_field",
        "DELETE",
        route,
        { token: admin.token, params: { list: "block", phone: "x" } },
        "phone",
      );
      await expectError(403, "forbidden", "GET", route, { token: narrow.token, params: { list: "allow", phone: ALLOWED } });
    });

    it("GET /api/v1/events: verified events, newest first, by source", async () => {
      const { admin, narrow, calls, text } = await ready();
      const all = await expect(200, "GET", "/api/v1/events", { token: admin.token, query: "limit=200" });
      const ids = all.json.data.map((e) => e.event_id);
      for (const id of [calls[0].eventId, calls[1].eventId, text.eventId]) assert.ok(ids.includes(id), id);
      assert.ok(ids.indexOf(calls[1].eventId) < ids.indexOf(calls[0].eventId), "newest first");
      const telnyx = all.json.data.find((e) => e.event_id === calls[0].eventId);
      assert.equal(telnyx.type, "call.initiated");
      assert.equal(telnyx.kind, "call");
      assert.equal(telnyx.tenant, "acme");
      const openphone = await expect(200, "GET", "/api/v1/events", { token: admin.token, query: "source=openphone" });
      assert.ok(openphone.json.data.length >= 1 && openphone.json.data.every((e) => e.source === "openphone"));
      await expectError(422, "invalid_field", "GET", "/api/v1/events", { token: admin.token, query: "limit=1000" }, "limit");
      await expectError(403, "forbidden", "GET", "/api/v1/events", { token: narrow.token });
    });

    it("GET /api/v1/outbound: what went out to providers, newest first, by status", async () => {
      const { admin, narrow } = await ready();
      const all = await expect(200, "GET", "/api/v1/outbound", { token: admin.token, query: "limit=200" });
      assert.ok(all.json.data.length >= 1, "the calls' commands are queued");
      assert.ok(all.json.data.every((c) => c.id === c.command_id && c.url.startsWith("http")));
      const seqOrder = all.json.data.map((c) => c.created_at);
      assert.deepEqual([...seqOrder].sort().reverse(), seqOrder, "newest first");
      for (const status of ["pending", "delivered", "dead"]) {
        const page = await expect(200, "GET", "/api/v1/outbound", { token: admin.token, query: `status=${status}` });
        assert.ok(page.json.data.every((c) => c.status === status), status);
      }
      await expectError(422, "invalid_field", "GET", "/api/v1/outbound", { token: admin.token, query: "status=lost" }, "status");
      await expectError(403, "forbidden", "GET", "/api/v1/outbound", { token: narrow.token });
    });

    it("GET /api/v1/audit and /api/v1/audit/verify: the chain, oldest first, and its verdict", async () => {
      const { admin, narrow } = await ready();
      const page = await expect(200, "GET", "/api/v1/audit", { token: admin.token, query: "limit=200" });
      const entries = page.json.data;
      assert.ok(entries.length >= 2, "the decisions are entries");
      entries.forEach((entry, i) => {
        assert.equal(entry.seq, entries[0].seq + i, "oldest first, no gaps");
        assert.equal(entry.hash, entryHash(entry), `entry ${entry.seq}: body is the exact hashed text`);
        if (i > 0) assert.equal(entry.prev_hash, entries[i - 1].hash);
      });
      const first = await expect(200, "GET", "/api/v1/audit", { token: admin.token, query: "limit=1" });
      assert.equal(first.json.data[0].seq, 1);
      const second = await expect(200, "GET", "/api/v1/audit", {
        token: admin.token,
        query: `limit=1&cursor=${encodeURIComponent(first.json.next_cursor)}`,
      });
      assert.equal(second.json.data[0].seq, 2);
      await expectError(422, "invalid_field", "GET", "/api/v1/audit", { token: admin.token, query: "limit=-1" }, "limit");
      await expectError(403, "forbidden", "GET", "/api/v1/audit", { token: narrow.token });

      const verdict = await expect(200, "GET", "/api/v1/audit/verify", { token: admin.token });
      assert.equal(verdict.json.ok, true, verdict.text);
      assert.ok(verdict.json.entries >= entries.length);
      await expectError(403, "forbidden", "GET", "/api/v1/audit/verify", { token: narrow.token });
      await expectError(401, "unauthenticated", "GET", "/api/v1/audit/verify", {});
    });

    it("GET /api/v1/tokens and /api/v1/tokens/{id}: never the plaintext or the hash", async () => {
      const { admin, narrow } = await ready();
      const page = await expect(200, "GET", "/api/v1/tokens", { token: admin.token, query: "limit=200" });
      const ids = page.json.data.map((row) => row.id);
      assert.ok(ids.includes(admin.id) && ids.includes(narrow.id));
      for (const row of page.json.data) {
        for (const secret of ["token", "hash", "token_hash", "sha256"]) assert.equal(row[secret], undefined, `${row.id}.${secret}`);
        assert.ok(!JSON.stringify(row).includes(admin.token), "no plaintext anywhere");
      }
      await expectError(422, "invalid_field", "GET", "/api/v1/tokens", { token: admin.token, query: "limit=0" }, "limit");
      await expectError(403, "forbidden", "GET", "/api/v1/tokens", { token: narrow.token });

      await expect(200, "GET", "/api/v1/messages", { token: narrow.token, query: "limit=1" });
      const one = await expect(200, "GET", "/api/v1/tokens/{id}", { token: admin.token, params: { id: narrow.id } });
      const { token: _plaintext, last_used_at: _unused, ...asCreated } = narrow;
      assert.deepEqual({ ...one.json, last_used_at: undefined }, { ...one.json, ...asCreated, last_used_at: undefined });
      assert.equal(one.json.token, undefined);
      assert.notEqual(one.json.last_used_at, null, "the narrow token has been used");
      await expectError(404, "not_found", "GET", "/api/v1/tokens/{id}", { token: admin.token, params: { id: MISSING_TOKEN_ID } });
      await expectError(403, "forbidden", "GET", "/api/v1/tokens/{id}", { token: narrow.token, params: { id: narrow.id } });
    });

    it("DELETE /api/v1/tokens/{id}: revoked, and refused from the very next request", async () => {
      const { admin, narrow } = await ready();
      const doomed = (
        await expect(201, "POST", "/api/v1/tokens", { token: admin.token, body: { name: "doomed", scopes: ["calls:read"] } })
      ).json;
      await expect(200, "GET", "/api/v1/calls", { token: doomed.token, query: "limit=1" });
      await expectError(403, "forbidden", "DELETE", "/api/v1/tokens/{id}", { token: narrow.token, params: { id: doomed.id } });
      const revoked = await expect(200, "DELETE", "/api/v1/tokens/{id}", { token: admin.token, params: { id: doomed.id } });
      assert.equal(revoked.json.id, doomed.id);
      assert.notEqual(revoked.json.revoked_at, null);
      const refused = await expectError(401, "unauthenticated", "GET", "/api/v1/calls", { token: doomed.token });
      assert.equal(refused.json.error.message, UNAUTHENTICATED_MESSAGE);
      const later = await expect(200, "GET", "/api/v1/tokens/{id}", { token: admin.token, params: { id: doomed.id } });
      assert.equal(later.json.revoked_at, revoked.json.revoked_at);
      await expectError(404, "not_found", "DELETE", "/api/v1/tokens/{id}", {
        token: admin.token,
        params: { id: MISSING_TOKEN_ID },
      });
    });

    it("POST /api/v1/tokens/delegate: a subset of the caller's scopes, never outliving it", async () => {
      const { admin, narrow } = await ready();
      const child = await expect(201, "POST", "/api/v1/tokens/delegate", {
        token: admin.token,
        body: { name: "child", scopes: ["calls:read", "events:read"], expires_in: 3600 },
      });
      assert.deepEqual([...child.json.scopes].sort(), ["calls:read", "events:read"]);
      assert.notEqual(child.json.expires_at, null);
      await expect(200, "GET", "/api/v1/events", { token: child.json.token, query: "limit=1" });

      // From the narrow token (expires in 600 s): a day asked for, at most its own expiry given.
      const grandchild = await expect(201, "POST", "/api/v1/tokens/delegate", {
        token: narrow.token,
        body: { name: "grandchild", scopes: ["messages:read"], expires_in: 86400 },
      });
      assert.ok(Date.parse(grandchild.json.expires_at) <= Date.parse(narrow.expires_at), "never outlives the caller");
      await expectError(403, "forbidden", "POST", "/api/v1/tokens/delegate", {
        token: narrow.token,
        body: { name: "greedy", scopes: ["messages:read", "calls:read"] },
      });
      await expectError(403, "forbidden", "POST", "/api/v1/tokens/delegate", {
        token: narrow.token,
        body: { name: "admin?", scopes: ["tokens:admin"] },
      });
      await expectError(400, "malformed_body", "POST", "/api/v1/tokens/delegate", { token: admin.token, body: "nope" });
      await expectError(
        422,
        "invalid_field",
        "POST",
        "/api/v1/tokens/delegate",
        { token: admin.token, body: { name: "x", scopes: 5 } },
        "scopes",
      );
      await expectError(401, "unauthenticated", "POST", "/api/v1/tokens/delegate", { body: { scopes: ["calls:read"] } });
    });

    it("429s a token over its rate limit, with Retry-After and RateLimit-* headers", async () => {
      const { admin } = await ready();
      const limited = (
        await expect(201, "POST", "/api/v1/tokens", {
          token: admin.token,
          body: { name: "limited", scopes: ["calls:read"], rate_limit: 2 },
        })
      ).json;
      assert.equal(limited.rate_limit, 2);
      // Two per fixed minute: within five requests (two windows at most) one is refused.
      let refused = null;
      for (let i = 0; i < 5 && !refused; i++) {
        const answer = await api("GET", "/api/v1/calls", { token: limited.token, query: "limit=1" });
        if (answer.status === 429) refused = answer;
        else {
          assert.equal(answer.status, 200, answer.text);
          assert.equal(header(answer, "RateLimit-Limit"), "2");
          assert.ok(Number(header(answer, "RateLimit-Remaining")) <= 1);
          assert.ok(Number(header(answer, "RateLimit-Reset")) <= 60);
        }
      }
      assert.ok(refused, "a third request in the minute is refused");
      assert.equal(refused.json.error.code, "rate_limited");
      const retryAfter = Number(header(refused, "Retry-After"));
      assert.ok(retryAfter >= 0 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    });
  });
}
