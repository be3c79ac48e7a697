#include "tenant.hpp"

#include <map>
#include <string_view>

namespace frontdesk::metrics {
namespace {

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

  for (const auto& [tenant, counts] : tenants) {
    const Label who{"tenant", tenant};
    const auto n = [](std::int64_t count) { return static_cast<double>(count); };
    for (const auto& row : counts.decisions) decisions.samples.push_back({"", {who, {"outcome", row.outcome}}, n(row.n)});
    double open = 0;
    for (const auto& row : counts.calls) {
      if (final_state(row.state)) {
        ended.samples.push_back({"", {who, {"state", row.state}}, n(row.n)});
      } else {
        open += n(row.n);
      }
    }
    in_progress.samples.push_back({"", {who}, open});
    if (counts.durations.at_most.size() == call_duration_bounds.size()) {
      std::vector<double> cumulative;
      for (const auto count : counts.durations.at_most) cumulative.push_back(n(count));
      add_histogram(durations, {who}, call_duration_bounds, cumulative, n(counts.durations.n),
                    n(counts.durations.total));
    }
    for (const auto& row : counts.messages) {
      messages.samples.push_back({"", {who, {"direction", row.direction}, {"priority", row.priority}}, n(row.n)});
    }
    for (const auto& row : counts.webhooks) events.samples.push_back({"", {who, {"source", row.source}}, n(row.n)});
    double pending = 0;
    std::map<std::string, double> attempts_by_provider;  // whatever each command's status now
    for (const auto& row : counts.commands) {
      attempts_by_provider[row.provider] += n(row.attempts);
      if (row.status == "pending") {
        pending += n(row.n);
      } else {
        commands.samples.push_back({"", {who, {"provider", row.provider}, {"result", row.status}}, n(row.n)});
      }
    }
    for (const auto& [provider, attempts] : attempts_by_provider) {
      command_attempts.samples.push_back({"", {who, {"provider", provider}}, attempts});
    }
    queue.samples.push_back({"", {who}, pending});
    for (const auto& row : counts.attempts) {
      fanout_attempts.samples.push_back({"", {who, {"result", row.result}}, n(row.n)});
    }
    for (const auto& row : counts.deliveries) {
      deliveries.samples.push_back({"", {who, {"status", row.status}}, n(row.n)});
    }
  }
  return {std::move(decisions), std::move(ended),    std::move(in_progress),      std::move(durations),
          std::move(messages),  std::move(events),   std::move(commands),         std::move(command_attempts),
          std::move(queue),     std::move(fanout_attempts), std::move(deliveries)};
}

}  // namespace frontdesk::metrics
