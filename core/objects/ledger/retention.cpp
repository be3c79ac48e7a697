// Retention (`retention` in the configuration): what the ledger may let go, a bounded batch
// per call, so a call never holds the ledger long however much is due. Calls, texts, the
// events themselves and the audit chain stay; the audit chain hashes its own entries, never
// an event's payload, so emptying payloads leaves it verifiable.
#include <algorithm>
#include <boost/json.hpp>

#include "../../time.hpp"
#include "parts.hpp"

namespace frontdesk::objects::ledger {
namespace {

constexpr std::int64_t batch = 500;
constexpr std::int64_t day_ms = 86'400'000;
// The idempotency keys of API sends answer repeats for a day (sending.cpp).
constexpr std::int64_t idempotency_kept_ms = day_ms;

}  // namespace

Task<Result<protocol::Prune::Reply>> prune(ObjectContext& context, const protocol::Prune::Request&) {
  FRONTDESK_CO_TRY(auto now, co_await context.fx.now());
  const auto& retention = context.app.settings().retention;
  const auto before = [&](std::int64_t days) { return rfc3339_from_ms(now - days * day_ms); };
  // Each statement names what it let go (RETURNING), so the reply can say whether more is due.
  std::vector<SqlExec> statements{
      {"UPDATE events SET payload = '' WHERE seq IN (SELECT seq FROM events INDEXED BY events_payload_kept "
       "WHERE payload <> '' AND received_at < ? ORDER BY received_at LIMIT ?) RETURNING seq",
       {before(retention.payload_days), batch}},
      {"DELETE FROM outbound WHERE seq IN (SELECT seq FROM outbound WHERE status = 'dead' AND updated_at < ? "
       "ORDER BY updated_at LIMIT ?) RETURNING seq",
       {before(retention.dead_letter_days), batch}},
      {"DELETE FROM outbound WHERE seq IN (SELECT seq FROM outbound WHERE status = 'delivered' AND updated_at < ? "
       "ORDER BY updated_at LIMIT ?) RETURNING seq",
       {before(retention.delivery_log_days), batch}},
      {"DELETE FROM idempotency WHERE key IN (SELECT key FROM idempotency WHERE created_ms < ? "
       "ORDER BY created_ms LIMIT ?) RETURNING key",
       {now - idempotency_kept_ms, batch}},
      {"DELETE FROM live_tickets WHERE expires_ms <= ? RETURNING hash", {now}},
  };
  auto fanout = context.app.settings().fanout;
  fanout.retention_days = std::min(fanout.retention_days, retention.delivery_log_days);
  for (auto& statement : retention_prunes(now, fanout)) statements.push_back(std::move(statement));
  auto done = co_await sql_batch(context.fx, std::move(statements));
  FRONTDESK_CO_CHECK(first_failure(done));
  const auto count = [&](std::size_t i) { return static_cast<std::int64_t>(done[i]->rows.size()); };
  const bool more = count(0) == batch || count(1) == batch || count(2) == batch || count(3) == batch;
  co_return protocol::Prune::Reply{count(0), count(1), count(2), count(3), more};
}

}  // namespace frontdesk::objects::ledger
