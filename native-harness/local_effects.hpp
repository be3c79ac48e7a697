#pragma once
// The effects the host performs inline on its own thread: KV and object storage in
// SQLite, the clock, randomness and logging. (Object calls and fetch are asynchronous and
// live in Host.)
#include "clock.hpp"
#include "core/effects.hpp"
#include "core/result.hpp"
#include "object_database.hpp"
#include "output.hpp"
#include "sqlite_store.hpp"

namespace frontdesk::native {

struct LocalEffects {
  Store& store;
  ObjectDatabase* object;  // the object the session runs in; null for a request session
  const Clock& clock;
  const LogSink& log;
};

// Precondition: effect is neither ObjectCall nor FetchRequest, and is not faulted.
Result<EffectOutput> perform_local(const LocalEffects& context, const Effect& effect);

}  // namespace frontdesk::native
