// Checks a real answer of the API against docs/openapi.json: the status is documented for
// the operation, the content type is the documented one, the documented required headers are
// there (and hold what their schema says), and the JSON body validates against the
// response's schema (JSON Schema 2020-12, $refs resolved into components).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

export const OPENAPI_PATH = new URL("../../docs/openapi.json", import.meta.url);
export const openapi = JSON.parse(readFileSync(OPENAPI_PATH, "utf8"));

export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

// The schemas' home inside Ajv: "#/components/schemas/X" becomes COMPONENTS#/$defs/X.
const COMPONENTS = "urn:frontdesk:openapi:components";
const rewriteRefs = (value) =>
  JSON.parse(JSON.stringify(value).replaceAll('"#/components/schemas/', `"${COMPONENTS}#/$defs/`));

// strict: every keyword must be one JSON Schema 2020-12 knows (the document declares plain
// 2020-12 as its jsonSchemaDialect); union types are used for nullable fields.
export function newAjv() {
  const ajv = new Ajv2020({ strict: true, strictTypes: true, strictRequired: false, allowUnionTypes: true, allErrors: true });
  addFormats(ajv);
  return ajv;
}

const ajv = newAjv();
ajv.addSchema({ $id: COMPONENTS, $defs: rewriteRefs(openapi.components?.schemas ?? {}) });
const validators = new Map();

function validatorFor(where, schema) {
  let validate = validators.get(where);
  if (!validate) {
    validate = ajv.compile(rewriteRefs(schema));
    validators.set(where, validate);
  }
  return validate;
}

// A local reference ("#/components/…") → the object it names (undefined when it names none).
export function resolvePointer(document, ref) {
  if (typeof ref !== "string" || !ref.startsWith("#")) return undefined;
  let node = document;
  for (const raw of ref.slice(1).split("/").slice(1)) {
    const key = decodeURIComponent(raw).replaceAll("~1", "/").replaceAll("~0", "~");
    if (node === null || typeof node !== "object" || !(key in node)) return undefined;
    node = node[key];
  }
  return node;
}

// Follows an OpenAPI object's $ref (a response, parameter or header) to the object itself.
export function deref(value, document = openapi) {
  const seen = new Set();
  while (value && typeof value === "object" && typeof value.$ref === "string") {
    if (seen.has(value.$ref)) throw new Error(`$ref cycle at ${value.$ref}`);
    seen.add(value.$ref);
    const target = resolvePointer(document, value.$ref);
    if (target === undefined) throw new Error(`$ref ${value.$ref} resolves to nothing`);
    value = target;
  }
  return value;
}

// Headers as pairs ([[name, value]…]), a plain object, a Map or a fetch Headers → Map of
// lowercased name → value (repeated names joined with ", ").
function headerMap(headers) {
  const map = new Map();
  const add = (name, value) => {
    const key = String(name).toLowerCase();
    map.set(key, map.has(key) ? `${map.get(key)}, ${value}` : String(value));
  };
  if (!headers) return map;
  if (Array.isArray(headers)) {
    for (const [name, value] of headers) add(name, value);
  } else if (typeof headers.entries === "function") {
    for (const [name, value] of headers.entries()) add(name, value);
  } else {
    for (const [name, value] of Object.entries(headers)) {
      for (const one of Array.isArray(value) ? value : [value]) add(name, one);
    }
  }
  return map;
}

const mediaType = (contentType) => (contentType ?? "").split(";")[0].trim().toLowerCase();

const describeErrors = (errors) =>
  (errors ?? [])
    .slice(0, 8)
    .map((e) => `${e.instancePath || "(root)"} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ""}`)
    .join("; ");

const excerpt = (text) => (text.length > 600 ? `${text.slice(0, 600)}…` : text);

// A header's text as its schema's type wants it (headers are strings on the wire).
function headerValue(text, schema) {
  const types = [schema?.type].flat();
  if ((types.includes("integer") || types.includes("number")) && /^-?\d+(\.\d+)?$/.test(text.trim())) {
    return Number(text.trim());
  }
  return text;
}

// The operation object for method + path template, or an assertion error.
export function findOperation(method, pathTemplate) {
  const pathItem = openapi.paths?.[pathTemplate];
  assert.ok(pathItem, `docs/openapi.json has no path ${pathTemplate}`);
  const operation = pathItem[method.toLowerCase()];
  assert.ok(operation, `docs/openapi.json has no ${method.toUpperCase()} ${pathTemplate}`);
  return { pathItem, operation };
}

// The documented response for a status: the exact code, else "4XX"-style, else default.
export function findResponse(operation, status) {
  const responses = operation.responses ?? {};
  const found = responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default;
  return found ? deref(found) : undefined;
}

// Throws an AssertionError naming what failed; returns the parsed body (null when none).
export function validateAnswer(method, pathTemplate, status, headers, bodyText) {
  const what = `${method.toUpperCase()} ${pathTemplate} → ${status}`;
  const { operation } = findOperation(method, pathTemplate);
  const response = findResponse(operation, status);
  const text =
    typeof bodyText === "string" ? bodyText : bodyText == null ? "" : new TextDecoder().decode(bodyText);
  assert.ok(
    response,
    `${what}: status ${status} is not documented (documented: ${Object.keys(operation.responses ?? {}).join(", ")}); body: ${excerpt(text)}`,
  );

  const received = headerMap(headers);
  for (const [name, declared] of Object.entries(response.headers ?? {})) {
    if (name.toLowerCase() === "content-type") continue; // OpenAPI ignores it here
    const header = deref(declared);
    const value = received.get(name.toLowerCase());
    if (value === undefined) {
      assert.ok(!header.required, `${what}: the required header ${name} is missing`);
      continue;
    }
    if (header.schema) {
      const validate = validatorFor(`${what} header ${name}`, header.schema);
      assert.ok(
        validate(headerValue(value, header.schema)),
        `${what}: header ${name}: ${JSON.stringify(value)} does not match its schema: ${describeErrors(validate.errors)}`,
      );
    }
  }

  const content = response.content ?? {};
  const mediaTypes = Object.keys(content);
  if (mediaTypes.length === 0) {
    assert.equal(text, "", `${what}: documented without a body, but one came: ${excerpt(text)}`);
    return null;
  }
  const contentType = mediaType(received.get("content-type"));
  assert.ok(
    mediaTypes.some((type) => mediaType(type) === contentType),
    `${what}: content type ${JSON.stringify(received.get("content-type") ?? "")} is not the documented ${mediaTypes.join(" or ")}`,
  );
  const media = content[mediaTypes.find((type) => mediaType(type) === contentType)];
  if (!contentType.endsWith("json")) return text;

  let body;
  try {
    body = JSON.parse(text);
  } catch (error) {
    assert.fail(`${what}: the body is not JSON (${error.message}): ${excerpt(text)}`);
  }
  if (media.schema) {
    const validate = validatorFor(`${what} body ${contentType}`, media.schema);
    const target = media.schema.$ref ?? "the response schema";
    assert.ok(
      validate(body),
      `${what}: the body does not match ${target}: ${describeErrors(validate.errors)}; body: ${excerpt(text)}`,
    );
  }
  return body;
}

// The compiled validator of one of components.schemas (compiling it checks it is a valid,
// strict 2020-12 schema whose $refs resolve).
export function componentValidator(name) {
  const validate = ajv.getSchema(`${COMPONENTS}#/$defs/${name}`);
  assert.ok(validate, `components.schemas.${name} did not compile`);
  return validate;
}
