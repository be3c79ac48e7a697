#pragma once
// Ids that sort by when they were made: a 48-bit millisecond time, then random bytes, as
// UUIDv7 and KSUIDs are built. A ledger indexes its ids (events, calls, identities, texts)
// in unique B-trees; with random ids each new row's entry lands on a random page of an index
// as large as the history, and every such page is written to the WAL at the commit and again
// when the WAL is copied back. Time-ordered ids land beside the last one, on a page the
// commit writes anyway. The random part keeps them unguessable and unique.
#include <cstdint>
#include <string>
#include <string_view>

namespace frontdesk {

// prefix, 12 hex digits of the time (clamped to 0 .. 2^48 - 1), then the random bytes in hex.
std::string time_ordered_id(std::string_view prefix, std::int64_t now_ms, std::string_view random);

}  // namespace frontdesk
