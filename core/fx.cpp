#include "fx.hpp"

#include <algorithm>

namespace frontdesk {

std::vector<RequestedEffect> EffectQueue::take_fresh() {
  std::vector<RequestedEffect> taken;
  taken.swap(fresh_);
  in_flight_.insert(in_flight_.end(), taken.begin(), taken.end());
  return taken;
}

coro::coroutine_handle<> EffectQueue::settle(std::uint32_t id, Result<EffectOutput> outcome) {
  const auto it = std::find_if(in_flight_.begin(), in_flight_.end(), [&](const auto& e) { return e.id == id; });
  if (it == in_flight_.end()) return nullptr;
  PendingSlot* slot = it->slot;
  in_flight_.erase(it);
  slot->outcome.emplace(std::move(outcome));
  return slot->waiter;
}

}  // namespace frontdesk

namespace frontdesk {

std::string_view effect_name(const Effect& effect) {
  constexpr std::string_view names[] = {"kv.get",         "kv.put",      "kv.delete",    "kv.list",  "object.call",
                                        "storage.get",    "storage.put", "storage.delete", "storage.list", "sql.exec",
                                        "alarm.set",      "fetch",       "now",          "random",   "log",
                                        "live.publish"};
  static_assert(std::size(names) == std::variant_size_v<Effect>);
  return names[effect.index()];
}

}  // namespace frontdesk
