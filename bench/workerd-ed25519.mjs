// What an Ed25519 verify costs through workerd's own WebCrypto (crypto.subtle, "Ed25519"):
// the measure issue 9 asks for before the host's crypto may become an effect in place of
// libsodium in Wasm. A Worker verifies a Telnyx-sized message (a 1.5 KiB body after
// "<timestamp>|") n times per request; workerd's CPU (utime + stime from /proc) over 10,000
// verifies, less the same requests verifying nothing, gives µs per verify. libsodium in the
// Worker's Wasm module is measured by bench/wasm-bench.mjs (telnyx_raw_ed25519_us less
// openphone_raw_hmac_us in build/bench/wasm.json: the same request, HMAC in place of Ed25519).
//   node bench/workerd-ed25519.mjs
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { Log, LogLevel, Miniflare } from "miniflare";

import { compatibilityDate } from "../tests/js/worker-target.mjs";

const VERIFIES = 10_000;
const REQUESTS = 50;
const TICK_MS = 1000 / Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());

const script = `
let fixture;
export default {
  async fetch(request) {
    if (!fixture) {
      const pair = await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"]);
      const message = new TextEncoder().encode("1700000000|" + "x".repeat(1536));
      const signature = await crypto.subtle.sign("Ed25519", pair.privateKey, message);
      fixture = { key: pair.publicKey, message, signature };
    }
    const n = Number(new URL(request.url).searchParams.get("n"));
    let valid = 0;
    for (let i = 0; i < n; i++) {
      if (await crypto.subtle.verify("Ed25519", fixture.key, fixture.signature, fixture.message)) valid++;
    }
    return new Response(String(valid));
  },
};`;

// The workerd this process started (its child), all threads.
function workerdCpuMs() {
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[1]) !== process.pid) continue;
      if (!readFileSync(`/proc/${entry}/cmdline`, "utf8").includes("workerd")) continue;
      total += (Number(fields[11]) + Number(fields[12])) * TICK_MS;
    } catch {
      // the process ended while being looked at
    }
  }
  return total;
}

const mf = new Miniflare({ modules: true, script, compatibilityDate: compatibilityDate(), log: new Log(LogLevel.ERROR) });
try {
  await mf.ready;
  const run = async (perRequest) => {
    const before = workerdCpuMs();
    for (let i = 0; i < REQUESTS; i++) {
      const answer = await (await mf.dispatchFetch(`http://bench/?n=${perRequest}`)).text();
      if (answer !== String(perRequest)) throw new Error(`a verify failed: ${answer} of ${perRequest}`);
    }
    return workerdCpuMs() - before;
  };
  await run(20); // warm-up
  const empty = await run(0);
  const verifying = await run(VERIFIES / REQUESTS);
  const perVerify = ((verifying - empty) * 1000) / VERIFIES;
  console.log(`Ed25519 verify through workerd's WebCrypto: ${perVerify.toFixed(1)} µs of workerd CPU each ` +
    `(${VERIFIES} verifies of a 1.5 KiB message; ±${((TICK_MS * 2000) / VERIFIES).toFixed(1)} µs from the clock tick)`);
} finally {
  await mf.dispose();
}
