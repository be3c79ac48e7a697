#pragma once
// A tenant's Prometheus metrics, named and labelled from its ledger's `metrics` reply
// (core/objects/ledger/metrics.cpp, protocol::Metrics). Every family carries a `tenant` label.
#include <array>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "../objects/ledger/protocol.hpp"
#include "prometheus.hpp"

namespace frontdesk::metrics {

// Talk time, seconds: the call-duration histogram's upper bounds.
inline constexpr std::array<double, 9> call_duration_bounds{5, 15, 30, 60, 120, 300, 600, 1800, 3600};

struct TenantCounts {
  std::string tenant;
  objects::protocol::Metrics::Reply counts;
};

// One family per metric, holding the samples of every tenant given (so several tenants
// render as one exposition, each family once).
std::vector<Family> tenant_families(std::span<const TenantCounts> tenants);

}  // namespace frontdesk::metrics
