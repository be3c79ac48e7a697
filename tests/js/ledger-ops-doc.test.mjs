// docs/reception.md's table of ledger operations names exactly the operations the ledger
// answers (core/objects/ledger/ledger.cpp's table), so neither can drift from the other.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

const read = (path) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");

function documentedOps() {
  const doc = read("docs/reception.md");
  const section = doc.slice(doc.indexOf("## Ledger operations"));
  assert.ok(section.length > 0, "docs/reception.md has its Ledger operations section");
  const ops = [];
  for (const line of section.split("\n")) {
    const cells = /^\| (`[a-z_]+`(?: \/ `[a-z_]+`)*) \|/.exec(line);
    if (cells) ops.push(...[...cells[1].matchAll(/`([a-z_]+)`/g)].map((m) => m[1]));
  }
  return ops;
}

// Operations read by hand ({"name", &ledger::name}) and typed ones
// ({protocol::Type::name, &typed<protocol::Type, …>}, named in core/objects/ledger/protocol.hpp).
function dispatchedOps() {
  const source = read("core/objects/ledger/ledger.cpp");
  const types = read("core/objects/ledger/protocol.hpp");
  const typedName = (type) => {
    const found = new RegExp(`struct ${type} \\{\\s*static constexpr std::string_view name = "([a-z_]+)";`).exec(types);
    assert.ok(found, `core/objects/ledger/protocol.hpp names the operation ${type}`);
    return found[1];
  };
  return [
    ...[...source.matchAll(/\{"([a-z_]+)", &ledger::[a-z_]+\}/g)].map((m) => m[1]),
    ...[...source.matchAll(/\{protocol::([A-Za-z]+)::name, &typed<protocol::\1,/g)].map((m) => typedName(m[1])),
  ];
}

test("docs/reception.md documents every ledger operation, and only those", () => {
  const documented = documentedOps();
  const dispatched = dispatchedOps();
  assert.ok(dispatched.length >= 20, `read ${dispatched.length} operations from ledger.cpp`);
  assert.equal(new Set(documented).size, documented.length, "each operation documented once");
  assert.deepEqual([...documented].sort(), [...dispatched].sort());
});
