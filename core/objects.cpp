// The object kinds: every keyed object of Frontdesk, in one place.
#include <array>

#include "dispatch.hpp"
#include "objects/health_probe.hpp"
#include "objects/ledger/ledger.hpp"

namespace frontdesk {
namespace {

constexpr std::array<ObjectKind, 2> object_kinds{{
    {objects::health_probe_kind, &objects::health_probe_call, nullptr},
    {objects::ledger_kind, &objects::ledger_call, &objects::ledger_alarm},
}};

const ObjectKind* find_kind(std::string_view name) {
  for (const auto& kind : object_kinds) {
    if (kind.name == name) return &kind;
  }
  return nullptr;
}

}  // namespace

Task<ObjectReply> handle_object_call(const App& app, const ObjectInvocation& call, Fx& fx) {
  const auto* kind = find_kind(call.kind);
  if (!kind) co_return make_error(ErrorCode::not_found, "no object kind " + call.kind);
  ObjectContext context{app, call.kind, call.id, fx, call.fresh, call.listening};
  co_return co_await kind->on_call(context, call.message);
}

Task<ObjectReply> handle_object_alarm(const App& app, const ObjectAlarm& alarm, Fx& fx) {
  const auto* kind = find_kind(alarm.kind);
  if (!kind || !kind->on_alarm) co_return std::string{};
  ObjectContext context{app, alarm.kind, alarm.id, fx, alarm.fresh};
  co_return co_await kind->on_alarm(context);
}

}  // namespace frontdesk
