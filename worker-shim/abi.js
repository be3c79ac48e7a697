// The C ABI of docs/wire.md from JavaScript: one JSON buffer in, one out, per step.
// Shared by the Worker (Emscripten exports) and the Node hosts (WASI exports), so every
// JS host crosses the boundary the same way.

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// The ABI exports of an instantiated Emscripten module (its "_fd_*" functions and HEAPU8).
export function emscriptenAbi(module) {
  return {
    alloc: module._fd_alloc,
    free: module._fd_free,
    runtimeNew: module._fd_runtime_new,
    runtimeFree: module._fd_runtime_free,
    step: module._fd_step,
    heap: () => module.HEAPU8,
  };
}

// exports: {alloc, free, runtimeNew, runtimeFree, step, heap: () => Uint8Array}.
// heap is a function because memory growth replaces the ArrayBuffer behind any view.
export function openRuntime(exports, init) {
  const { alloc, free, heap } = exports;

  // Copies text into a fresh module buffer, calls use(pointer, length), frees it.
  function withInput(text, use) {
    const bytes = encoder.encode(text);
    const pointer = alloc(bytes.length);
    if (!pointer) throw new Error("fd_alloc failed");
    try {
      heap().set(bytes, pointer);
      return use(pointer, bytes.length);
    } finally {
      free(pointer);
    }
  }

  function readOutput(pointer) {
    if (!pointer) throw new Error("fd_step returned no buffer");
    try {
      const memory = heap();
      const length = new DataView(memory.buffer, memory.byteOffset).getUint32(pointer, true);
      return decoder.decode(memory.subarray(pointer + 4, pointer + 4 + length));
    } finally {
      free(pointer);
    }
  }

  const handle = withInput(JSON.stringify(init), (pointer, length) => exports.runtimeNew(pointer, length));
  let closed = false;

  return {
    // input: a step input object (docs/wire.md "Step inputs") → its step output object.
    step(input) {
      if (closed) throw new Error("runtime closed");
      const text = withInput(JSON.stringify(input), (pointer, length) =>
        readOutput(exports.step(handle, pointer, length)),
      );
      return JSON.parse(text);
    },
    close() {
      if (closed) return;
      closed = true;
      exports.runtimeFree(handle);
    },
  };
}
