#pragma once
// The reception pipeline for one verified, normalized event (docs/reception.md):
// calls go identify → screen → decide → act → record through the tenant's ledger and the
// call's own object; texts are recorded, analysed and maybe answered by the ledger.
#include <optional>
#include <string>

#include "../app.hpp"
#include "../event.hpp"
#include "../fx.hpp"
#include "../task.hpp"

namespace frontdesk::reception {

struct Received {
  std::string event_id;
  bool duplicate = false;
  // Twilio's answer when the decision or an auto-reply is carried by it; nullopt means
  // the plain acknowledgement.
  std::optional<std::string> twiml;
};

// Any failure is an error: the caller answers 503 so the provider retries, and every step
// is idempotent, so the retry finishes the work without doubling any of it.
Task<Result<Received>> receive(const App& app, const SourceConfig& source, const Event& event, Fx& fx);

}  // namespace frontdesk::reception
