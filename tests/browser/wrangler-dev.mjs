// The Worker as a user runs it locally: `wrangler dev` (workerd, offline; KV and Durable
// Objects under a temporary --persist-to), serving the console from build/console as
// static assets, with the configuration and secrets as --var bindings.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// When wrangler's watcher of [build].watch_dir has scanned, wrangler runs the build once
// more ("The file core,wasm,console changed, restarting build...") and, when the server was
// already up, reloads the Worker; its asset watcher may reload it once more. A POST in
// flight across a reload is answered 503 ("Your worker restarted mid-request"), so the
// Worker is ready for tests only once that build is done, every reload is complete, and
// nothing has been printed for SETTLE_MS.
const SETTLE_MS = 3000;
const count = (text, what) => text.split(what).length - 1;

function settled(text) {
  const rebuilt = text.lastIndexOf("restarting build...");
  return (
    /Ready on http/.test(text) &&
    rebuilt >= 0 &&
    text.slice(rebuilt).includes("build-console: ") &&
    count(text, "Reloading local server...") === count(text, "Local server updated and ready")
  );
}

// → {url, stderr, close()}
export async function startWranglerDev({ config, env }) {
  const dir = await mkdtemp(join(tmpdir(), "frontdesk-wrangler-"));
  const port = await freePort();
  const vars = Object.entries({ ...env, FRONTDESK_CONFIG: JSON.stringify(config) }).flatMap(([name, value]) => [
    "--var",
    `${name}:${value}`,
  ]);
  const child = spawn(
    join(ROOT, "node_modules/.bin/wrangler"),
    ["dev", "--port", String(port), "--ip", "127.0.0.1", "--local", "--show-interactive-dev-session=false",
      "--persist-to", dir, ...vars],
    { cwd: ROOT, env: { ...process.env, WRANGLER_SEND_METRICS: "false" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  const output = [];
  const exited = new Promise((resolve) => child.on("exit", resolve));
  const url = `http://127.0.0.1:${port}`;
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`wrangler dev was not ready in 120 s:\n${output.join("")}`)), 120_000);
    let quiet;
    const take = (chunk) => {
      output.push(String(chunk));
      clearTimeout(quiet);
      if (settled(output.join(""))) {
        quiet = setTimeout(() => {
          clearTimeout(timer);
          resolve();
        }, SETTLE_MS);
      }
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`wrangler dev exited (${code}):\n${output.join("")}`));
    });
  });
  return {
    url,
    stderr: output,
    async close() {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
