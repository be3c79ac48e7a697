// worker-shim/effects.js: the answers docs/wire.md prescribes for every kind of outcome,
// and the step loop; shared by the Worker, its objects and the WASI driver.
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { drive, driveSync, EffectError, NEEDS_AWAIT, parseFaults, performEffects } from "../../worker-shim/effects.js";
import { splitTarget } from "../../worker-shim/http.js";
import { prefixEnd } from "../../worker-shim/object-storage.js";

describe("performEffects", () => {
  it("fails each fault class with its code, and nothing else", async () => {
    const ok = async () => "fine";
    const backend = {
      faults: parseFaults("kv, storage,sql,objects,fetch"),
      "kv.get": ok,
      "storage.get": ok,
      "sql.exec": ok,
      "object.call": ok,
      fetch: ok,
      now: () => 5,
    };
    const results = await performEffects(
      [
        { id: 1, op: "kv.get" },
        { id: 2, op: "storage.get" },
        { id: 3, op: "sql.exec" },
        { id: 4, op: "object.call" },
        { id: 5, op: "fetch" },
        { id: 6, op: "now" },
      ],
      backend,
    );
    assert.deepEqual(results, [
      { id: 1, ok: false, error: { code: "storage_unavailable", message: "injected fault: kv" } },
      { id: 2, ok: false, error: { code: "storage_unavailable", message: "injected fault: storage" } },
      { id: 3, ok: false, error: { code: "storage_unavailable", message: "injected fault: sql" } },
      { id: 4, ok: false, error: { code: "storage_unavailable", message: "injected fault: objects" } },
      { id: 5, ok: false, error: { code: "internal", message: "injected fault: fetch" } },
      { id: 6, ok: true, value: 5 },
    ]);
  });

  it("maps thrown errors: storage classes → storage_unavailable, others → internal, EffectError as given", async () => {
    const boom = () => {
      throw new Error("boom");
    };
    const backend = {
      faults: new Set(),
      "kv.put": boom,
      fetch: boom,
      random: boom,
      "object.call": () => {
        throw new EffectError("not_found", "no such thing");
      },
      "kv.delete": () => undefined,
    };
    const results = await performEffects(
      [
        { id: 1, op: "kv.put" },
        { id: 2, op: "fetch" },
        { id: 3, op: "random" },
        { id: 4, op: "object.call" },
        { id: 5, op: "kv.delete" },
      ],
      backend,
    );
    assert.deepEqual(results, [
      { id: 1, ok: false, error: { code: "storage_unavailable", message: "kv.put: boom" } },
      { id: 2, ok: false, error: { code: "internal", message: "fetch: boom" } },
      { id: 3, ok: false, error: { code: "internal", message: "random: boom" } },
      { id: 4, ok: false, error: { code: "not_found", message: "no such thing" } },
      { id: 5, ok: true, value: null },
    ]);
  });

  it("answers object-only effects outside an object internal", async () => {
    const results = await performEffects(
      ["storage.put", "sql.exec", "alarm.set"].map((op, i) => ({ id: i + 1, op })),
      { faults: new Set() },
    );
    for (const result of results) assert.equal(result.error.code, "internal");
    assert.equal(results[0].error.message, "storage.put outside an object");
  });

  it("performs the effects of a step concurrently", async () => {
    let running = 0;
    let most = 0;
    const slow = async () => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      return null;
    };
    await performEffects([1, 2, 3].map((id) => ({ id, op: "kv.get" })), { faults: new Set(), "kv.get": slow });
    assert.equal(most, 3);
  });

  it("refuses an unknown fault class", () => {
    assert.throws(() => parseFaults("kv,disk"), /unknown fault class 'disk'/);
  });
});

describe("drive", () => {
  // A scripted core: asks for `now` twice, then answers with what it was given.
  function scriptedCore() {
    const inputs = [];
    const step = (input) => {
      inputs.push(input);
      if (input.op === "request") return { session: 3, effects: [{ id: 1, op: "now" }] };
      if (input.op === "abort") return { session: 3, done: true };
      if (inputs.length === 2) return { session: 3, effects: [{ id: 2, op: "now" }] };
      return { session: 3, done: true, reply: JSON.stringify(inputs.slice(1).map((i) => i.results)) };
    };
    return { step, inputs };
  }

  it("loops step → effects → resume until done", async () => {
    const core = scriptedCore();
    const output = await drive(core.step, { op: "request" }, { faults: new Set(), now: () => 42 });
    assert.deepEqual(JSON.parse(output.reply), [[{ id: 1, ok: true, value: 42 }], [{ id: 2, ok: true, value: 42 }]]);
    assert.deepEqual(
      core.inputs.map((i) => i.op),
      ["request", "resume", "resume"],
    );
  });

  it("aborts the session when the host fails, then rethrows", async () => {
    const core = scriptedCore();
    let calls = 0;
    const step = (input) => {
      if (input.op === "resume" && calls++ === 0) throw new Error("runtime broke");
      return core.step(input);
    };
    await assert.rejects(drive(step, { op: "request" }, { faults: new Set(), now: () => 1 }), /runtime broke/);
    assert.deepEqual(core.inputs.at(-1), { op: "abort", session: 3 });
  });

  it("throws on a refused step input", async () => {
    const step = () => ({ error: { code: "malformed_body", message: "nope" } });
    await assert.rejects(drive(step, {}, { faults: new Set() }), /malformed_body: nope/);
  });
});

describe("driveSync", () => {
  // Asks for sql.exec, then for `ask` (an op), then answers.
  function twoStepCore(ask) {
    const inputs = [];
    const step = (input) => {
      inputs.push(input);
      if (input.op === "object.call") return { session: 5, effects: [{ id: 1, op: "sql.exec", sql: "SELECT 1" }] };
      if (input.op === "abort") return { session: 5, done: true };
      if (inputs.length === 2) return { session: 5, effects: [{ id: 2, op: ask }] };
      return { session: 5, done: true, reply: JSON.stringify(inputs.slice(1).map((i) => i.results)) };
    };
    return { step, inputs };
  }
  const backend = (faults) => ({
    faults,
    sync: new Set(["sql.exec", "now"]),
    "sql.exec": () => ({ columns: ["1"], rows: [[1]] }),
    now: () => 7,
    "kv.get": async () => "value",
  });

  it("runs a call whose effects are all synchronous to its end without awaiting", () => {
    const core = twoStepCore("now");
    const output = driveSync(core.step, { op: "object.call" }, backend(parseFaults([])));
    assert.deepEqual(JSON.parse(output.reply), [
      [{ id: 1, ok: true, value: { columns: ["1"], rows: [[1]] } }],
      [{ id: 2, ok: true, value: 7 }],
    ]);
  });

  it("aborts the session at the first effect that needs awaiting, and puts the sql#N count back", () => {
    const core = twoStepCore("kv.get");
    const faults = parseFaults(["sql#3"]);
    const output = driveSync(core.step, { op: "object.call" }, backend(faults));
    assert.equal(output, NEEDS_AWAIT);
    assert.deepEqual(core.inputs.at(-1), { op: "abort", session: 5 });
    assert.equal(faults.sqlSeen, 0); // the statement run before is run again with drive
  });

  it("drive resumes synchronous effects at once and awaits the others", async () => {
    const core = twoStepCore("kv.get");
    const output = await drive(core.step, { op: "object.call" }, backend(parseFaults([])));
    assert.deepEqual(JSON.parse(output.reply)[1], [{ id: 2, ok: true, value: "value" }]);
  });
});

describe("helpers", () => {
  it("splitTarget keeps the path and query as received", () => {
    assert.deepEqual(splitTarget("https://h.example:8443/a%2Fb/../c?x=1&y=%20#frag"), {
      path: "/a%2Fb/../c",
      query: "x=1&y=%20",
    });
    assert.deepEqual(splitTarget("http://h"), { path: "/", query: "" });
    assert.deepEqual(splitTarget("http://h/p?"), { path: "/p", query: "" });
  });

  it("prefixEnd is the successor of every string with the prefix", () => {
    assert.equal(prefixEnd(""), null);
    assert.equal(prefixEnd("ab"), "ac");
    assert.equal(prefixEnd("a\uD7FF"), "a\uE000");
    assert.equal(prefixEnd("a\u{10FFFF}"), "b");
    assert.equal(prefixEnd("\u{10FFFF}"), null);
  });
});
