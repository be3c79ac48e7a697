// Base64 for step buffers: workerd has no Buffer (without nodejs_compat), so both hosts
// use atob/btoa, which exist in workerd and Node alike.

const CHUNK = 0x8000; // String.fromCharCode's argument list must stay small

export function encodeBase64(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}

export function decodeBase64(text) {
  const binary = atob(text ?? "");
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
