#include "tenant.hpp"

#include <boost/json.hpp>
#include <map>
#include <string_view>

namespace frontdesk::metrics {
namespace {

namespace json = boost::json;

const json::array& rows(const json::object& reply, std::string_view name) {
  static const json::array none;
  const auto* found = reply.if_contains(name);
  return found && found->is_array() ? found->get_array() : none;
}

std::string text(const json::value& row, std::string_view field) {
  const auto* value = row.is_object() ? row.get_object().if_contains(field) : nullptr;
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

double number(const json::value& row, std::string_view field) {
  const auto* value = row.is_object() ? row.get_object().if_contains(field) : nullptr;
  if (!value) return 0;
  if (value->is_int64()) return static_cast<double>(value->get_int64());
  if (value->is_double()) return value->get_double();
  return 0;
}

bool final_state(std::string_view state) { return state == "completed" || state == "rejected" || state == "missed"; }

}  // namespace

std::vector<Family> tenant_families(std::span<const TenantCounts> tenants) {
  Family decisions{"frontdesk_calls_total", "Inbound calls screened, by the decision's outcome.", Kind::counter, {}};
  Family ended{"frontdesk_calls_ended_total", "Calls that reached a final state, by that state.", Kind::counter, {}};
  Family in_progress{"frontdesk_calls_in_progress", "Calls not yet in a final state.", Kind::gauge, {}};
  Family durations{"frontdesk_call_duration_seconds", "Talk time of answered calls that ended.", Kind::histogram, {}};
  Family messages{"frontdesk_messages_total", "Texts recorded, by direction and priority.", Kind::counter, {}};
  Family events{"frontdesk_events_recorded_total", "Verified webhook deliveries recorded, by source.",
                Kind::counter, {}};
  Family commands{"frontdesk_provider_commands_total",
                  "Provider commands that finished, by provider and result (delivered or dead).", Kind::counter, {}};
  Family command_attempts{"frontdesk_provider_command_attempts_total", "Attempts made to send provider commands.",
                          Kind::counter, {}};
  Family queue{"frontdesk_outbound_queue_depth", "Provider commands waiting to be sent.", Kind::gauge, {}};
  Family fanout_attempts{"frontdesk_fanout_attempts_total",
                         "Fan-out delivery attempts to the tenant's endpoints, by result.", Kind::counter, {}};
  Family deliveries{"frontdesk_fanout_deliveries", "Fan-out deliveries, by status.", Kind::gauge, {}};

  for (const auto& [tenant, reply] : tenants) {
    const Label who{"tenant", tenant};
    for (const auto& row : rows(reply, "decisions")) {
      decisions.samples.push_back({"", {who, {"outcome", text(row, "outcome")}}, number(row, "n")});
    }
    double open = 0;
    for (const auto& row : rows(reply, "calls")) {
      const auto state = text(row, "state");
      if (final_state(state)) {
        ended.samples.push_back({"", {who, {"state", state}}, number(row, "n")});
      } else {
        open += number(row, "n");
      }
    }
    in_progress.samples.push_back({"", {who}, open});
    const auto& duration_rows = rows(reply, "durations");
    if (!duration_rows.empty()) {
      const auto& row = duration_rows.front();
      std::vector<double> cumulative;
      for (const auto bound : call_duration_bounds) {
        cumulative.push_back(number(row, "le_" + std::to_string(static_cast<long long>(bound))));
      }
      add_histogram(durations, {who}, call_duration_bounds, cumulative, number(row, "n"), number(row, "total"));
    }
    for (const auto& row : rows(reply, "messages")) {
      messages.samples.push_back(
          {"", {who, {"direction", text(row, "direction")}, {"priority", text(row, "priority")}}, number(row, "n")});
    }
    for (const auto& row : rows(reply, "webhooks")) {
      events.samples.push_back({"", {who, {"source", text(row, "source")}}, number(row, "n")});
    }
    double pending = 0;
    std::map<std::string, double> attempts_by_provider;  // whatever each command's status now
    for (const auto& row : rows(reply, "commands")) {
      const auto status = text(row, "status");
      const auto provider = text(row, "provider");
      attempts_by_provider[provider] += number(row, "attempts");
      if (status == "pending") {
        pending += number(row, "n");
      } else {
        commands.samples.push_back({"", {who, {"provider", provider}, {"result", status}}, number(row, "n")});
      }
    }
    for (const auto& [provider, attempts] : attempts_by_provider) {
      command_attempts.samples.push_back({"", {who, {"provider", provider}}, attempts});
    }
    queue.samples.push_back({"", {who}, pending});
    for (const auto& row : rows(reply, "attempts")) {
      fanout_attempts.samples.push_back({"", {who, {"result", text(row, "result")}}, number(row, "n")});
    }
    for (const auto& row : rows(reply, "deliveries")) {
      deliveries.samples.push_back({"", {who, {"status", text(row, "status")}}, number(row, "n")});
    }
  }
  return {std::move(decisions), std::move(ended),    std::move(in_progress),      std::move(durations),
          std::move(messages),  std::move(events),   std::move(commands),         std::move(command_attempts),
          std::move(queue),     std::move(fanout_attempts), std::move(deliveries)};
}

}  // namespace frontdesk::metrics
