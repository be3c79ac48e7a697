#pragma once
// The JSON step protocol of docs/wire.md over the Session API: what the Wasm builds
// export, and what the native benchmark drives to compare like with like.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "app.hpp"
#include "session.hpp"

namespace frontdesk {

class Runtime {
 public:
  // init: {"config": {...}, "env": {"NAME": "value"}}. A bad init is kept as an error
  // that every request answers with, so a host never fails to start.
  explicit Runtime(std::string_view init_json);

  // One step: a step input in, a step output out (both JSON text).
  std::string step(std::string_view input_json);

  std::size_t open_sessions() const { return sessions_.size(); }

 private:
  std::string start(SessionInput input);
  std::string report(std::uint32_t id);

  std::optional<App> app_;
  Error init_error_;
  std::map<std::uint32_t, std::unique_ptr<Session>> sessions_;
  // Effects handed out and not yet answered, per session: a result is decoded by the
  // kind of effect it answers.
  std::map<std::uint32_t, std::map<std::uint32_t, Effect>> pending_effects_;
  std::uint32_t next_session_ = 1;
};

}  // namespace frontdesk
