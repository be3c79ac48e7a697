// /api/v1/endpoints: where the tenant's events go (docs/fanout.md), their secrets, and a
// test event. URLs and event types are checked here; the ledger keeps the endpoints.
#include <boost/json.hpp>
#include <limits>

#include "../../fanout/catalog.hpp"
#include "../../fanout/endpoint_url.hpp"
#include "../../json.hpp"
#include "../../time.hpp"
#include "support.hpp"

namespace frontdesk::routes::api {
namespace {

constexpr std::size_t max_description_bytes = 500;

// The fields of a create (every one) or an update (those given), checked, as the ledger
// message takes them.
Result<json::object> endpoint_fields(const ApiContext& context, const json::object& body, bool create) {
  json::object fields;
  if (const auto* url = body.if_contains("url")) {
    if (!url->is_string()) return make_error(ErrorCode::invalid_field, "url: must be a string");
    const std::string text(url->get_string());
    if (auto checked = fanout::check_endpoint_url(text, context.app.settings().fanout); !checked) return checked.error();
    fields["url"] = text;
  } else if (create) {
    return make_error(ErrorCode::invalid_field, "url: is required");
  }
  if (const auto* events = body.if_contains("events"); events && !events->is_null()) {
    if (!events->is_array()) return make_error(ErrorCode::invalid_field, "events: must be a list of event types");
    json::array types;
    for (const auto& type : events->get_array()) {
      if (!type.is_string() || !fanout::known_event_type(type.get_string())) {
        const auto named = type.is_string() ? std::string(type.get_string()) : json::serialize(type);
        return make_error(ErrorCode::invalid_field, "events: unknown event type " + named);
      }
      types.push_back(type);
    }
    fields["events"] = std::move(types);
  } else if (create) {
    fields["events"] = json::array{};
  }
  if (const auto* description = body.if_contains("description")) {
    if (!description->is_string() || description->get_string().size() > max_description_bytes) {
      return make_error(ErrorCode::invalid_field, "description: must be a string of at most 500 bytes");
    }
    fields["description"] = description->get_string();
  }
  if (const auto* enabled = body.if_contains("enabled")) {
    if (!enabled->is_bool()) return make_error(ErrorCode::invalid_field, "enabled: must be true or false");
    fields["enabled"] = enabled->get_bool();
  }
  return fields;
}

json::object about_endpoint(const ApiContext& context, std::string_view op) {
  return {{"op", op}, {"id", path_param(context, "id")}};
}

}  // namespace

Task<Response> create_endpoint(ApiContext& context) {
  auto body = body_object(context.request);
  if (!body) co_return error_response(body.error());
  auto fields = endpoint_fields(context, *body, true);
  if (!fields) co_return error_response(fields.error());
  fields->emplace("op", "endpoint_create");
  co_return co_await ledger_answer(context, std::move(*fields), 201);
}

Task<Response> list_endpoints(ApiContext& context) {
  // Built outside the co_await: GCC 12 miscompiles braced lists inside one.
  json::object message{{"op", "endpoint_list"}};
  co_return co_await paged_list(context, "endpoints", std::move(message));
}

Task<Response> get_endpoint(ApiContext& context) {
  co_return co_await ledger_answer(context, about_endpoint(context, "endpoint_get"), 200);
}

Task<Response> update_endpoint(ApiContext& context) {
  auto body = body_object(context.request);
  if (!body) co_return error_response(body.error());
  auto fields = endpoint_fields(context, *body, false);
  if (!fields) co_return error_response(fields.error());
  auto message = about_endpoint(context, "endpoint_update");
  for (auto& [key, value] : *fields) message[key] = std::move(value);
  co_return co_await ledger_answer(context, std::move(message), 200);
}

Task<Response> delete_endpoint(ApiContext& context) {
  co_return co_await ledger_answer(context, about_endpoint(context, "endpoint_delete"), 204);
}

Task<Response> get_endpoint_secret(ApiContext& context) {
  co_return co_await ledger_answer(context, about_endpoint(context, "endpoint_secret"), 200);
}

Task<Response> rotate_endpoint_secret(ApiContext& context) {
  co_return co_await ledger_answer(context, about_endpoint(context, "endpoint_rotate"), 200);
}

Task<Response> test_endpoint(ApiContext& context) {
  co_return co_await ledger_answer(context, about_endpoint(context, "endpoint_test"), 202);
}

// {"since", "until"?} (RFC 3339): the window's events sent again → 202 {"replayed": n}.
Task<Response> replay_endpoint(ApiContext& context) {
  auto body = body_object(context.request);
  if (!body) co_return error_response(body.error());
  const auto since_text = body_text(*body, "since");
  const auto since = since_text ? unix_us_from_rfc3339(*since_text) : std::nullopt;
  if (!since) co_return error_response(ErrorCode::invalid_field, "since: must be an RFC 3339 time");
  std::optional<std::int64_t> until;
  if (body->contains("until")) {
    const auto until_text = body_text(*body, "until");
    until = until_text ? unix_us_from_rfc3339(*until_text) : std::nullopt;
    if (!until) co_return error_response(ErrorCode::invalid_field, "until: must be an RFC 3339 time");
    if (*until <= *since) co_return error_response(ErrorCode::invalid_field, "until: must be after since");
  }
  auto message = about_endpoint(context, "endpoint_replay");
  message["since_ms"] = *since / 1000;
  // Without `until`, up to now: no event is recorded in the future.
  message["until_ms"] = until ? *until / 1000 : std::numeric_limits<std::int64_t>::max();
  co_return co_await ledger_answer(context, std::move(message), 202);
}

}  // namespace frontdesk::routes::api
