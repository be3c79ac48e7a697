// The audit chain in the ledger: entries in the `audit` table and the head (last seq and
// hash) in `meta`, so deleting the newest entries is as detectable as editing one.
#include <algorithm>
#include <boost/json.hpp>

#include "parts.hpp"

namespace frontdesk::objects::ledger {
namespace {

constexpr std::string_view entry_columns = "seq, at, kind, subject, body, prev_hash, hash";

// The audit table's one mapping, by column name.
audit::Entry entry_at(const SqlRows& rows, std::size_t row) {
  audit::Entry entry;
  entry.seq = static_cast<std::uint64_t>(std::max<std::int64_t>(int_of(cell(rows, "seq", row)), 0));
  entry.at = text_of(cell(rows, "at", row));
  entry.kind = text_of(cell(rows, "kind", row));
  entry.subject = text_of(cell(rows, "subject", row));
  entry.body = text_of(cell(rows, "body", row));
  entry.prev_hash = text_of(cell(rows, "prev_hash", row));
  entry.hash = text_of(cell(rows, "hash", row));
  return entry;
}

struct Head {
  std::uint64_t seq = 0;
  std::string hash;
};

Task<Result<std::optional<Head>>> stored_head(Fx& fx) {
  auto rows = co_await fx.sql("SELECT value FROM meta WHERE key = 'audit_head'");
  if (!rows) co_return rows.error();
  if (rows->rows.empty()) co_return std::optional<Head>{};
  const auto text = text_of(cell(*rows, "value"));
  const auto space = text.find(' ');
  Head head;
  if (space != std::string::npos) {
    head.seq = std::strtoull(text.substr(0, space).c_str(), nullptr, 10);
    head.hash = text.substr(space + 1);
  }
  co_return std::optional<Head>{head};
}

}  // namespace

SqlExec audit_newest_entry() { return {"SELECT " + std::string(entry_columns) + " FROM audit ORDER BY seq DESC LIMIT 1", {}}; }

std::optional<audit::Entry> newest_entry_in(const SqlRows& rows) {
  if (rows.rows.empty()) return std::nullopt;
  return entry_at(rows, 0);
}

std::vector<SqlExec> audit_append(const audit::Entry& entry) {
  return {{"INSERT INTO audit (" + std::string(entry_columns) + ") VALUES (?,?,?,?,?,?,?)",
           {static_cast<std::int64_t>(entry.seq), entry.at, entry.kind, entry.subject, entry.body, entry.prev_hash,
            entry.hash}},
          {"INSERT INTO meta (key, value) VALUES ('audit_head', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
           {std::to_string(entry.seq) + " " + entry.hash}}};
}

Task<Result<void>> audit_once(ObjectContext& context, audit::EntryFields fields) {
  auto& fx = context.fx;
  std::vector<SqlValue> key{SqlValue{fields.subject}, SqlValue{fields.kind}};
  FRONTDESK_CO_TRY(auto seen,
                   co_await fx.sql("SELECT 1 FROM audit WHERE subject = ? AND kind = ? LIMIT 1", std::move(key)));
  if (!seen.rows.empty()) co_return Unit{};
  auto newest = audit_newest_entry();
  FRONTDESK_CO_TRY(auto last, co_await fx.sql(std::move(newest.sql)));
  FRONTDESK_CO_TRY(auto entry, audit::append(newest_entry_in(last), std::move(fields)));
  co_return first_failure(co_await sql_batch(fx, audit_append(entry)));
}

Task<Result<protocol::AuditList::Reply>> audit_list(ObjectContext& context, const protocol::AuditList::Request& request) {
  const auto limit = listing_of(protocol::PageRequest{request.limit, std::nullopt}).limit;
  const auto after = std::max<std::int64_t>(request.after_seq.value_or(0), 0);
  std::vector<SqlValue> params{SqlValue{after}, SqlValue{limit + 1}};
  FRONTDESK_CO_TRY(auto rows, co_await context.fx.sql("SELECT " + std::string(entry_columns) +
                                                           " FROM audit WHERE seq > ? ORDER BY seq LIMIT ?",
                                                       std::move(params)));
  co_return page_of(&protocol::AuditPage::entries, rows, limit, [](const SqlRows& page, std::size_t i) {
    auto entry = entry_at(page, i);
    return protocol::AuditEntry{static_cast<std::int64_t>(entry.seq), std::move(entry.at), std::move(entry.kind),
                                std::move(entry.subject), std::move(entry.body), std::move(entry.prev_hash),
                                std::move(entry.hash)};
  });
}

Task<Result<protocol::AuditVerify::Reply>> audit_verify(ObjectContext& context, const protocol::AuditVerify::Request&) {
  auto rows = co_await context.fx.sql("SELECT " + std::string(entry_columns) + " FROM audit ORDER BY seq");
  if (!rows) co_return rows.error();
  std::vector<audit::Entry> entries;
  entries.reserve(rows->rows.size());
  for (std::size_t i = 0; i < rows->rows.size(); ++i) entries.push_back(entry_at(*rows, i));
  const auto count = static_cast<std::int64_t>(entries.size());
  const auto verdict = audit::verify(entries);
  if (!verdict.ok()) {
    co_return protocol::AuditVerify::Reply{false, count, static_cast<std::int64_t>(verdict.seq), verdict.reason};
  }
  auto head = co_await stored_head(context.fx);
  if (!head) co_return head.error();
  if (*head) {
    const auto& expected = **head;
    const bool matches = !entries.empty() && entries.back().seq == expected.seq && entries.back().hash == expected.hash;
    if (!matches) {
      const std::uint64_t last_seq = entries.empty() ? 0 : entries.back().seq;
      const auto failing = std::min(last_seq + 1, expected.seq);
      co_return protocol::AuditVerify::Reply{
          false, count, static_cast<std::int64_t>(failing),
          "the chain ends at seq " + std::to_string(last_seq) + " but its recorded head is seq " +
              std::to_string(expected.seq) + ": entries were removed or replaced"};
    }
  }
  co_return protocol::AuditVerify::Reply{true, count, std::nullopt, std::nullopt};
}

}  // namespace frontdesk::objects::ledger
