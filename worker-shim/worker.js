// The Cloudflare Worker: every request is one `request` session of the core, its effects
// performed on the Worker's bindings (edge-backend.js).
import { getCore } from "./core.js";
import { callObject, edgeBackend } from "./edge-backend.js";
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

  // The Cron Trigger (wrangler.toml [triggers]): retention. Every configured tenant's ledger,
  // and the default one, lets go of what `retention` no longer keeps, a batch per call
  // (core/objects/ledger/retention.cpp), as the native server's hourly timer does.
  async scheduled(controller, env) {
    const tenants = Object.keys(JSON.parse(env.FRONTDESK_CONFIG || "{}").tenants ?? {});
    for (const tenant of new Set([...tenants, "default"])) {
      for (let round = 0; round < MAX_PRUNE_ROUNDS; round++) {
        const reply = JSON.parse(await callObject(env, "ledger", tenant, JSON.stringify({ op: "prune" }), []));
        if (!reply.more) break;
      }
    }
  },
};

// Batches of up to 500 of each kind per tenant per run; what is left goes next hour.
const MAX_PRUNE_ROUNDS = 20;
