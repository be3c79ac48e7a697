// bench/native-live.sh's probe: while wrk loads the server, GET /health every 20 ms on a
// connection of its own and time each answer; a third of the way in run `frontdesk token
// create`, two thirds in `frontdesk events` (through the server's admin socket), timing
// each. Writes one JSON object to OUT.
//   node bench/native-live-probe.mjs URL DB SECONDS OUT
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { promisify } from "node:util";

const run = promisify(execFile);
const [url, db, seconds, out] = process.argv.slice(2);
const binary = process.env.FRONTDESK_BENCH_BINARY || "build/native-release/native-harness/frontdesk";
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

function health() {
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const outgoing = request(`${url}/health`, { agent }, (response) => {
      response.resume();
      response.on("end", () => resolve({ status: response.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
    });
    outgoing.on("error", () => resolve({ status: 0, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
    outgoing.end();
  });
}

async function timed(args) {
  const started = process.hrtime.bigint();
  try {
    const { stdout } = await run(binary, args, { maxBuffer: 1 << 28 });
    return { ok: true, ms: Number(process.hrtime.bigint() - started) / 1e6, lines: stdout.trim().split("\n").length };
  } catch (error) {
    return { ok: false, ms: Number(process.hrtime.bigint() - started) / 1e6, error: String(error.stderr ?? error) };
  }
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];

const end = Date.now() + Number(seconds) * 1000;
const samples = [];
const commands = {};
const third = (Number(seconds) * 1000) / 3;
const token = new Promise((resolve) => setTimeout(resolve, third)).then(() =>
  timed(["token", "create", "--db", db, "--tenant", "default", "--scopes", "calls:read"]),
);
const events = new Promise((resolve) => setTimeout(resolve, 2 * third)).then(() =>
  timed(["events", "--db", db, "--limit", "5000"]),
);
while (Date.now() < end) {
  samples.push(await health());
  await new Promise((resolve) => setTimeout(resolve, 20));
}
commands.token_create = await token;
commands.events = await events;
const latencies = samples.map((s) => s.ms).sort((a, b) => a - b);
const result = {
  health: {
    count: samples.length,
    non200: samples.filter((s) => s.status !== 200).length,
    p50_ms: percentile(latencies, 0.5),
    p99_ms: percentile(latencies, 0.99),
    max_ms: latencies[latencies.length - 1],
  },
  commands,
};
writeFileSync(out, `${JSON.stringify(result)}\n`);
agent.destroy();
