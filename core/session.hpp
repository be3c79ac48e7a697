#pragma once
// A Session is one unit of work the host drives step by step: an HTTP request, or a call
// into an object. The host takes the effects a step asks for, performs them (concurrently
// if it likes), feeds every result back, and repeats until the session is done.
#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "app.hpp"
#include "effects.hpp"
#include "fx.hpp"
#include "http.hpp"
#include "result.hpp"
#include "task.hpp"

namespace frontdesk {

// `fresh`: the host's first call into this instance of the object (after a start, a
// restart, or a call that failed), so the object sets up its storage once per instance
// instead of on every call. A host that cannot tell says true.
// `listening`: the host holds live sockets open on this object (the console's WebSocket), so
// the object publishes the events its call produces (LivePublish).
struct ObjectInvocation {
  std::string kind;
  std::string id;
  std::string message;
  bool fresh = true;
  bool listening = false;
};

struct ObjectAlarm {
  std::string kind;
  std::string id;
  bool fresh = true;
};

using SessionInput = std::variant<Request, ObjectInvocation, ObjectAlarm>;

struct PendingEffect {
  std::uint32_t id = 0;
  Effect effect;
};

struct EffectResult {
  std::uint32_t id = 0;
  Result<EffectOutput> outcome;
};

// An object's answer to a call or alarm: a message, or an error the caller sees as the
// object.call effect's error.
using ObjectReply = Result<std::string>;

class Session {
 public:
  // Pinned in memory: the coroutine frames hold references into it.
  static std::unique_ptr<Session> start(const App& app, SessionInput input);

  // Only start() can make one (the key is private); public so make_unique can call it.
  class Key {
    friend class Session;
    Key() = default;
  };
  Session(Key, const App& app, SessionInput input);
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  ~Session();

  // The effects asked for since the last call; each must be answered by resume().
  std::vector<PendingEffect> take_effects();
  // Results may come in any order and in several batches; they are applied in id order.
  void resume(std::vector<EffectResult> results);

  bool done() const;
  bool is_request() const { return std::holds_alternative<Request>(input_); }
  // Valid once done(): the HTTP answer of a request session.
  const Response& response() const { return response_; }
  // Valid once done(): the reply of an object session.
  const ObjectReply& reply() const { return reply_; }

 private:
  void begin();
  void check_stalled();

  const App& app_;
  SessionInput input_;
  EffectQueue queue_;
  Task<void> root_;
  Response response_;
  ObjectReply reply_{std::string{}};
  bool finished_ = false;
};

}  // namespace frontdesk
