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

namespace protocol = objects::protocol;

// What a create or an update gives, checked: absent when not given.
struct EndpointFields {
  std::optional<std::string> url;
  std::optional<std::vector<std::string>> events;
  std::optional<std::string> description;
  std::optional<bool> enabled;
};

Result<EndpointFields> endpoint_fields(const ApiContext& context, const json::object& body) {
  EndpointFields fields;
  if (const auto* url = body.if_contains("url")) {
    if (!url->is_string()) return make_error(ErrorCode::invalid_field, "url: must be a string");
    std::string text(url->get_string());
    if (auto checked = fanout::check_endpoint_url(text, context.app.settings().fanout); !checked) return checked.error();
    fields.url = std::move(text);
  }
  if (const auto* events = body.if_contains("events"); events && !events->is_null()) {
    if (!events->is_array()) return make_error(ErrorCode::invalid_field, "events: must be a list of event types");
    std::vector<std::string> types;
    for (const auto& type : events->get_array()) {
      if (!type.is_string() || !fanout::known_event_type(type.get_string())) {
        const auto named = type.is_string() ? std::string(type.get_string()) : json::serialize(type);
        return make_error(ErrorCode::invalid_field, "events: unknown event type " + named);
      }
      types.emplace_back(type.get_string());
    }
    fields.events = std::move(types);
  }
  if (const auto* description = body.if_contains("description")) {
    if (!description->is_string() || description->get_string().size() > max_description_bytes) {
      return make_error(ErrorCode::invalid_field, "description: must be a string of at most 500 bytes");
    }
    fields.description = std::string(description->get_string());
  }
  if (const auto* enabled = body.if_contains("enabled")) {
    if (!enabled->is_bool()) return make_error(ErrorCode::invalid_field, "enabled: must be true or false");
    fields.enabled = enabled->get_bool();
  }
  return fields;
}

protocol::EndpointId endpoint_id(const ApiContext& context) { return {path_param(context, "id")}; }

// An endpoint as the API shows it (docs/fanout.md): every field, null when unset.
Response endpoint_answer(int status, const Result<protocol::Endpoint>& endpoint) {
  if (!endpoint) return error_response(endpoint.error());
  return json_answer(status, protocol::to_document(*endpoint));
}

}  // namespace

Task<Response> create_endpoint(ApiContext& context) {
  auto body = body_object(context.request);
  if (!body) co_return error_response(body.error());
  auto fields = endpoint_fields(context, *body);
  if (!fields) co_return error_response(fields.error());
  if (!fields->url) co_return error_response(ErrorCode::invalid_field, "url: is required");
  const protocol::EndpointCreate::Request create{std::move(*fields->url), fields->events.value_or(std::vector<std::string>{}),
                                                 std::move(fields->description), fields->enabled};
  auto created = co_await ledger_of(context).call<protocol::EndpointCreate>(create);
  if (!created) co_return error_response(created.error());
  auto document = protocol::to_document(created->endpoint);
  document["secret"] = created->secret;
  co_return json_answer(201, document);
}

Task<Response> list_endpoints(ApiContext& context) {
  const auto page = page_of(context.request, "endpoints");
  if (!page) co_return error_response(page.error());
  auto endpoints = co_await ledger_of(context).call<protocol::EndpointList>(page_request(*page));
  if (!endpoints) co_return error_response(endpoints.error());
  co_return page_response(*endpoints, &protocol::EndpointPage::endpoints, "endpoints", [](const protocol::Endpoint& endpoint) {
    return protocol::to_document(endpoint);
  });
}

Task<Response> get_endpoint(ApiContext& context) {
  auto endpoint = co_await ledger_of(context).call<protocol::EndpointGet>(endpoint_id(context));
  co_return endpoint_answer(200, endpoint);
}

Task<Response> update_endpoint(ApiContext& context) {
  auto body = body_object(context.request);
  if (!body) co_return error_response(body.error());
  auto fields = endpoint_fields(context, *body);
  if (!fields) co_return error_response(fields.error());
  const protocol::EndpointUpdate::Request update{path_param(context, "id"), std::move(fields->url),
                                                 std::move(fields->events), std::move(fields->description),
                                                 fields->enabled};
  auto endpoint = co_await ledger_of(context).call<protocol::EndpointUpdate>(update);
  co_return endpoint_answer(200, endpoint);
}

Task<Response> delete_endpoint(ApiContext& context) {
  auto deleted = co_await ledger_of(context).call<protocol::EndpointDelete>(endpoint_id(context));
  co_return typed_answer(204, deleted);
}

Task<Response> get_endpoint_secret(ApiContext& context) {
  auto secret = co_await ledger_of(context).call<protocol::EndpointSecretGet>(endpoint_id(context));
  co_return typed_answer(200, secret);
}

Task<Response> rotate_endpoint_secret(ApiContext& context) {
  auto secret = co_await ledger_of(context).call<protocol::EndpointRotate>(endpoint_id(context));
  co_return typed_answer(200, secret);
}

Task<Response> test_endpoint(ApiContext& context) {
  auto queued = co_await ledger_of(context).call<protocol::EndpointTest>(endpoint_id(context));
  co_return typed_answer(202, queued);
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
  // Without `until`, up to now: no event is recorded in the future.
  const protocol::EndpointReplay::Request replay{path_param(context, "id"), *since / 1000,
                                                until ? *until / 1000 : std::numeric_limits<std::int64_t>::max()};
  auto replayed = co_await ledger_of(context).call<protocol::EndpointReplay>(replay);
  co_return typed_answer(202, replayed);
}

}  // namespace frontdesk::routes::api
