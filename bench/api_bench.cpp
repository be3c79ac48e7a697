// The API's costs per request (docs/api.md) on the real native host (bench/bench_host.hpp:
// Host + Store on a temporary SQLite database, fixed clock, the io_context run until the
// response is done).
//
// Token verification, the price every authenticated request pays before its handler:
//   BM_Api_TokenCpu                      the pure CPU part: bearer parse, well_formed_token,
//                                        token_hash (SHA-256), no I/O
//   BM_Api_Host_TokenVerify/<dir>        GET /api/v1/calls with a token minted by the ledger
//                                        op token_create that lacks calls:read: bearer parse
//                                        → SHA-256 → kv.get token:<hash> → ledger authorize
//                                        (rate-limit count, last_used_at) → scope check → 403.
//                                        The whole verification and no handler work. The
//                                        token's rate_limit is huge, so it is never 429.
//   BM_Api_Host_BadToken/<dir>           a well-formed token never minted: 401 at the KV miss
//   BM_Api_StepProtocol_MemorySqlite_TokenVerify
//                                        the same 403 through the JSON step protocol with
//                                        in-memory SQLite objects: the native side of
//                                        bench/api-wasm-bench.mjs (steps_per_request, and
//                                        in_runtime_us: the time inside Runtime::step, the
//                                        peer of the time inside fd_step)
// <dir>: "disk" (the system temp directory, synchronous=FULL so fsyncs: authorize writes)
// or "tmpfs" (/dev/shm, fsync free), as in bench/pipeline_bench.cpp.
//
// GET /api/v1/calls over a ledger of 100 000 calls (seeded straight into the ledger's
// SQLite file in one transaction: rows as the ledger's receive writes them, records built by
// core's own call state machine and screening, identities for two callers in three):
//   BM_Api_Host_ListCalls_First/<dir>    ?limit=50, the newest page
//   BM_Api_Host_ListCalls_Deep/<dir>     ?limit=50&cursor=… 50 000 calls down (the cursor
//                                        reached by following next_cursor)
//   BM_Api_Host_ListCalls_Status/<dir>   ?limit=50&status=missed
// each with the token verification included (a token holding calls:read).
//   BM_Api_ListCalls_QueryPlan           the SQL the core sends for those requests (captured
//                                        by driving them through core's Session in-process,
//                                        not copied here) under EXPLAIN QUERY PLAN on the
//                                        100 000-call ledger, printed; fails unless every
//                                        table access is a SEARCH on an index or the INTEGER
//                                        PRIMARY KEY (no SCAN, automatic index or sort) and
//                                        the calls are searched by the cursor, or by the
//                                        status for the filtered page. The from and since
//                                        filters are shown too, not judged.
// Every timed benchmark reports p50_us and p99_us (per request) beside the mean.
#include <benchmark/benchmark.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "bench_host.hpp"
#include "core/api/tokens.hpp"
#include "core/event.hpp"
#include "core/reception/call_state.hpp"
#include "core/reception/screening.hpp"
#include "core/runtime.hpp"
#include "core/session.hpp"
#include "core/time.hpp"
#include "local_effects.hpp"
#include "sqlite.hpp"

namespace {
namespace json = boost::json;
using namespace frontdesk;
using namespace frontdesk::bench;

constexpr std::string_view tenant = "acme";
constexpr std::string_view our_number = "+18886115384";
constexpr std::string_view registered = "+15555550123";
// Requests per minute: never reached, so verification always goes all the way.
constexpr std::int64_t unlimited = 1'000'000'000'000;
// Well formed (fd_ + 40 base62), never minted.
constexpr std::string_view never_minted = "fd_0123456789abcdefghijABCDEFGHIJ0123456789";

// The tenant as tests/scenarios/targets.mjs configures it (known-only screening).
std::string config_json() {
  const json::object config{
      {"tenants",
       {{tenant,
         {{"numbers", {our_number}},
          {"registry", {{registered, "alice.x"}}},
          {"policy",
           {{"screening", "known-only"},
            {"reject_message", "Known callers only. Text us & we call back in < 1 hour."}}}}}}},
  };
  return json::serialize(config);
}

json::object token_create(std::initializer_list<std::string_view> scopes) {
  json::array list;
  for (const auto scope : scopes) list.emplace_back(scope);
  return {{"op", "token_create"},
          {"name", "bench"},
          {"scopes", std::move(list)},
          {"rate_limit", unlimited},
          {"created_by", "bench"}};
}

// A token minted by the tenant ledger's own op, as `frontdesk token create` mints one.
std::string mint(NativeHost& host, std::initializer_list<std::string_view> scopes) {
  const auto reply = json::parse(host.ledger(token_create(scopes), tenant));
  return std::string(reply.at("plaintext").as_string());
}

Request calls_request(std::string query, std::string_view token) {
  Request request;
  request.method = "GET";
  request.path = "/api/v1/calls";
  request.query = std::move(query);
  request.headers.add("authorization", "Bearer " + std::string(token));
  return request;
}

std::string header(const Response& response, std::string_view name) {
  return std::string(response.headers.get(name).value_or(""));
}

// 403 after the whole verification: the ledger authorized the token (its rate headers
// carry the token's own limit), then the scope check refused it.
bool verified_then_forbidden(const Response& response) {
  return response.status == 403 && header(response, "ratelimit-limit") == std::to_string(unlimited) &&
         response.body.find("calls:read") != std::string::npos;
}

bool unauthenticated(const Response& response) {
  return response.status == 401 && !response.headers.has("ratelimit-limit") &&
         response.body.find("a valid API token is required") != std::string::npos;
}

std::string describe(const Response& response) { return std::to_string(response.status) + " " + response.body; }

// ---- token verification ----

void BM_Api_TokenCpu(benchmark::State& state) {
  const std::string authorization = "Bearer " + std::string(never_minted);
  for (auto _ : state) {
    const auto token = api::bearer_token(std::optional<std::string_view>{authorization});
    if (!token || !api::well_formed_token(*token)) return state.SkipWithError("the token did not parse");
    auto hash = api::token_hash(*token);
    benchmark::DoNotOptimize(hash);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_Api_TokenCpu);

void BM_Api_Host_TokenVerify(benchmark::State& state, Dir dir) {
  try {
    NativeHost host(dir, config_json());
    const auto request = calls_request("limit=50", mint(host, {"messages:read", "registry:read"}));
    if (const auto first = host.deliver(request); !verified_then_forbidden(first)) {
      return state.SkipWithError(("not a verified 403: " + describe(first)).c_str());
    }
    Latencies latencies;
    for (auto _ : state) {
      auto copy = request;
      const auto response = latencies.time([&] { return host.deliver(std::move(copy)); });
      if (!verified_then_forbidden(response)) {
        return state.SkipWithError(("not a verified 403: " + describe(response)).c_str());
      }
    }
    // The ledger counted every request in the token's rate window: the first, the timed
    // ones and this last one.
    const auto last = host.deliver(request);
    const auto requests = static_cast<std::int64_t>(state.iterations()) + 2;
    if (header(last, "ratelimit-remaining") != std::to_string(unlimited - requests)) {
      return state.SkipWithError(("the rate window did not count every request: " + header(last, "ratelimit-remaining"))
                                     .c_str());
    }
    latencies.report(state);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  } catch (const std::exception& error) {
    state.SkipWithError(error.what());
  }
}
BENCHMARK_CAPTURE(BM_Api_Host_TokenVerify, disk, Dir::disk)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_Api_Host_TokenVerify, tmpfs, Dir::tmpfs)->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_Api_Host_BadToken(benchmark::State& state, Dir dir) {
  try {
    NativeHost host(dir, config_json());
    mint(host, {"calls:read"});  // the tenant has a token; this is not it
    const auto request = calls_request("limit=50", never_minted);
    Latencies latencies;
    for (auto _ : state) {
      auto copy = request;
      const auto response = latencies.time([&] { return host.deliver(std::move(copy)); });
      if (!unauthenticated(response)) return state.SkipWithError(("not a 401: " + describe(response)).c_str());
    }
    latencies.report(state);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  } catch (const std::exception& error) {
    state.SkipWithError(error.what());
  }
}
BENCHMARK_CAPTURE(BM_Api_Host_BadToken, disk, Dir::disk)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_Api_Host_BadToken, tmpfs, Dir::tmpfs)->Unit(benchmark::kMicrosecond)->UseRealTime();

// The step protocol's done output, read like a Response.
Response response_of(const json::object& output) {
  Response response;
  const auto* answer = output.if_contains("response");
  if (!answer) {
    response.status = 500;
    response.body = json::serialize(output);
    return response;
  }
  response.status = static_cast<int>(answer->at("status").as_int64());
  for (const auto& pair : answer->at("headers").as_array()) {
    const auto& entry = pair.as_array();
    response.headers.add(std::string(entry[0].as_string()), std::string(entry[1].as_string()));
  }
  auto body = base64_decode(answer->at("body_b64").as_string());
  response.body = body ? std::move(*body) : std::string{};
  return response;
}

void BM_Api_StepProtocol_MemorySqlite_TokenVerify(benchmark::State& state) {
  try {
    Runtime runtime(runtime_init(config_json()));
    MemoryHost host(runtime);
    const auto minted = host.call_object("ledger", std::string(tenant),
                                         json::string(json::serialize(token_create({"messages:read"}))));
    if (!minted.contains("reply")) return state.SkipWithError(("token_create: " + json::serialize(minted)).c_str());
    const auto token = json::parse(minted.at("reply").as_string()).at("token").as_string();
    const auto input = step_input(calls_request("limit=50", token));
    if (const auto first = response_of(host.drive(input, nullptr)); !verified_then_forbidden(first)) {
      return state.SkipWithError(("not a verified 403: " + describe(first)).c_str());
    }
    host.steps = 0;
    host.in_runtime = {};
    Latencies latencies;
    for (auto _ : state) {
      const auto output = latencies.time([&] { return host.drive(input, nullptr); });
      if (const auto response = response_of(output); !verified_then_forbidden(response)) {
        return state.SkipWithError(("not a verified 403: " + describe(response)).c_str());
      }
    }
    const auto requests = static_cast<double>(state.iterations());
    state.counters["steps_per_request"] = static_cast<double>(host.steps) / requests;
    state.counters["in_runtime_us"] = std::chrono::duration<double, std::micro>(host.in_runtime).count() / requests;
    latencies.report(state);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  } catch (const std::exception& error) {
    state.SkipWithError(error.what());
  }
}
BENCHMARK(BM_Api_StepProtocol_MemorySqlite_TokenVerify)->Unit(benchmark::kMicrosecond)->UseRealTime();

// ---- a ledger of 100 000 calls ----

constexpr std::int64_t seeded_calls = 100'000;
constexpr std::int64_t parties = 20'000;                   // distinct callers and callees
constexpr std::int64_t span_ms = 90LL * 24 * 3600 * 1000;  // the calls of the last 90 days
constexpr std::int64_t deep_rows = 50'000;                 // the deep page starts this far down
constexpr std::string_view filtered_status = "missed";     // about one call in six

// splitmix64: a fixed, well-spread pseudo-random value per call.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::string hex64(std::uint64_t value) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(value));
  return text;
}

// +1 555 NXX XXXX with N in 2–9 (valid NANP), as freshNumber() in the scenarios.
std::string party_phone(std::int64_t party) { return "+1555" + std::to_string(2000000 + party); }
// The provider's call id of the i-th seeded call (oldest first; its seq is i + 1).
std::string provider_call_id(std::int64_t i) { return "v3:seed-" + hex64(static_cast<std::uint64_t>(i)); }

// Who a party is to the tenant's screening: one in fifty blocked, a quarter unknown (so
// rejected under known-only), the rest in the registry.
reception::DirectoryFacts directory_of(std::int64_t party) {
  reception::DirectoryFacts facts;
  if (party % 50 == 49) {
    facts.blocklisted = true;
  } else if (party % 4 != 3) {
    facts.registry_namespace = "bench.x";
  }
  return facts;
}

bool has_identity(std::int64_t party) { return party % 3 != 0; }

struct Sighting {
  std::int64_t calls = 0;
  std::string first_seen;
  std::string last_seen;
};

// The rows the ledger's receive would have written for 100 000 calls (the pipeline's own
// records: built by reception::apply/mark_rejected from Telnyx-like events, with the
// decision reception::screen makes for the caller), and the identities it would have
// noted for their parties.
class LedgerSeeder {
 public:
  explicit LedgerSeeder(const reception::TenantPolicy& policy) : policy_(policy) {}

  static constexpr std::string_view insert_call =
      "INSERT INTO calls (call_key, call_id, source, provider, provider_call_id, from_number, to_number, direction, "
      "state, started_at, started_ms, updated_at, outcome, action, trust_score, record) "
      "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
  static constexpr std::string_view insert_identity =
      "INSERT INTO identities (id, phone, first_seen, last_seen, calls, messages) VALUES (?, ?, ?, ?, ?, 0)";

  std::vector<SqlValue> call_row(std::int64_t i) {
    const auto h = mix(static_cast<std::uint64_t>(i));
    const auto party = static_cast<std::int64_t>(h % static_cast<std::uint64_t>(parties));
    const bool outbound = (h >> 20) % 10 == 0;
    const auto roll = (h >> 32) % 100;
    const std::int64_t started_ms = now_ms - span_ms + i * (span_ms / seeded_calls);
    const auto phone = party_phone(party);
    const auto ccid = provider_call_id(i);

    Event base;
    base.source = "telnyx";
    base.provider = "telnyx";
    base.kind = EventKind::call;
    base.tenant = std::string(tenant);
    base.call_id = ccid;
    base.from = outbound ? std::string(our_number) : phone;
    base.to = outbound ? phone : std::string(our_number);
    base.direction = outbound ? Direction::outbound : Direction::inbound;
    base.stir_attestation = "A";
    base.stir_verified = "true";
    int events = 0;
    std::int64_t last_ms = started_ms;
    reception::CallRecord record;
    const auto happen = [&](std::string type, std::int64_t after_ms) {
      Event event = base;
      event.type = std::move(type);
      event.provider_event_id = "0ccc7b54-4df3-4bca-" + hex64(h + static_cast<std::uint64_t>(events++));
      event.occurred_at = rfc3339_from_ms(started_ms + after_ms);
      last_ms = std::max(last_ms, started_ms + after_ms);
      reception::apply(record, event);
    };
    happen("call.initiated", 0);

    json::value decision = nullptr;
    bool refused = false;
    if (!outbound) {
      reception::ScreeningInput input;
      input.caller = phone;
      input.attestation = "A";
      input.verified = "true";
      input.answered_calls = static_cast<std::int64_t>(roll % 7);
      input.recent_calls = 1;
      input.directory = directory_of(party);
      const auto decided = reception::screen(input, policy_);
      decision = reception::decision_to_json(decided);
      record.decision = json::serialize(decision);
      refused = decided.outcome == reception::Outcome::blocked || decided.outcome == reception::Outcome::rejected;
      if (refused) {
        reception::mark_rejected(record, rfc3339_from_ms(started_ms + 1200));
        last_ms = started_ms + 1200;
      }
    }
    if (!refused) {
      const std::int64_t talk_ms = 30'000 + static_cast<std::int64_t>((h >> 40) % 570) * 1000;
      if (roll < 72) {  // answered and hung up
        happen("call.answered", 6'000);
        happen("call.hangup", 6'000 + talk_ms);
      } else if (roll < 94) {  // nobody answered
        happen("call.hangup", 25'000);
      } else if (roll < 97) {
        happen("call.ringing", 1'000);
      } else if (roll < 99) {
        happen("call.answered", 6'000);
      }
    }

    auto& seen = sightings_[party];
    ++seen.calls;
    if (seen.first_seen.empty()) seen.first_seen = rfc3339_from_ms(started_ms);
    seen.last_seen = rfc3339_from_ms(started_ms);

    const auto* fields = decision.if_object();
    const auto text_field = [&](std::string_view name) -> SqlValue {
      if (!fields) return SqlValue{};
      return SqlValue{std::string(fields->at(name).as_string())};
    };
    const SqlValue score =
        fields ? SqlValue{fields->at("trust").as_object().at("score").as_int64()} : SqlValue{};
    const auto json_record = reception::to_json(record);
    return {SqlValue{std::string(tenant) + ":telnyx:" + ccid},
            SqlValue{"call_" + hex64(mix(h)).substr(0, 4) + hex64(h)},
            SqlValue{std::string("telnyx")},
            SqlValue{std::string("telnyx")},
            SqlValue{ccid},
            SqlValue{record.from},
            SqlValue{record.to},
            SqlValue{record.direction},
            SqlValue{std::string(reception::call_state_name(record.state))},
            SqlValue{record.started_at},
            SqlValue{started_ms},
            SqlValue{rfc3339_from_ms(last_ms)},
            text_field("outcome"),
            text_field("action"),
            score,
            SqlValue{json::serialize(json_record)}};
  }

  // The identities of the parties seen, for two parties in three.
  std::vector<std::vector<SqlValue>> identity_rows() const {
    std::vector<std::vector<SqlValue>> rows;
    for (const auto& [party, seen] : sightings_) {
      if (!has_identity(party)) continue;
      rows.push_back({SqlValue{"idn_" + hex64(mix(static_cast<std::uint64_t>(party) + 7)).substr(0, 4) +
                               hex64(static_cast<std::uint64_t>(party))},
                      SqlValue{party_phone(party)}, SqlValue{seen.first_seen}, SqlValue{seen.last_seen},
                      SqlValue{seen.calls}});
    }
    return rows;
  }

 private:
  const reception::TenantPolicy& policy_;
  std::map<std::int64_t, Sighting> sightings_;
};

void run_insert(native::Database& db, std::string_view sql, const std::vector<SqlValue>& params) {
  auto statement = db.prepare(sql);
  if (!statement) fail("prepare: " + statement.error().message);
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (auto bound = statement->bind(static_cast<int>(i + 1), params[i]); !bound) fail(bound.error().message);
  }
  if (auto ran = statement->run(); !ran) fail("insert: " + ran.error().message);
}

// Straight into the ledger's file (<db>.objects/ledger/acme.sqlite), one transaction, on a
// connection of its own; the ledger's tables exist already (a token was minted).
void seed_ledger(NativeHost& host) {
  const auto& policy = host.app.settings().tenants.at(std::string(tenant)).policy;
  auto db = native::Database::open(host.store.object_path(ObjectKey{"ledger", std::string(tenant)}));
  if (!db) fail("open the ledger: " + db.error().message);
  if (auto began = db->exec("BEGIN IMMEDIATE"); !began) fail(began.error().message);
  LedgerSeeder seeder(policy);
  for (std::int64_t i = 0; i < seeded_calls; ++i) run_insert(*db, LedgerSeeder::insert_call, seeder.call_row(i));
  for (const auto& row : seeder.identity_rows()) run_insert(*db, LedgerSeeder::insert_identity, row);
  if (auto committed = db->exec("COMMIT"); !committed) fail(committed.error().message);
}

json::object body_of(const Response& response) {
  json::error_code ec;
  auto parsed = json::parse(response.body, ec);
  if (ec || !parsed.is_object()) fail("not a JSON object: " + describe(response));
  return std::move(parsed.get_object());
}

// The ledger, seeded once per directory kind and kept for every benchmark that lists it.
struct CallsLedger {
  explicit CallsLedger(Dir dir) : host(dir, config_json()) {
    reader = mint(host, {"calls:read"});
    seed_ledger(host);
    // Down the list by its own cursors (200 a page), to 50 000 calls below the newest.
    std::string cursor;
    for (std::int64_t passed = 0; passed < deep_rows; passed += 200) {
      auto query = std::string("limit=200") + (cursor.empty() ? "" : "&cursor=" + cursor);
      const auto response = host.deliver(calls_request(std::move(query), reader));
      if (response.status != 200) fail("following the cursor: " + describe(response));
      cursor = std::string(body_of(response).at("next_cursor").as_string());
    }
    deep_cursor = cursor;
  }

  NativeHost host;
  std::string reader;  // a token holding calls:read
  std::string deep_cursor;
};

CallsLedger& calls_ledger(Dir dir) {
  static std::map<Dir, std::unique_ptr<CallsLedger>> ledgers;
  auto& ledger = ledgers[dir];
  if (!ledger) ledger = std::make_unique<CallsLedger>(dir);
  return *ledger;
}

enum class Listing { first, deep, status };

std::string listing_query(const CallsLedger& ledger, Listing listing) {
  switch (listing) {
    case Listing::first:
      return "limit=50";
    case Listing::deep:
      return "limit=50&cursor=" + ledger.deep_cursor;
    case Listing::status:
      return "limit=50&status=" + std::string(filtered_status);
  }
  return "limit=50";
}

// The page is the right one: 50 calls, newest first, more to come; the newest page and the
// deep one start where they should; a filtered page holds only that status; identities
// are joined.
std::string page_problem(const Response& response, Listing listing) {
  if (response.status != 200) return "not 200: " + describe(response);
  const auto body = body_of(response);
  const auto& data = body.at("data").as_array();
  if (data.size() != 50 || !body.at("has_more").as_bool() || !body.at("next_cursor").is_string()) {
    return "not a full page with more to come: " + std::to_string(data.size()) + " calls";
  }
  std::string previous;
  std::size_t identities = 0;
  for (const auto& item : data) {
    const auto& call = item.as_object();
    const auto started = std::string(call.at("started_at").as_string());
    if (!previous.empty() && started > previous) return "not newest first at " + started;
    previous = started;
    if (listing == Listing::status && call.at("state").as_string() != filtered_status) {
      return "a call in state " + std::string(call.at("state").as_string());
    }
    if (!call.at("identity_id").is_null()) ++identities;
    if (!call.at("decision").is_null() && !call.at("decision").as_object().contains("trust")) {
      return "a decision without trust factors";
    }
  }
  if (identities == 0) return "no call has its identity";
  const auto first = std::string(data[0].as_object().at("provider_call_id").as_string());
  if (listing == Listing::first && first != provider_call_id(seeded_calls - 1)) {
    return "the newest page starts at " + first;
  }
  if (listing == Listing::deep && first != provider_call_id(seeded_calls - 1 - deep_rows)) {
    return "the deep page starts at " + first;
  }
  return {};
}

void BM_Api_Host_ListCalls(benchmark::State& state, Dir dir, Listing listing) {
  try {
    auto& ledger = calls_ledger(dir);
    const auto request = calls_request(listing_query(ledger, listing), ledger.reader);
    const auto checked = ledger.host.deliver(request);
    if (const auto problem = page_problem(checked, listing); !problem.empty()) {
      return state.SkipWithError(problem.c_str());
    }
    Latencies latencies;
    for (auto _ : state) {
      auto copy = request;
      const auto response = latencies.time([&] { return ledger.host.deliver(std::move(copy)); });
      // The same page every time (fixed clock, nothing written to the calls).
      if (response.status != 200 || response.body.size() != checked.body.size()) {
        return state.SkipWithError(("another answer: " + describe(response)).c_str());
      }
    }
    latencies.report(state);
    state.counters["page_bytes"] = static_cast<double>(checked.body.size());
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  } catch (const std::exception& error) {
    state.SkipWithError(error.what());
  }
}

void BM_Api_Host_ListCalls_First(benchmark::State& state, Dir dir) {
  BM_Api_Host_ListCalls(state, dir, Listing::first);
}
void BM_Api_Host_ListCalls_Deep(benchmark::State& state, Dir dir) {
  BM_Api_Host_ListCalls(state, dir, Listing::deep);
}
void BM_Api_Host_ListCalls_Status(benchmark::State& state, Dir dir) {
  BM_Api_Host_ListCalls(state, dir, Listing::status);
}
BENCHMARK_CAPTURE(BM_Api_Host_ListCalls_First, disk, Dir::disk)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_Api_Host_ListCalls_First, tmpfs, Dir::tmpfs)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_Api_Host_ListCalls_Deep, disk, Dir::disk)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_Api_Host_ListCalls_Deep, tmpfs, Dir::tmpfs)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_Api_Host_ListCalls_Status, disk, Dir::disk)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_Api_Host_ListCalls_Status, tmpfs, Dir::tmpfs)->Unit(benchmark::kMicrosecond)->UseRealTime();

// ---- the query plans ----

// One request driven through core's Session in-process, each effect performed by the
// native host's own perform_local on the benchmark's Store; each object call a nested
// session on a connection of its own to the object's file, in a transaction rolled back
// afterwards (the ledger is left as it was). Every sql.exec is recorded with the op of the
// ledger message that sent it.
class RecordingHost {
 public:
  struct Sent {
    std::string op;
    SqlExec statement;
  };

  RecordingHost(const App& app, native::Store& store) : app_(app), store_(store) {}

  Response request(Request request) {
    auto session = Session::start(app_, std::move(request));
    run(*session, nullptr, "");
    return session->response();
  }

  std::vector<Sent> sent;

 private:
  void run(Session& session, ObjectDatabase* object, const std::string& op) {
    while (!session.done()) {
      auto effects = session.take_effects();
      if (effects.empty()) fail("a session stopped without finishing");
      std::vector<EffectResult> results;
      for (auto& pending : effects) results.push_back({pending.id, perform(pending.effect, object, op)});
      session.resume(std::move(results));
    }
  }

  Result<EffectOutput> perform(const Effect& effect, ObjectDatabase* object, const std::string& op) {
    if (const auto* call = std::get_if<ObjectCall>(&effect)) {
      auto reply = call_object(*call);
      if (!reply) return reply.error();
      return EffectOutput{std::in_place_type<std::string>, std::move(*reply)};
    }
    if (std::holds_alternative<AlarmSet>(effect)) return EffectOutput{std::monostate{}};
    if (std::holds_alternative<FetchRequest>(effect)) return Error{ErrorCode::internal, "no fetch here"};
    if (const auto* statement = std::get_if<SqlExec>(&effect)) sent.push_back({op, *statement});
    return native::perform_local(native::LocalEffects{store_, object, clock_, log_}, effect);
  }

  ObjectReply call_object(const ObjectCall& call) {
    auto& db = databases_[ObjectKey{call.kind, call.id}];
    if (!db) {
      auto opened = ObjectDatabase::open(store_.object_path(ObjectKey{call.kind, call.id}));
      if (!opened) return opened.error();
      db = std::move(*opened);
    }
    json::error_code ec;
    const auto message = json::parse(call.message, ec);
    const auto* op = ec || !message.is_object() ? nullptr : message.get_object().if_contains("op");
    const std::string op_name = op && op->is_string() ? std::string(op->get_string()) : call.kind;
    if (auto began = db->begin(); !began) return began.error();
    auto session = Session::start(app_, ObjectInvocation{call.kind, call.id, call.message});
    run(*session, db.get(), op_name);
    db->rollback();
    return session->reply();
  }

  const App& app_;
  native::Store& store_;
  native::Clock clock_ = [] { return now_ms; };
  native::LogSink log_ = native::discard_line;
  std::map<ObjectKey, std::unique_ptr<ObjectDatabase>> databases_;
};

struct PlanLine {
  int depth = 0;
  std::string detail;
};

std::vector<PlanLine> query_plan(native::Database& db, const SqlExec& statement) {
  auto explain = db.prepare("EXPLAIN QUERY PLAN " + statement.sql);
  if (!explain) fail("explain: " + explain.error().message);
  for (std::size_t i = 0; i < statement.params.size(); ++i) {
    if (auto bound = explain->bind(static_cast<int>(i + 1), statement.params[i]); !bound) fail(bound.error().message);
  }
  std::map<std::int64_t, int> depth_of;
  std::vector<PlanLine> plan;
  while (true) {
    auto row = explain->step();
    if (!row) fail("explain: " + row.error().message);
    if (!*row) break;
    const auto id = explain->column_int64(0);
    const auto parent = explain->column_int64(1);
    const int depth = depth_of.count(parent) ? depth_of[parent] + 1 : 0;
    depth_of[id] = depth;
    plan.push_back({depth, explain->column_text(3)});
  }
  return plan;
}

// What reads more than the rows it returns: a SCAN of a table or an index (not SCAN
// CONSTANT ROW), an index SQLite builds on the fly, or a temporary B-tree to sort (every
// matching row read before the first is returned).
bool full_pass(std::string_view detail) {
  return (detail.starts_with("SCAN ") && detail != "SCAN CONSTANT ROW") ||
         detail.find("AUTOMATIC") != std::string_view::npos || detail.find("TEMP B-TREE") != std::string_view::npos;
}

std::string params_text(const std::vector<SqlValue>& params) {
  json::array values;
  for (const auto& value : params) values.push_back(encode_sql_value(value));
  return json::serialize(values);
}

void BM_Api_ListCalls_QueryPlan(benchmark::State& state) {
  try {
    auto& ledger = calls_ledger(Dir::tmpfs);
    auto db = native::Database::open(ledger.host.store.object_path(ObjectKey{"ledger", std::string(tenant)}));
    if (!db) fail("open the ledger: " + db.error().message);
    // A SEARCH on the key alone would pass the rule above even for a filtered listing,
    // yet walk the table until a page of matches turns up (all of it for a rare status):
    // a filtered listing must also be constrained by its filter's column (`narrowed_by`,
    // as EXPLAIN names it), and a page by the cursor (rowid<? or seq<?).
    struct Case {
      std::string name;
      std::string query;
      bool required;  // must be indexed; otherwise shown only
      std::string narrowed_by;
    };
    const std::vector<Case> cases{
        {"newest page", listing_query(ledger, Listing::first), true, "<?"},
        {"deep page", listing_query(ledger, Listing::deep), true, "<?"},
        {"status filter", listing_query(ledger, Listing::status), true, "state=?"},
        {"from filter (shown only)", "limit=50&from=" + party_phone(42), false, "from_number=?"},
        {"since filter (shown only)", "limit=50&since=2023-11-14T12:00:00Z", false, "started_ms>?"},
    };
    std::vector<std::string> problems;
    std::set<std::string> shown;  // a statement sent again with the same parameters is shown once
    std::printf("EXPLAIN QUERY PLAN of the SQL the core sends for GET /api/v1/calls over %lld calls:\n",
                static_cast<long long>(seeded_calls));
    for (const auto& c : cases) {
      RecordingHost recorder(ledger.host.app, ledger.host.store);
      const auto response = recorder.request(calls_request(c.query, ledger.reader));
      if (response.status != 200) fail(c.name + ": " + describe(response));
      std::printf("\n== %s: GET /api/v1/calls?%s\n", c.name.c_str(), c.query.c_str());
      // The listing's own query is the last statement of list_calls (prepare()'s come first).
      std::size_t listing_index = recorder.sent.size();
      for (std::size_t i = 0; i < recorder.sent.size(); ++i) {
        if (recorder.sent[i].op == "list_calls") listing_index = i;
      }
      for (std::size_t i = 0; i < recorder.sent.size(); ++i) {
        const auto& [op, statement] = recorder.sent[i];
        const auto plan = query_plan(*db, statement);
        if (plan.empty()) continue;  // schema statements
        const bool listing = i == listing_index;
        const bool required = c.required || !listing;
        const auto report = [&](std::string problem) {
          if (required) problems.push_back(c.name + " [" + op + "]: " + problem);
          std::printf("    %s%s\n", required ? "PROBLEM: " : "(shown only) ", problem.c_str());
        };
        if (!shown.insert(statement.sql + params_text(statement.params)).second) continue;
        std::printf("  [%s] %s\n    params %s\n", op.c_str(), statement.sql.c_str(),
                    params_text(statement.params).c_str());
        bool narrowed = false;
        for (const auto& line : plan) {
          const bool bad = full_pass(line.detail);
          std::printf("    %*s%s%s\n", line.depth * 2, "", line.detail.c_str(), bad ? "   <-- a full pass" : "");
          if (bad) report("a full pass: " + line.detail);
          narrowed = narrowed ||
                     (line.detail.starts_with("SEARCH c ") && line.detail.find(c.narrowed_by) != std::string::npos);
        }
        if (listing && !narrowed) report("the calls are not searched by " + c.narrowed_by);
      }
    }
    std::printf("\n");
    std::fflush(stdout);
    for (auto _ : state) {
    }
    if (!problems.empty()) {
      std::string all = "not indexed:";
      for (const auto& problem : problems) all += " " + problem + ";";
      return state.SkipWithError(all.c_str());
    }
    state.SetLabel("every table access is an index or rowid SEARCH, narrowed by the filter");
  } catch (const std::exception& error) {
    state.SkipWithError(error.what());
  }
}
BENCHMARK(BM_Api_ListCalls_QueryPlan)->Iterations(1);

}  // namespace
