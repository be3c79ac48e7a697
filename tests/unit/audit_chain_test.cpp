#include <catch2/catch.hpp>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "core/audit/chain.hpp"

using namespace frontdesk;
using namespace frontdesk::audit;
using Failure = VerifyResult::Failure;

namespace {

Entry must_append(const std::optional<Entry>& head, EntryFields fields) {
  auto entry = append(head, std::move(fields));
  REQUIRE(entry.ok());
  return std::move(entry.value());
}

// Five decisions, as the ledger would append them.
std::vector<Entry> chain_of_five() {
  std::vector<Entry> chain;
  std::optional<Entry> head;
  for (int i = 0; i < 5; ++i) {
    const auto n = std::to_string(i);
    head = must_append(head, {"2024-05-01T10:00:0" + n + ".000Z", "decision", "v3:call-" + n,
                              R"({"decision":"screened","score":)" + n + "}"});
    chain.push_back(*head);
  }
  return chain;
}

}  // namespace

TEST_CASE("the entry hash is SHA-256 of the documented canonical form (independently computed vectors)") {
  const auto first = must_append(std::nullopt, {"2024-05-01T10:00:00.000Z", "decision", "v3:abc",
                                                R"({"decision":"rejected","score":12})"});
  CHECK(first.seq == 1);
  CHECK(first.prev_hash == std::string(64, '0'));
  CHECK(first.hash == "bb90308e70f82788e4a1632b1fc15c2db7894266d38e8e197f784ec4fe084f18");
  const auto second = must_append(first, {"2024-05-01T10:00:01.000Z", "decision", "v3:def", R"({"decision":"answered"})"});
  CHECK(second.seq == 2);
  CHECK(second.prev_hash == first.hash);
  CHECK(second.hash == "763594139ec5166003366b2e2dcc16b2ba70cf2da935aa2310c1515fdf2028b6");
  CHECK(entry_hash(second) == second.hash);
}

TEST_CASE("an appended chain verifies, and so does an empty one") {
  const auto result = verify(chain_of_five());
  CHECK(result.ok());
  CHECK(result.failure == Failure::none);
  CHECK(result.reason.empty());
  CHECK(verify({}).ok());
  CHECK(verify({chain_of_five().front()}).ok());
}

TEST_CASE("editing any field of one stored entry makes verify fail at that entry") {
  struct Edit {
    const char* field;
    std::function<void(Entry&)> apply;
    Failure failure;
  };
  const std::vector<Edit> edits{
      {"seq", [](Entry& e) { e.seq = 7; }, Failure::seq_gap},
      {"at", [](Entry& e) { e.at = "2024-05-01T10:00:09.000Z"; }, Failure::hash_mismatch},
      {"kind", [](Entry& e) { e.kind = "note"; }, Failure::hash_mismatch},
      {"subject", [](Entry& e) { e.subject = "v3:someone-else"; }, Failure::hash_mismatch},
      {"body", [](Entry& e) { e.body = R"({"decision":"allowlisted","score":2})"; }, Failure::hash_mismatch},
      {"body by one space", [](Entry& e) { e.body += " "; }, Failure::hash_mismatch},
      {"prev_hash", [](Entry& e) { e.prev_hash[0] = e.prev_hash[0] == 'a' ? 'b' : 'a'; }, Failure::broken_link},
      {"hash", [](Entry& e) { e.hash[63] = e.hash[63] == 'a' ? 'b' : 'a'; }, Failure::hash_mismatch},
      {"hash in capitals", [](Entry& e) { e.hash[0] = 'A'; }, Failure::malformed},
  };
  for (const auto& edit : edits) {
    INFO(edit.field);
    auto chain = chain_of_five();
    edit.apply(chain[2]);
    const auto result = verify(chain);
    CHECK(result.failure == edit.failure);
    CHECK(result.index == 2);
    CHECK(result.seq == chain[2].seq);
    CHECK_FALSE(result.reason.empty());
  }
}

TEST_CASE("an edited entry whose hash is recomputed breaks the link of the entry after it") {
  auto chain = chain_of_five();
  chain[2].body = R"({"decision":"allowlisted"})";
  chain[2].hash = entry_hash(chain[2]);
  const auto result = verify(chain);
  CHECK(result.failure == Failure::broken_link);
  CHECK(result.index == 3);
  CHECK(result.seq == 4);
  CHECK(result.reason == "prev_hash is not the previous entry's hash");
}

TEST_CASE("deleting an entry makes verify fail at the entry that followed it") {
  auto chain = chain_of_five();
  chain.erase(chain.begin() + 2);
  const auto result = verify(chain);
  CHECK(result.failure == Failure::seq_gap);
  CHECK(result.index == 2);
  CHECK(result.seq == 4);
  CHECK(result.reason == "seq 4 where 3 was expected");
}

TEST_CASE("deleting an entry and renumbering the rest still fails at the gap") {
  auto chain = chain_of_five();
  chain.erase(chain.begin() + 2);
  for (std::size_t i = 2; i < chain.size(); ++i) chain[i].seq = i + 1;
  const auto result = verify(chain);
  CHECK(result.failure == Failure::broken_link);
  CHECK(result.index == 2);
  CHECK(result.seq == 3);
}

TEST_CASE("deleting the first entry fails at the new first entry") {
  auto chain = chain_of_five();
  chain.erase(chain.begin());
  const auto result = verify(chain);
  CHECK(result.failure == Failure::seq_gap);
  CHECK(result.index == 0);
  CHECK(result.seq == 2);
}

TEST_CASE("deleting the last entry is not detectable from the entries alone") {
  // The ledger keeps the chain head (seq and hash) apart from the entries for this.
  auto chain = chain_of_five();
  chain.pop_back();
  CHECK(verify(chain).ok());
}

TEST_CASE("reordering two entries makes verify fail at the first one out of place") {
  auto chain = chain_of_five();
  std::swap(chain[1], chain[3]);
  const auto result = verify(chain);
  CHECK(result.failure == Failure::seq_gap);
  CHECK(result.index == 1);
  CHECK(result.seq == 4);
}

TEST_CASE("changing the first entry's prev_hash fails at the first entry") {
  auto chain = chain_of_five();
  chain[0].prev_hash = std::string(63, '0') + "1";
  const auto result = verify(chain);
  CHECK(result.failure == Failure::bad_genesis);
  CHECK(result.index == 0);
  CHECK(result.seq == 1);
  CHECK(result.reason == "the first entry's prev_hash is not the genesis hash");
}

TEST_CASE("a chain rebuilt on a different genesis still fails at its first entry") {
  auto chain = chain_of_five();
  Entry forged = chain[0];
  forged.prev_hash = std::string(64, 'f');
  forged.hash = entry_hash(forged);
  chain[0] = forged;
  CHECK(verify(chain).failure == Failure::bad_genesis);
}

TEST_CASE("moving the body's first line into the subject is caught, though the canonical bytes match") {
  auto head = must_append(std::nullopt, {"2024-05-01T10:00:00.000Z", "decision", "v3:abc", "{\n\"score\":1}"});
  Entry shifted = head;
  shifted.subject = "v3:abc\n{";
  shifted.body = "\"score\":1}";
  REQUIRE(entry_hash(shifted) == head.hash);
  const auto result = verify({shifted});
  CHECK(result.failure == Failure::malformed);
  CHECK(result.index == 0);
}

TEST_CASE("append refuses what the canonical form cannot hold unambiguously") {
  const auto refused = [](EntryFields fields) {
    const auto entry = append(std::nullopt, std::move(fields));
    REQUIRE_FALSE(entry.ok());
    CHECK(entry.error().code == ErrorCode::invalid_field);
    return entry.error().message;
  };
  CHECK(refused({"yesterday", "decision", "v3:abc", "{}"}) == "audit entry: at is not RFC 3339");
  CHECK(refused({"2024-05-01T10:00:00Z", "", "v3:abc", "{}"}) == "audit entry: kind is empty");
  CHECK(refused({"2024-05-01T10:00:00Z", "deci\nsion", "v3:abc", "{}"}) ==
        "audit entry: only the body may contain a newline");
  CHECK(refused({"2024-05-01T10:00:00Z", "decision", "v3:abc\n", "{}"}) ==
        "audit entry: only the body may contain a newline");
  CHECK(refused({"2024-05-01T10:00:00Z", "decision", "v3:abc", "{not json"}) == "audit entry: body is not JSON");
  CHECK(append(std::nullopt, {"2024-05-01T10:00:00Z", "decision", "", "{\n}"}).ok());
}

TEST_CASE("append continues from the stored head: seq and link follow from it") {
  const auto chain = chain_of_five();
  const auto next = must_append(chain.back(), {"2024-05-01T10:01:00Z", "decision", "v3:x", "{}"});
  CHECK(next.seq == 6);
  CHECK(next.prev_hash == chain.back().hash);
  auto longer = chain;
  longer.push_back(next);
  CHECK(verify(longer).ok());
}
