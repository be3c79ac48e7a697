#include "storage_metrics.hpp"

#include <utility>

#include "group_commit.hpp"

namespace frontdesk::native {

std::vector<metrics::Family> storage_families(const Host& host) {
  using metrics::Family;
  using metrics::Kind;
  const auto& store = host.store();
  std::vector<Family> families;
  if (const auto* group = store.group()) {
    families.push_back({"frontdesk_storage_commits_total", "SQLite transactions committed by the server.",
                        Kind::counter, {{"", {}, static_cast<double>(group->commits())}}});
    families.push_back({"frontdesk_storage_syncs_total",
                        "WAL syncs that made those commits durable: one per group of commits.", Kind::counter,
                        {{"", {}, static_cast<double>(group->syncs())}}});
  }
  families.push_back({"frontdesk_storage_open_objects", "Object databases open now.", Kind::gauge,
                      {{"", {}, static_cast<double>(store.open_objects())}}});
  families.push_back({"frontdesk_outbound_idle_connections",
                      "Kept-alive connections to providers and endpoints waiting for their next request.",
                      Kind::gauge, {{"", {}, static_cast<double>(host.idle_fetch_connections())}}});
  return families;
}

}  // namespace frontdesk::native
