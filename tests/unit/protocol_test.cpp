// The object protocol's codec (core/objects/protocol.hpp) and the ledger's typed operations
// (core/objects/ledger/protocol.hpp): strict decoding, and docs/reception.md in step.
#include <boost/json.hpp>
#include <boost/mp11/algorithm.hpp>
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "core/objects/ledger/protocol.hpp"
#include "core/objects/protocol.hpp"

using namespace frontdesk;
using namespace frontdesk::objects::protocol;
namespace json = boost::json;

namespace {

Event call_event() {
  Event event;
  event.event_id = "evt_1";
  event.source = "telnyx";
  event.provider = "telnyx";
  event.kind = EventKind::call;
  event.type = "call.initiated";
  event.provider_event_id = "e1";
  event.occurred_at = "2026-11-21T00:00:00Z";
  event.received_at = "2026-11-21T00:00:01Z";
  event.tenant = "acme";
  event.call_id = "c1";
  event.from = "+15555550199";
  event.to = "+18886115384";
  event.direction = Direction::inbound;
  event.payload = R"({"data":{"event_type":"call.initiated"}})";
  event.duration_s = 12;
  return event;
}

json::object message_of(const Event& event) {
  return json::parse(encode_request<Receive>({event})).as_object();
}

}  // namespace

TEST_CASE("protocol: a request is its op and its fields, and decodes back to the same values") {
  const auto message = message_of(call_event());
  CHECK(message.begin()->key() == "op");
  CHECK(message.at("op") == "receive");
  CHECK(message.at("event").at("payload") == R"({"data":{"event_type":"call.initiated"}})");
  CHECK(message.at("event").at("duration_s") == 12);
  const auto decoded = decode_request<Receive>(message);
  REQUIRE(decoded);
  CHECK(json::value_from(decoded->event) == json::value_from(call_event()));
}

TEST_CASE("protocol: a missing field is an error naming it, however deep") {
  auto message = message_of(call_event());
  message.at("event").as_object().erase("source");
  const auto missing_deep = decode_request<Receive>(message);
  REQUIRE_FALSE(missing_deep);
  CHECK(missing_deep.error().code == ErrorCode::malformed_body);
  CHECK(missing_deep.error().message == "receive: event: source: missing");

  const auto missing = decode_request<Receive>(json::object{{"op", "receive"}});
  REQUIRE_FALSE(missing);
  CHECK(missing.error().message == "receive: event: missing");
}

TEST_CASE("protocol: a field of the wrong type is an error; an integer is never a float or a bool") {
  auto message = message_of(call_event());
  message.at("event").as_object()["duration_s"] = 1.5;
  const auto as_float = decode_request<Receive>(message);
  REQUIRE_FALSE(as_float);
  CHECK(as_float.error().message == "receive: event: duration_s: must be an integer");

  message.at("event").as_object()["duration_s"] = nullptr;  // optional: null is absent
  REQUIRE(decode_request<Receive>(message));

  message.at("event").as_object()["recipients"] = json::array{"+15555550100", 7};
  const auto in_array = decode_request<Receive>(message);
  REQUIRE_FALSE(in_array);
  CHECK(in_array.error().message == "receive: event: recipients[1]: has the wrong type");
}

TEST_CASE("protocol: a reply's optional field may be absent or null; a reply that does not decode is a storage fault") {
  const auto plain = decode_reply<Receive>(R"({"event_id":"evt_1","duplicate":false})");
  REQUIRE(plain);
  CHECK_FALSE(plain->twiml);
  CHECK(encode_reply<Receive>(*plain) == R"({"event_id":"evt_1","duplicate":false})");
  const auto with_twiml = decode_reply<Receive>(R"({"event_id":"evt_1","duplicate":true,"twiml":"<Response/>"})");
  REQUIRE(with_twiml);
  CHECK(with_twiml->twiml == "<Response/>");
  CHECK(encode_reply<Receive>(*with_twiml) == R"({"event_id":"evt_1","duplicate":true,"twiml":"<Response/>"})");

  const auto wrong = decode_reply<Receive>(R"({"event_id":"evt_1","duplicate":"no"})");
  REQUIRE_FALSE(wrong);
  CHECK(wrong.error().code == ErrorCode::storage_unavailable);
  CHECK(wrong.error().message == "receive reply: duplicate: has the wrong type");
  CHECK(decode_reply<Receive>("{").error().message == "receive reply is not JSON");
}

TEST_CASE("protocol: an enum is one of its names, and any other value is an error listing them") {
  const auto put = decode_request<ListPut>(json::object{{"list", "block"}, {"phone", "+15555550199"}});
  REQUIRE(put);
  CHECK(put->list == ListName::block);
  CHECK_FALSE(put->actor);
  CHECK(encode_request<ListPut>(*put) == R"({"op":"list_put","list":"block","phone":"+15555550199"})");

  const auto grey = decode_request<ListPut>(json::object{{"list", "grey"}, {"phone", "+15555550199"}});
  REQUIRE_FALSE(grey);
  CHECK(grey.error().message == "list_put: list: must be one of allow, block");
  const auto number = decode_request<DirectoryPage>(json::object{{"of", 1}});
  REQUIRE_FALSE(number);
  CHECK(number.error().message == "directory_page: of: must be one of registry, allow, block");
}

TEST_CASE("protocol: an event's kind and direction are spelled as events are stored; an unknown direction is \"\"") {
  auto event = call_event();
  event.direction = Direction::unknown;
  const auto message = message_of(event);
  CHECK(message.at("event").at("kind") == "call");
  CHECK(message.at("event").at("direction") == "");
  const auto decoded = decode_request<Receive>(message);
  REQUIRE(decoded);
  CHECK(decoded->event.direction == Direction::unknown);

  auto sideways = message;
  sideways.at("event").as_object()["direction"] = "sideways";
  const auto refused = decode_request<Receive>(sideways);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message == "receive: event: direction: must be one of \"\", inbound, outbound");
}

TEST_CASE("protocol: a stored or queried enum reads through the codec's names, and nothing else does") {
  CHECK(name_of(SendStatus::dead) == "dead");
  CHECK(enum_of<SendStatus>("delivered") == SendStatus::delivered);
  CHECK_FALSE(enum_of<SendStatus>("lost"));
  CHECK_FALSE(enum_of<SendStatus>(""));
  CHECK(name_of(Direction::unknown) == "");
  CHECK(enum_of<Direction>("") == Direction::unknown);
  CHECK_FALSE(enum_of<Direction>("unknown"));
}

TEST_CASE("protocol: a member named after a C++ keyword is spelled without its trailing underscore") {
  const RegistryPut::Request put{"+15555550199", "alice.x", "cli"};
  CHECK(encode_request<RegistryPut>(put) ==
        R"({"op":"registry_put","phone":"+15555550199","namespace":"alice.x","actor":"cli"})");
  const auto decoded = decode_request<RegistryPut>(json::object{{"phone", "+15555550199"}, {"namespace_", "x"}});
  REQUIRE_FALSE(decoded);
  CHECK(decoded.error().message == "registry_put: namespace: missing");
}

TEST_CASE("protocol: a page carries its records, whether more follow and where the next page starts; a record names every field") {
  const TokenList::Reply page{{Token{"tok_1", "ci", {"calls:read"}, "2026-11-30T00:00:00Z", std::nullopt, std::nullopt,
                                     std::nullopt, 60}},
                              true,
                              41};
  const auto text = encode_reply<TokenList>(page);
  CHECK(text == R"({"tokens":[{"id":"tok_1","name":"ci","scopes":["calls:read"],"created_at":"2026-11-30T00:00:00Z",)"
                R"("expires_at":null,"last_used_at":null,"revoked_at":null,"rate_limit":60}],"has_more":true,"next":41})");
  const auto decoded = decode_reply<TokenList>(text);
  REQUIRE(decoded);
  REQUIRE(decoded->tokens.size() == 1);
  CHECK(decoded->tokens[0].rate_limit == 60);
  CHECK_FALSE(decoded->tokens[0].revoked_at);
  CHECK(decoded->next == 41);
  const auto last = decode_reply<TokenList>(R"({"tokens":[],"has_more":false})");
  REQUIRE(last);
  CHECK_FALSE(last->next);
  CHECK(encode_reply<TokenList>(*last) == R"({"tokens":[],"has_more":false,"next":null})");
}

namespace {

std::string read_docs() {
  std::ifstream file(FRONTDESK_DOCS_DIR "/reception.md");
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// docs/reception.md's row of `op`: its cells.
std::vector<std::string> row_of(const std::string& docs, std::string_view op) {
  const auto start = docs.find("\n| `" + std::string(op) + "` |");
  if (start == std::string::npos) return {};
  const auto end = docs.find('\n', start + 1);
  const auto line = docs.substr(start + 1, end - start - 1);
  std::vector<std::string> cells;
  std::size_t at = 1;  // past the leading "|"
  while (at < line.size()) {
    const auto next = line.find('|', at);
    if (next == std::string::npos) break;
    auto cell = line.substr(at, next - at);
    const auto first = cell.find_first_not_of(' ');
    const auto last = cell.find_last_not_of(' ');
    cells.push_back(first == std::string::npos ? "" : cell.substr(first, last - first + 1));
    at = next + 1;
  }
  return cells;
}

template <class T>
std::string documented_fields() {
  std::string text;
  for (const auto& field : fields_of<T>()) {
    text += (text.empty() ? "" : ", ") + ("`" + field.name + "`") + (field.optional ? "?" : "");
  }
  return text;
}

template <class T>
std::string documented_reply() {
  std::string text;
  for (const auto& field : fields_of<T>()) {
    text += (text.empty() ? "" : ",") + ("\"" + field.name + "\"") + (field.optional ? "?" : "");
  }
  return "`{" + text + "}`";
}

}  // namespace

TEST_CASE("protocol: docs/reception.md lists each typed operation's fields and reply as its types declare them") {
  const auto docs = read_docs();
  REQUIRE_FALSE(docs.empty());
  boost::mp11::mp_for_each<boost::mp11::mp_transform<std::type_identity, LedgerOperations>>([&](auto operation) {
    using Op = typename decltype(operation)::type;
    INFO(Op::name);
    const auto cells = row_of(docs, Op::name);
    REQUIRE(cells.size() == 3);
    CHECK(cells[1].starts_with(documented_fields<typename Op::Request>()));
    CHECK(cells[2].starts_with(documented_reply<typename Op::Reply>()));
  });
}
