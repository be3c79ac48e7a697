// The Emscripten build of the core, one instance and one Runtime per isolate, created on
// the first request: Workers forbid entropy and timers at the top level, and the glue
// needs both while it starts.
import createFrontdeskModule from "./generated/frontdesk.mjs";
import wasm from "./generated/frontdesk.wasm"; // a CompiledWasm module (wrangler.toml rules)
import { emscriptenAbi, openRuntime } from "./abi.js";

let loading = null; // Promise<runtime>, shared by the requests that arrive while it loads

async function instantiate() {
  // instantiateWasm's failures do not reach the glue's promise: race them against it.
  let fail;
  const failed = new Promise((_, reject) => (fail = reject));
  const module = createFrontdeskModule({
    // Without locateFile the glue evaluates new URL("frontdesk.wasm", import.meta.url),
    // which throws in workerd; the module is already compiled anyway.
    locateFile: (path) => path,
    instantiateWasm(imports, receive) {
      WebAssembly.instantiate(wasm, imports).then((instance) => receive(instance, wasm), fail);
      return {}; // exports arrive asynchronously through receive
    },
  });
  return Promise.race([module, failed]);
}

// The init document of docs/wire.md from the Worker's env: the configuration from
// FRONTDESK_CONFIG, and every string var and secret for env:NAME references.
export function runtimeInit(env) {
  const raw = env.FRONTDESK_CONFIG;
  let config = {};
  if (typeof raw === "string") {
    try {
      config = JSON.parse(raw);
    } catch {
      config = raw; // handed over as text: the core reports it, on every request, as 500
    }
  } else if (raw && typeof raw === "object") {
    config = raw; // a [vars] table rather than a JSON string
  }
  const strings = {};
  for (const [name, value] of Object.entries(env)) {
    if (typeof value === "string") strings[name] = value;
  }
  return { config, env: strings };
}

async function load(env) {
  const module = await instantiate();
  const runtime = openRuntime(emscriptenAbi(module), runtimeInit(env));
  return {
    step(input) {
      try {
        return runtime.step(input);
      } catch (error) {
        // A trap leaves the module's memory in an unknown state: start afresh next time.
        if (error instanceof WebAssembly.RuntimeError) loading = null;
        throw error;
      }
    },
  };
}

// → {step(input) → output}
export function getCore(env) {
  if (!loading) {
    loading = load(env);
    loading.catch(() => (loading = null)); // a failed start is retried by the next request
  }
  return loading;
}
