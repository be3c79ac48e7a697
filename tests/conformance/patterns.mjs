// Values in an answer that differ by run or by target, each named by a JSON pointer:
//   "target_specific": ["/target"]                       the target's own name
//   "expect": {"body_patterns": {"/event_id": "^evt_…$"}}  must match the pattern
//   "same_as": {"/event_id": "<earlier case>"}            must equal what that case got on this target
// Each is checked, then left out of the body comparison and masked for the agreement
// between targets (the rest must still agree byte for byte).
import assert from "node:assert/strict";

// JSON pointer (RFC 6901) → [parent, key] in value.
export function locate(value, pointer) {
  const tokens = pointer
    .split("/")
    .slice(1)
    .map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
  let parent = value;
  for (const token of tokens.slice(0, -1)) parent = parent?.[token];
  return [parent, tokens[tokens.length - 1]];
}

export const valueAt = (value, pointer) => {
  const [parent, key] = locate(value, pointer);
  return parent?.[key];
};

export function runSpecificPointers(c) {
  return [
    ...new Set([
      ...(c.target_specific ?? []),
      ...Object.keys(c.expect?.body_patterns ?? {}),
      ...Object.keys(c.same_as ?? {}),
    ]),
  ];
}

// Checks each run-specific value of a parsed body, then deletes it from the body.
// earlier(name) → the parsed body that case answered on this target (or undefined).
export function checkRunSpecific(c, target, body, earlier) {
  for (const pointer of c.target_specific ?? []) {
    assert.equal(valueAt(body, pointer), target, `${pointer} names the target`);
  }
  for (const [pointer, pattern] of Object.entries(c.expect?.body_patterns ?? {})) {
    const value = valueAt(body, pointer);
    assert.equal(typeof value, "string", `${pointer} is a string`);
    assert.match(value, new RegExp(pattern), `${pointer}`);
  }
  for (const [pointer, name] of Object.entries(c.same_as ?? {})) {
    const first = earlier(name);
    assert.ok(first !== undefined, `no answer from '${name}' on ${target} to compare ${pointer} with`);
    assert.equal(valueAt(body, pointer), valueAt(first, pointer), `${pointer} is the same as in '${name}'`);
  }
  for (const pointer of runSpecificPointers(c)) {
    const [parent, key] = locate(body, pointer);
    if (parent && typeof parent === "object") delete parent[key];
  }
  return body;
}

// The raw body (one char per byte) with each run-specific value masked where it appears,
// so the rest can be compared byte for byte between targets.
export function maskedBody(c, bytes) {
  let text = Buffer.from(bytes).toString("latin1");
  const pointers = runSpecificPointers(c);
  if (pointers.length === 0) return text;
  let body;
  try {
    body = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return text; // not JSON: nothing to mask, the answers must agree as they are
  }
  for (const pointer of pointers) {
    const value = valueAt(body, pointer);
    if (value === undefined) continue;
    const raw = Buffer.from(JSON.stringify(value), "utf8").toString("latin1");
    text = text.split(raw).join(`\u0000${pointer}\u0000`);
  }
  return text;
}
