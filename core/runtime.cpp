#include "runtime.hpp"

#include <boost/json.hpp>

#include "json.hpp"
#include "wire.hpp"

namespace frontdesk {
namespace json = boost::json;
namespace {

std::string failure(ErrorCode code, std::string message) {
  return json::serialize(json::object{{"error", wire::encode_error(make_error(code, std::move(message)))}});
}

// Absent means fresh: a host that does not track its instances gets set-up on every call.
bool fresh_field(const json::object& object) {
  const auto* fresh = object.if_contains("fresh");
  return !fresh || !fresh->is_bool() || fresh->get_bool();
}

std::string field(const json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  const auto* text = value ? value->if_string() : nullptr;
  return text ? std::string(*text) : std::string{};
}

}  // namespace

Runtime::Runtime(std::string_view init_json) {
  json::error_code ec;
  const auto init = json::parse(init_json, ec);
  const auto* object = ec ? nullptr : init.if_object();
  if (!object) {
    init_error_ = make_error(ErrorCode::internal, "runtime init is not a JSON object");
    return;
  }
  const json::object* env = nullptr;
  if (const auto* value = object->if_contains("env")) env = value->if_object();
  const EnvLookup lookup = [env](std::string_view name) -> std::optional<std::string> {
    const auto* value = env ? env->if_contains(name) : nullptr;
    const auto* text = value ? value->if_string() : nullptr;
    if (!text) return std::nullopt;
    return std::string(*text);
  };
  std::string config = "{}";
  if (const auto* value = object->if_contains("config")) {
    config = value->is_string() ? std::string(value->get_string()) : json::serialize(*value);
  }
  auto app = App::create(config, lookup);
  if (app) {
    app_.emplace(std::move(*app));
  } else {
    init_error_ = make_error(ErrorCode::internal, "configuration invalid: " + app.error().message);
  }
}

std::string Runtime::step(std::string_view input_json) {
  json::error_code ec;
  const auto input = json::parse(input_json, ec);
  const auto* object = ec ? nullptr : input.if_object();
  if (!object) return failure(ErrorCode::malformed_body, "step input is not a JSON object");
  const std::string op = field(*object, "op");

  if (op == "resume" || op == "abort") {
    const auto* id_value = object->if_contains("session");
    const auto id = id_value && id_value->is_int64() ? static_cast<std::uint32_t>(id_value->get_int64()) : 0U;
    const auto it = sessions_.find(id);
    if (it == sessions_.end()) return failure(ErrorCode::not_found, "no open session " + std::to_string(id));
    if (op == "abort") {
      sessions_.erase(it);
      return json::serialize(json::object{{"session", id}, {"done", true}});
    }
    // The effects this session is waiting on, by id, to decode each result by its kind.
    std::vector<EffectResult> results;
    const auto* list = object->if_contains("results");
    if (!list || !list->is_array()) return failure(ErrorCode::malformed_body, "resume needs results");
    const auto& pending = pending_effects_[id];
    for (const auto& item : list->get_array()) {
      const auto* result = item.if_object();
      const auto* rid = result ? result->if_contains("id") : nullptr;
      if (!rid || !rid->is_int64()) return failure(ErrorCode::malformed_body, "each result needs an id");
      const auto effect_id = static_cast<std::uint32_t>(rid->get_int64());
      const auto found = pending.find(effect_id);
      if (found == pending.end()) return failure(ErrorCode::malformed_body, "result for an unknown effect");
      const auto* ok = result->if_contains("ok");
      if (ok && ok->is_bool() && ok->get_bool()) {
        const auto* value = result->if_contains("value");
        static const json::value null_value;
        auto output = wire::decode_output(found->second, value ? *value : null_value);
        if (!output) return failure(ErrorCode::malformed_body, output.error().message);
        results.push_back({effect_id, std::move(*output)});
      } else {
        const auto* error = result->if_contains("error");
        results.push_back({effect_id, wire::decode_error(error ? *error : json::value{})});
      }
    }
    for (const auto& result : results) pending_effects_[id].erase(result.id);
    it->second->resume(std::move(results));
    return report(id);
  }
  if (op == "request") {
    const auto* request = object->if_contains("request");
    auto decoded = wire::decode_request(request ? *request : json::value{});
    if (!decoded) return failure(decoded.error().code, decoded.error().message);
    return start(std::move(*decoded));
  }
  if (op == "object.call") {
    const auto* listening = object->if_contains("listening");
    return start(ObjectInvocation{field(*object, "kind"), field(*object, "id"), field(*object, "message"),
                                  fresh_field(*object), listening && listening->is_bool() && listening->get_bool()});
  }
  if (op == "object.alarm") {
    return start(ObjectAlarm{field(*object, "kind"), field(*object, "id"), fresh_field(*object)});
  }
  return failure(ErrorCode::malformed_body, "unknown step op '" + op + "'");
}

std::string Runtime::start(SessionInput input) {
  const auto id = next_session_++;
  if (!app_) {
    const bool is_request = std::holds_alternative<Request>(input);
    json::object out{{"session", id}, {"done", true}};
    if (is_request) {
      out["response"] = wire::encode_response(error_response(init_error_));
    } else {
      out["error"] = wire::encode_error(init_error_);
    }
    return json::serialize(out);
  }
  sessions_.emplace(id, Session::start(*app_, std::move(input)));
  return report(id);
}

std::string Runtime::report(std::uint32_t id) {
  auto& session = *sessions_.at(id);
  json::object out{{"session", id}};
  if (session.done()) {
    out["done"] = true;
    if (session.is_request()) {
      out["response"] = wire::encode_response(session.response());
    } else if (session.reply().ok()) {
      out["reply"] = session.reply().value();
    } else {
      out["error"] = wire::encode_error(session.reply().error());
    }
    sessions_.erase(id);
    pending_effects_.erase(id);
    return json::serialize(out);
  }
  json::array effects;
  auto& pending = pending_effects_[id];
  for (auto& effect : session.take_effects()) {
    effects.push_back(wire::encode_effect(effect));
    pending.emplace(effect.id, std::move(effect.effect));
  }
  out["effects"] = std::move(effects);
  return json::serialize(out);
}

}  // namespace frontdesk
