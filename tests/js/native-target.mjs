// The native server as a test target: `frontdesk serve` on 127.0.0.1:0 with a temporary
// database, spoken to over plain HTTP (node:http sends the path exactly as given).
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const NATIVE_BINARY =
  process.env.FRONTDESK_NATIVE_BIN ??
  fileURLToPath(new URL("../../build/native/native-harness/frontdesk", import.meta.url));

const START_TIMEOUT_MS = 20000; // a sanitizer build starts slowly
const STOP_TIMEOUT_MS = 10000;

// Resolves to the server's URL; what it prints after that goes to log, line by line.
function waitForListening(child, stderr, log) {
  return new Promise((resolve, reject) => {
    let seen = "";
    let settled = false;
    const timer = setTimeout(() => fail(new Error("no 'Frontdesk listening on' line in time")), START_TIMEOUT_MS);
    const fail = (error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`${error.message}\n${stderr.join("")}`));
    };
    let partial = "";
    const keep = (text) => {
      const parts = (partial + text).split("\n");
      partial = parts.pop();
      for (const line of parts) if (line) log.push(line);
    };
    child.stdout.on("data", (chunk) => {
      if (settled) return keep(String(chunk)); // the request log, one JSON line per request
      seen += chunk;
      const match = /Frontdesk listening on (http:\/\/\S+)\n?/.exec(seen);
      if (match && !settled) {
        settled = true;
        clearTimeout(timer);
        keep(seen.slice(match.index + match[0].length));
        resolve(match[1]);
      }
    });
    child.on("error", fail);
    child.on("exit", (code, signal) => fail(new Error(`the server exited first (${signal ?? code})`)));
  });
}

function send(base, { method = "GET", path = "/", query = "", headers, body }) {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method,
        path: `${path}${query ? `?${query}` : ""}`,
        headers: headers ?? {},
        agent: false,
      },
      (response) => {
        const chunks = [];
        response.on("data", (chunk) => chunks.push(chunk));
        response.on("end", () => {
          const pairs = [];
          for (let i = 0; i < response.rawHeaders.length; i += 2) {
            pairs.push([response.rawHeaders[i].toLowerCase(), response.rawHeaders[i + 1]]);
          }
          resolve({ status: response.statusCode, headers: pairs, body: new Uint8Array(Buffer.concat(chunks)) });
        });
        response.on("error", reject);
      },
    );
    outgoing.on("error", reject);
    outgoing.end(body && body.length > 0 ? body : undefined);
  });
}

// options: {config (object), configPath (instead of config), env, faults, serveArgs (more
// `frontdesk serve` arguments), openFilesLimit (run under that limit), db (a database
// path of the caller's, kept after close: for restarting on the same data; default a
// temporary one)}.
// → {name, url, db, stderr, log (the request log's lines so far), pid, handle(request), close(), kill()}; close() rejects unless the server
// exits 0 on SIGTERM; kill() is kill -9 (the database is kept when it is the caller's).
export async function createNativeTarget(options = {}) {
  if (!existsSync(NATIVE_BINARY)) {
    throw new Error(`${NATIVE_BINARY} is missing: cmake --preset native && cmake --build --preset native`);
  }
  const dir = await mkdtemp(join(tmpdir(), "frontdesk-native-"));
  let configPath = options.configPath;
  if (!configPath) {
    configPath = join(dir, "config.json");
    await writeFile(configPath, JSON.stringify(options.config ?? {}));
  }
  const db = options.db ?? join(dir, "frontdesk.db");
  const args = ["serve", "--config", configPath, "--db", db, "--listen", "127.0.0.1:0"];
  for (const fault of options.faults ?? []) args.push("--fault", fault);
  args.push(...(options.serveArgs ?? []));
  // openFilesLimit: the server runs under that open-files limit (soft and hard), as with
  // `ulimit -n` in a service's unit.
  const [command, commandArgs] = options.openFilesLimit
    ? ["prlimit", [`--nofile=${options.openFilesLimit}:${options.openFilesLimit}`, NATIVE_BINARY, ...args]]
    : [NATIVE_BINARY, args];
  const child = spawn(command, commandArgs, {
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stderr = [];
  const log = [];
  child.stderr.on("data", (chunk) => stderr.push(String(chunk)));
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  let url;
  try {
    url = await waitForListening(child, stderr, log);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    name: "native",
    url,
    db,
    stderr,
    log,
    pid: child.pid,
    handle: (request) => send(url, request),
    async kill() {
      child.kill("SIGKILL");
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
    async close() {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
      const { code, signal } = await exited;
      clearTimeout(timer);
      await rm(dir, { recursive: true, force: true });
      if (code !== 0) throw new Error(`the server did not exit cleanly on SIGTERM (${signal ?? code})\n${stderr.join("")}`);
    },
  };
}
