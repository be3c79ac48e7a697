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
  bool listening = false;  // live sockets are open on this object (ObjectInvocation::listening)
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

// The route pattern a request matches ("/api/v1/calls/{id}", "/webhooks/{source}"), or
// "other": a label of bounded cardinality for a host's request metrics.
std::string_view route_pattern(std::string_view method, std::string_view path);
Task<ObjectReply> handle_object_call(const App& app, const ObjectInvocation& call, Fx& fx);
Task<ObjectReply> handle_object_alarm(const App& app, const ObjectAlarm& alarm, Fx& fx);

}  // namespace frontdesk
