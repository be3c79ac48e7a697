// The public API (/api/v1), JSON over fetch with the session's Bearer token.

const TOKEN_KEY = "frontdesk.console.token";

/** @returns {string|null} the token of this tab's session (sessionStorage only). */
export const getToken = () => sessionStorage.getItem(TOKEN_KEY);
/** @param {string} token */
export const setToken = (token) => sessionStorage.setItem(TOKEN_KEY, token);
export const clearToken = () => sessionStorage.removeItem(TOKEN_KEY);

/** An API answer that is not 2xx (or no answer at all: status 0). */
export class ApiError extends Error {
  /** @param {number} status @param {string} code @param {string} message */
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
  /** What to show: "forbidden (HTTP 403): …". */
  get display() {
    return this.status ? `${this.code} (HTTP ${this.status}): ${this.message}` : this.message;
  }
}

// Why the user was sent to sign in (a refused token): shown there once.
let signInReason = /** @type {string|null} */ (null);
/** @param {string|null} reason */
export const setSignInReason = (reason) => {
  signInReason = reason;
};
export const takeSignInReason = () => {
  const reason = signInReason;
  signInReason = null;
  return reason;
};

/** @type {((error: ApiError) => void) | null} */
let unauthenticated = null;
/** Called on any 401 to a request made with the session's token. */
export const onUnauthenticated = (handler) => {
  unauthenticated = handler;
};

/** A path segment: phones become %2B…, ids are kept safe. */
export const seg = (value) => encodeURIComponent(String(value));

/**
 * @param {string} path e.g. "/api/v1/calls"
 * @param {{method?: string, body?: unknown, query?: Record<string, string|number|undefined|null>,
 *          token?: string|null, signal?: AbortSignal}} [options]
 * @returns {Promise<any>} the parsed JSON (null for 204)
 */
export async function api(path, { method = "GET", body, query, token, signal } = {}) {
  const sessionToken = token === undefined;
  const bearer = sessionToken ? getToken() : token;
  let url = path;
  if (query) {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined && value !== null && value !== "") params.set(name, String(value));
    }
    const text = params.toString();
    if (text) url += `?${text}`;
  }
  /** @type {Record<string, string>} */
  const headers = { accept: "application/json" };
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  let response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
      cache: "no-store",
      credentials: "omit",
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(0, "network", `The server could not be reached (${error instanceof Error ? error.message : error}).`);
  }
  if (response.status === 204) return null;
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!response.ok) {
    const detail = json && typeof json === "object" && json.error ? json.error : null;
    const error = new ApiError(
      response.status,
      detail?.code ?? `http_${response.status}`,
      detail?.message ?? (text.slice(0, 200) || response.statusText || "request failed"),
    );
    if (response.status === 401 && sessionToken && bearer) unauthenticated?.(error);
    throw error;
  }
  return json;
}

/** An error of any kind as one line to show. */
export const describeError = (error) =>
  error instanceof ApiError ? error.display : error instanceof Error ? error.message : String(error);
