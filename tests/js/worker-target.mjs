// The Worker (the Emscripten build) as a test target: worker-shim/ in workerd through
// Miniflare, with the bindings wrangler.toml declares: KV, the FrontdeskObject class on
// SQLite storage, FRONTDESK_CONFIG and FRONTDESK_FAULTS.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Log, LogLevel, Miniflare } from "miniflare";

const root = fileURLToPath(new URL("../../", import.meta.url));
const at = (path) => fileURLToPath(new URL(path, new URL("../../", import.meta.url)));

// One source of truth for the compatibility date: wrangler.toml.
export function compatibilityDate() {
  const match = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(readFileSync(at("wrangler.toml"), "utf8"));
  if (!match) throw new Error("wrangler.toml has no compatibility_date");
  return match[1];
}

// The Worker imports worker-shim/generated/, which scripts/build-worker.sh fills from
// the Emscripten build: missing or older than that build is an error, not a skip.
export function checkWorkerBuild() {
  for (const file of ["frontdesk.mjs", "frontdesk.wasm"]) {
    const generated = at(`worker-shim/generated/${file}`);
    if (!existsSync(generated)) {
      throw new Error(`worker-shim/generated/${file} is missing: run scripts/build-worker.sh`);
    }
    const built = at(`build/emscripten/wasm/${file}`);
    if (existsSync(built) && !readFileSync(built).equals(readFileSync(generated))) {
      throw new Error(`worker-shim/generated/${file} differs from build/emscripten: run scripts/build-worker.sh`);
    }
  }
}

// workerd's own output, kept for a failing test to show rather than printed.
function captureStdio(sink) {
  return (stdout, stderr) => {
    for (const stream of [stdout, stderr]) stream.on("data", (chunk) => sink.push(String(chunk)));
  };
}

// options: {config (object or raw text), env: {NAME: value}, faults: ["storage", …],
// persistDir (Durable Objects and KV kept on disk under it, in do/ and kv/, so a target
// started again on the same directory finds them; default: in memory, gone on close)}.
// → {name, url, mf, output, dispatch(url, init) → Response, handle(request), close()}.
export async function createWorkerTarget(options = {}) {
  checkWorkerBuild();
  const { config = {}, env = {}, faults = [], persistDir } = options;
  const output = [];
  const mf = new Miniflare({
    rootPath: root,
    modules: true,
    scriptPath: at("worker-shim/worker.js"),
    modulesRules: [
      { type: "ESModule", include: ["**/*.js", "**/*.mjs"] },
      { type: "CompiledWasm", include: ["**/*.wasm"] },
    ],
    compatibilityDate: compatibilityDate(),
    kvNamespaces: ["KV"],
    durableObjects: { OBJECTS: { className: "FrontdeskObject", useSQLite: true } },
    bindings: {
      ...env,
      FRONTDESK_CONFIG: typeof config === "string" ? config : JSON.stringify(config),
      FRONTDESK_FAULTS: faults.join(","),
    },
    log: new Log(LogLevel.ERROR),
    handleRuntimeStdio: captureStdio(output),
    ...(persistDir ? { durableObjectsPersist: join(persistDir, "do"), kvPersist: join(persistDir, "kv") } : {}),
  });
  const ready = await mf.ready;
  const dispatch = (url, init) => mf.dispatchFetch(url, init);
  return {
    name: "emscripten",
    // Where workerd listens, for clients that need a real socket (WebSockets).
    url: ready.href.replace(/\/$/, ""),
    mf,
    output,
    dispatch,
    async handle({ method = "GET", path = "/", query = "", headers, body }) {
      const url = `http://frontdesk.test${path}${query ? `?${query}` : ""}`;
      const hasBody = body && body.length > 0;
      const response = await dispatch(url, { method, headers: headers ?? {}, body: hasBody ? body : undefined });
      const bytes = new Uint8Array(await response.arrayBuffer());
      return { status: response.status, headers: [...response.headers], body: bytes };
    },
    close: () => mf.dispose(),
  };
}
