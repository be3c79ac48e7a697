// /api/v1/stats (what the console's charts draw) and /api/v1/metrics (the tenant's counters
// in the Prometheus text format): both counted by the tenant's ledger.
#include <boost/json.hpp>

#include "../../json.hpp"
#include "../../metrics/tenant.hpp"
#include "../../time.hpp"
#include "support.hpp"

namespace frontdesk::routes::api {
namespace {

constexpr std::int64_t hour_ms = 3'600'000;
// At most a month of hours or a year and a day of days in one answer.
constexpr std::int64_t max_hours = 24 * 31;
constexpr std::int64_t max_days = 366;

Result<std::optional<std::int64_t>> time_param(const Request& request, std::string_view name) {
  const auto text = query_value(request, name);
  if (!text) return std::optional<std::int64_t>{};
  const auto us = unix_us_from_rfc3339(*text);
  if (!us) return make_error(ErrorCode::invalid_field, std::string(name) + ": must be an RFC 3339 date-time");
  return std::optional<std::int64_t>{*us / 1000};
}

}  // namespace

Task<Response> get_stats(ApiContext& context) {
  const auto bucket = query_value(context.request, "bucket").value_or("hour");
  if (bucket != "hour" && bucket != "day") co_return error_response(ErrorCode::invalid_field, "bucket: must be hour or day");
  const std::int64_t bucket_ms = bucket == "day" ? 24 * hour_ms : hour_ms;
  auto since = time_param(context.request, "since");
  if (!since) co_return error_response(since.error());
  auto until = time_param(context.request, "until");
  if (!until) co_return error_response(until.error());
  if (!*until) {
    auto now = co_await context.fx.now();
    if (!now) co_return error_response(now.error());
    *until = *now;
  }
  const std::int64_t until_ms = **until;
  const std::int64_t since_ms = since->value_or(until_ms - (bucket == "day" ? 30 : 1) * 24 * hour_ms);
  if (since_ms >= until_ms) co_return error_response(ErrorCode::invalid_field, "since: must be before until");
  if ((until_ms - since_ms) / bucket_ms >= (bucket == "day" ? max_days : max_hours)) {
    co_return error_response(ErrorCode::invalid_field,
                             bucket == "day" ? "since: at most 366 days before until"
                                             : "since: at most 744 hours before until (use bucket=day)");
  }
  const objects::protocol::Stats::Request asked{
      since_ms, until_ms, bucket == "day" ? objects::protocol::Bucket::day : objects::protocol::Bucket::hour};
  auto counted = co_await ledger_of(context).call<objects::protocol::Stats>(asked);
  co_return typed_answer(200, counted);
}

Task<Response> get_metrics(ApiContext& context) {
  const objects::protocol::Metrics::Request asked;
  auto counts = co_await ledger_of(context).call<objects::protocol::Metrics>(asked);
  if (!counts) co_return error_response(counts.error());
  const std::array<metrics::TenantCounts, 1> tenant{{{context.principal.tenant, std::move(*counts)}}};
  Response response;
  response.headers.add("content-type", std::string(metrics::content_type));
  response.body = metrics::render(metrics::tenant_families(tenant));
  co_return response;
}

}  // namespace frontdesk::routes::api
