// The Cloudflare Worker: every request is one `request` session of the core, its effects
// performed on the Worker's bindings (edge-backend.js).
import { getCore } from "./core.js";
import { edgeBackend } from "./edge-backend.js";
import { drive } from "./effects.js";
import { internalErrorResponse, toResponse, toStepRequest } from "./http.js";
import { forwardLive, isLiveUpgrade } from "./live.js";

export { FrontdeskObject } from "./object.js";

export default {
  async fetch(request, env) {
    try {
      if (isLiveUpgrade(request)) return await forwardLive(request, env);
      const core = await getCore(env);
      const input = { op: "request", request: await toStepRequest(request) };
      const output = await drive(core.step, input, edgeBackend(env));
      if (!output.response) throw new Error("the session ended without a response");
      return toResponse(output.response, request.method);
    } catch (error) {
      // The details go to the log, never to the client.
      console.error(`frontdesk: request failed: ${error?.stack ?? error}`);
      return internalErrorResponse();
    }
  },
};
