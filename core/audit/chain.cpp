#include "chain.hpp"

#include <boost/json/parse.hpp>
#include <utility>

#include "../crypto/primitives.hpp"
#include "../encoding.hpp"
#include "../time.hpp"

namespace frontdesk::audit {
namespace {

bool has_newline(std::string_view text) { return text.find('\n') != std::string_view::npos; }

bool is_hash_text(std::string_view text) {
  if (text.size() != genesis_hash.size()) return false;
  for (const char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool is_json(std::string_view text) {
  boost::system::error_code error;
  [[maybe_unused]] const auto parsed = boost::json::parse(text, error);
  return !error;
}

VerifyResult failed(VerifyResult::Failure failure, std::size_t index, const Entry& entry, std::string reason) {
  return {failure, index, entry.seq, std::move(reason)};
}

}  // namespace

std::string entry_hash(const Entry& entry) {
  std::string canonical;
  canonical.reserve(entry.prev_hash.size() + entry.at.size() + entry.kind.size() + entry.subject.size() +
                    entry.body.size() + 32);
  canonical += entry.prev_hash;
  canonical += '\n';
  canonical += std::to_string(entry.seq);
  canonical += '\n';
  canonical += entry.at;
  canonical += '\n';
  canonical += entry.kind;
  canonical += '\n';
  canonical += entry.subject;
  canonical += '\n';
  canonical += entry.body;
  return hex_encode(crypto::bytes_of(crypto::sha256(canonical)));
}

Result<Entry> append(const std::optional<Entry>& head, EntryFields fields) {
  if (!unix_us_from_rfc3339(fields.at)) return make_error(ErrorCode::invalid_field, "audit entry: at is not RFC 3339");
  if (fields.kind.empty()) return make_error(ErrorCode::invalid_field, "audit entry: kind is empty");
  if (has_newline(fields.at) || has_newline(fields.kind) || has_newline(fields.subject)) {
    return make_error(ErrorCode::invalid_field, "audit entry: only the body may contain a newline");
  }
  if (!is_json(fields.body)) return make_error(ErrorCode::invalid_field, "audit entry: body is not JSON");
  Entry entry;
  entry.seq = head ? head->seq + 1 : 1;
  entry.at = std::move(fields.at);
  entry.kind = std::move(fields.kind);
  entry.subject = std::move(fields.subject);
  entry.body = std::move(fields.body);
  entry.prev_hash = head ? head->hash : std::string(genesis_hash);
  entry.hash = entry_hash(entry);
  return entry;
}

VerifyResult verify(const std::vector<Entry>& entries) {
  using Failure = VerifyResult::Failure;
  for (std::size_t index = 0; index < entries.size(); ++index) {
    const Entry& entry = entries[index];
    if (!is_hash_text(entry.prev_hash) || !is_hash_text(entry.hash)) {
      return failed(Failure::malformed, index, entry, "prev_hash or hash is not 64 lowercase hex digits");
    }
    if (has_newline(entry.at) || has_newline(entry.kind) || has_newline(entry.subject)) {
      return failed(Failure::malformed, index, entry, "a newline in at, kind or subject");
    }
    const std::uint64_t expected_seq = index + 1;
    if (entry.seq != expected_seq) {
      return failed(Failure::seq_gap, index, entry, "seq " + std::to_string(entry.seq) + " where " +
                                                        std::to_string(expected_seq) + " was expected");
    }
    if (index == 0 && entry.prev_hash != genesis_hash) {
      return failed(Failure::bad_genesis, index, entry, "the first entry's prev_hash is not the genesis hash");
    }
    if (index > 0 && entry.prev_hash != entries[index - 1].hash) {
      return failed(Failure::broken_link, index, entry, "prev_hash is not the previous entry's hash");
    }
    if (entry.hash != entry_hash(entry)) {
      return failed(Failure::hash_mismatch, index, entry, "the stored hash does not match the entry");
    }
  }
  return {};
}

}  // namespace frontdesk::audit
