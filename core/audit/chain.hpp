#pragma once
// The tamper-evident audit chain: every decision Frontdesk takes, each entry holding the hash
// of the one before, so editing, deleting or reordering a stored entry is detectable.
//
// Canonical form: an entry's hash is the lowercase hex SHA-256 of
//     prev_hash "\n" seq "\n" at "\n" kind "\n" subject "\n" body
// where seq is written in decimal without leading zeros and the other fields are their
// exact bytes. The first entry's prev_hash is 64 "0"s. Only body (last) may contain a
// newline: at, kind or subject with one could shift a field boundary (move body's first
// line into subject) and keep the hash, so append refuses them and verify fails them.
//
// No secrets go in: tokens, keys and signatures must never be part of a body or subject.
// The chain is for reading back; keeping secrets out of it is the caller's responsibility.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../result.hpp"

namespace frontdesk::audit {

inline constexpr std::string_view genesis_hash =
    "0000000000000000000000000000000000000000000000000000000000000000";

struct Entry {
  std::uint64_t seq = 0;  // 1-based, no gaps
  std::string at;         // RFC 3339
  std::string kind;       // "decision", …
  std::string subject;    // what it is about, e.g. the call id
  std::string body;       // a JSON text
  std::string prev_hash;  // hex; genesis_hash for seq 1
  std::string hash;       // hex, of the canonical form above
  bool operator==(const Entry&) const = default;
};

struct EntryFields {
  std::string at;
  std::string kind;
  std::string subject;
  std::string body;
};

// The hash the canonical form gives these fields (whatever the entry's stored hash says).
std::string entry_hash(const Entry& entry);

// The entry after head (the first one when there is no head): seq and prev_hash follow from
// head. invalid_field when `at` is not RFC 3339, kind is empty, at/kind/subject hold a
// newline, or body is not JSON.
Result<Entry> append(const std::optional<Entry>& head, EntryFields fields);

struct VerifyResult {
  enum class Failure {
    none,
    malformed,      // a hash that is not 64 lowercase hex digits, or a newline where none may be
    seq_gap,        // seq is not one more than the entry before (1 for the first)
    bad_genesis,    // the first entry's prev_hash is not 64 zeros
    broken_link,    // prev_hash is not the previous entry's hash
    hash_mismatch,  // the stored hash is not the hash of the entry's fields
  };
  Failure failure = Failure::none;
  std::size_t index = 0;  // position in the list of the first entry that fails
  std::uint64_t seq = 0;  // that entry's stored seq
  std::string reason;
  bool ok() const { return failure == Failure::none; }
};

// Checks the whole chain from its first entry, in list order; stops at the first failure.
// An empty chain verifies.
VerifyResult verify(const std::vector<Entry>& entries);

}  // namespace frontdesk::audit
