#pragma once
// Entry points of the core: the HTTP routes and the object kinds.
#include <string_view>

#include "app.hpp"
#include "fx.hpp"
#include "http.hpp"
#include "router.hpp"
#include "session.hpp"
#include "task.hpp"

namespace frontdesk {

struct RequestContext {
  const App& app;
  const Request& request;
  RouteParams params;
  Fx& fx;
};

struct ObjectContext {
  const App& app;
  std::string_view kind;
  std::string_view id;
  Fx& fx;
  bool fresh = true;  // the host's first call into this instance (ObjectInvocation::fresh)
};

using RouteHandler = Task<Response> (*)(RequestContext&);
using ObjectHandler = Task<ObjectReply> (*)(ObjectContext&, std::string_view message);
using AlarmHandler = Task<ObjectReply> (*)(ObjectContext&);

struct ObjectKind {
  std::string_view name;
  ObjectHandler on_call;
  AlarmHandler on_alarm;  // null when the kind sets no alarms
};

Task<Response> handle_request(const App& app, const Request& request, Fx& fx);
Task<ObjectReply> handle_object_call(const App& app, const ObjectInvocation& call, Fx& fx);
Task<ObjectReply> handle_object_alarm(const App& app, const ObjectAlarm& alarm, Fx& fx);

}  // namespace frontdesk
