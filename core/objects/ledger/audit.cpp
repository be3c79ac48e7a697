// The audit chain in the ledger: entries in the `audit` table and the head (last seq and
// hash) in `meta`, so deleting the newest entries is as detectable as editing one.
#include <algorithm>
#include <boost/json.hpp>

#include "parts.hpp"

namespace frontdesk::objects::ledger {
namespace {

constexpr std::string_view entry_columns = "seq, at, kind, subject, body, prev_hash, hash";

audit::Entry entry_from_row(const std::vector<SqlValue>& row) {
  audit::Entry entry;
  entry.seq = static_cast<std::uint64_t>(std::max<std::int64_t>(int_of(row[0]), 0));
  entry.at = text_of(row[1]);
  entry.kind = text_of(row[2]);
  entry.subject = text_of(row[3]);
  entry.body = text_of(row[4]);
  entry.prev_hash = text_of(row[5]);
  entry.hash = text_of(row[6]);
  return entry;
}

// The body stays the exact text that was hashed, so a reader can check every hash itself.
json::object entry_to_json(const audit::Entry& entry) {
  return {{"seq", entry.seq},         {"at", entry.at},     {"kind", entry.kind}, {"subject", entry.subject},
          {"body", entry.body},       {"prev_hash", entry.prev_hash}, {"hash", entry.hash}};
}

struct Head {
  std::uint64_t seq = 0;
  std::string hash;
};

Task<Result<std::optional<Head>>> stored_head(Fx& fx) {
  auto rows = co_await fx.sql("SELECT value FROM meta WHERE key = 'audit_head'");
  if (!rows) co_return rows.error();
  if (rows->rows.empty()) co_return std::optional<Head>{};
  const auto text = text_of(rows->rows[0][0]);
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
  if (rows.rows.empty() || rows.rows[0].size() < 7) return std::nullopt;
  return entry_from_row(rows.rows[0]);
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
  auto seen = co_await fx.sql("SELECT 1 FROM audit WHERE subject = ? AND kind = ? LIMIT 1", std::move(key));
  if (!seen) co_return seen.error();
  if (!seen->rows.empty()) co_return Unit{};
  auto newest = audit_newest_entry();
  auto last = co_await fx.sql(std::move(newest.sql));
  if (!last) co_return last.error();
  auto entry = audit::append(newest_entry_in(*last), std::move(fields));
  if (!entry) co_return entry.error();
  co_return first_failure(co_await sql_batch(fx, audit_append(*entry)));
}

Task<ObjectReply> audit_list(ObjectContext& context, const json::object& message) {
  const auto limit = listing_of(message).limit;
  const auto after = std::max<std::int64_t>(field_int(message, "after_seq").value_or(0), 0);
  std::vector<SqlValue> params{SqlValue{after}, SqlValue{limit + 1}};
  auto rows = co_await context.fx.sql(
      "SELECT " + std::string(entry_columns) + " FROM audit WHERE seq > ? ORDER BY seq LIMIT ?", std::move(params));
  if (!rows) co_return rows.error();
  co_return json::serialize(
      page_reply("entries", rows->rows, limit, 0, [&](const auto& row) { return entry_to_json(entry_from_row(row)); }));
}

Task<Result<protocol::AuditVerify::Reply>> audit_verify(ObjectContext& context, const protocol::AuditVerify::Request&) {
  auto rows = co_await context.fx.sql("SELECT " + std::string(entry_columns) + " FROM audit ORDER BY seq");
  if (!rows) co_return rows.error();
  std::vector<audit::Entry> entries;
  entries.reserve(rows->rows.size());
  for (const auto& row : rows->rows) entries.push_back(entry_from_row(row));
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
