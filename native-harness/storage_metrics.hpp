#pragma once
// The native server's storage and outbound figures for GET /metrics: commits and the WAL
// syncs that made them durable (their ratio is group commit at work), open object
// databases, and the kept-alive connections of provider requests.
#include <vector>

#include "core/metrics/prometheus.hpp"
#include "host.hpp"

namespace frontdesk::native {

std::vector<metrics::Family> storage_families(const Host& host);

}  // namespace frontdesk::native
