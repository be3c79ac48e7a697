#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include "core/encoding.hpp"
#include "core/reception/commands.hpp"
#include "core/tenants.hpp"

using namespace frontdesk;
using namespace frontdesk::reception;
namespace json = boost::json;

namespace {

constexpr std::string_view call_key = "acme:telnyx:v3:abc";

ProviderConfig telnyx() {
  ProviderConfig provider;
  provider.name = "telnyx";
  provider.api_key = "KEYfake";
  provider.base_url = "http://127.0.0.1:9";
  return provider;
}

Decision with_action(ActionKind kind, std::string to = {}, std::string text = {}) {
  Decision decision;
  decision.outcome = Outcome::screened;
  decision.action = {kind, std::move(to), std::move(text)};
  return decision;
}

std::vector<std::string> actions_of(const std::vector<OutboundCommand>& commands) {
  std::vector<std::string> out;
  for (const auto& command : commands) out.push_back(command.action);
  return out;
}

json::object body_of(const OutboundCommand& command) { return json::parse(command.body).as_object(); }

}  // namespace

TEST_CASE("Twilio answers: Dial to forward, Say then Hangup, Reject, and an empty Response to answer") {
  const std::string head = R"(<?xml version="1.0" encoding="UTF-8"?>)";
  CHECK(twiml_for(with_action(ActionKind::forward, "+15555550100")) ==
        head + "<Response><Dial>+15555550100</Dial></Response>");
  CHECK(twiml_for(with_action(ActionKind::reject_with_message, {}, "Verified callers only.")) ==
        head + "<Response><Say>Verified callers only.</Say><Hangup/></Response>");
  CHECK(twiml_for(with_action(ActionKind::reject)) == head + "<Response><Reject/></Response>");
  CHECK(twiml_for(with_action(ActionKind::answer)) == head + "<Response></Response>");
}

TEST_CASE("TwiML text is XML-escaped, so a message cannot inject verbs") {
  const auto answer = twiml_for(with_action(ActionKind::reject_with_message, {}, R"(<Dial>+1</Dial> & "quotes" 'too')"));
  CHECK(answer.find("<Dial>") == std::string::npos);
  CHECK(answer.find("&lt;Dial&gt;+1&lt;/Dial&gt; &amp; &quot;quotes&quot; &apos;too&apos;") != std::string::npos);
  CHECK(twiml_message("a<b") == R"(<?xml version="1.0" encoding="UTF-8"?><Response><Message>a&lt;b</Message></Response>)");
}

TEST_CASE("Telnyx commands per action on the screened event") {
  const auto provider = telnyx();
  CHECK(actions_of(telnyx_call_commands(with_action(ActionKind::answer), "call.initiated", "v3:abc", call_key, provider)) ==
        std::vector<std::string>{"telnyx.answer"});
  CHECK(actions_of(telnyx_call_commands(with_action(ActionKind::reject_with_message, {}, "bye"), "call.initiated",
                                        "v3:abc", call_key, provider)) ==
        std::vector<std::string>{"telnyx.answer", "telnyx.speak"});
  CHECK(actions_of(telnyx_call_commands(with_action(ActionKind::reject), "call.initiated", "v3:abc", call_key,
                                        provider)) == std::vector<std::string>{"telnyx.reject"});
  const auto transfer =
      telnyx_call_commands(with_action(ActionKind::forward, "+15555550100"), "call.initiated", "v3:abc", call_key, provider);
  REQUIRE(transfer.size() == 1);
  CHECK(transfer[0].url == "http://127.0.0.1:9/v2/calls/v3:abc/actions/transfer");
  CHECK(body_of(transfer[0]).at("to") == "+15555550100");
}

TEST_CASE("a reject carries cause CALL_REJECTED; a speak carries the message, voice and language") {
  const auto provider = telnyx();
  const auto reject = telnyx_call_commands(with_action(ActionKind::reject), "call.initiated", "v3:abc", call_key, provider);
  CHECK(body_of(reject[0]).at("cause") == "CALL_REJECTED");
  const auto spoken = telnyx_call_commands(with_action(ActionKind::reject_with_message, {}, "Not today."),
                                           "call.initiated", "v3:abc", call_key, provider);
  const auto speak = body_of(spoken[1]);
  CHECK(speak.at("payload") == "Not today.");
  CHECK(speak.at("voice") == "female");
  CHECK(speak.at("language") == "en-US");
  CHECK(spoken[1].auth == "bearer");
  CHECK(spoken[1].lane == spoken[0].lane);
}

TEST_CASE("the hangup follows call.speak.ended of a spoken rejection only; other events send nothing") {
  const auto provider = telnyx();
  const auto spoken = with_action(ActionKind::reject_with_message, {}, "bye");
  CHECK(actions_of(telnyx_call_commands(spoken, "call.speak.ended", "v3:abc", call_key, provider)) ==
        std::vector<std::string>{"telnyx.hangup"});
  CHECK(telnyx_call_commands(with_action(ActionKind::answer), "call.speak.ended", "v3:abc", call_key, provider).empty());
  CHECK(telnyx_call_commands(spoken, "call.answered", "v3:abc", call_key, provider).empty());
  CHECK(telnyx_call_commands(spoken, "call.hangup", "v3:abc", call_key, provider).empty());
  CHECK(telnyx_call_commands(spoken, "call.initiated", "", call_key, provider).empty());
}

TEST_CASE("command ids are the same for the same call and action, and differ otherwise") {
  const auto provider = telnyx();
  const auto first = telnyx_call_commands(with_action(ActionKind::answer), "call.initiated", "v3:abc", call_key, provider);
  const auto again = telnyx_call_commands(with_action(ActionKind::answer), "call.ringing", "v3:abc", call_key, provider);
  const auto other = telnyx_call_commands(with_action(ActionKind::answer), "call.initiated", "v3:abc",
                                          "acme:telnyx:v3:other", provider);
  CHECK(first[0].command_id == again[0].command_id);
  CHECK(first[0].command_id != other[0].command_id);
  CHECK(body_of(first[0]).at("command_id").as_string() == first[0].command_id);
  CHECK(command_id_for("x", "answer") != command_id_for("x", "speak"));
}

TEST_CASE("every Telnyx command names its tenant in client_state, and a call control id is escaped in the URL") {
  const auto commands =
      telnyx_call_commands(with_action(ActionKind::answer), "call.initiated", "v3:a/b c", call_key, telnyx());
  const auto state = body_of(commands[0]).at("client_state").as_string();
  CHECK(tenant_in_client_state(state) == "acme");
  CHECK(commands[0].url == "http://127.0.0.1:9/v2/calls/v3:a%2Fb%20c/actions/answer");
  CHECK(tenant_in_client_state(base64_encode("someone else's state")).empty());
  CHECK(tenant_in_client_state("not base64 at all!").empty());
}

TEST_CASE("auto-replies go through OpenPhone without Bearer and through Telnyx with it; others have none") {
  ProviderConfig openphone;
  openphone.name = "openphone";
  openphone.api_key = "opk";
  openphone.base_url = "https://api.openphone.com";
  const auto reply = text_reply_command(openphone, "openphone:AC1", "+18886115384", "+15555550123", "On our way");
  REQUIRE(reply);
  CHECK(reply->url == "https://api.openphone.com/v1/messages");
  CHECK(reply->auth == "plain");
  CHECK(reply->body == R"({"content":"On our way","from":"+18886115384","to":["+15555550123"]})");
  const auto by_telnyx = text_reply_command(telnyx(), "telnyx:m1", "+18886115384", "+15555550123", "On our way");
  REQUIRE(by_telnyx);
  CHECK(by_telnyx->url == "http://127.0.0.1:9/v2/messages");
  CHECK(by_telnyx->auth == "bearer");
  CHECK(by_telnyx->body == R"({"from":"+18886115384","to":"+15555550123","text":"On our way"})");
  ProviderConfig unknown;
  unknown.name = "carrier-pigeon";
  CHECK_FALSE(text_reply_command(unknown, "x:1", "+1", "+2", "hi"));
}

TEST_CASE("Twilio texts are forms to the account's Messages.json, sent with HTTP Basic") {
  ProviderConfig twilio;
  twilio.name = "twilio";
  twilio.account_sid = "ACfake0001";
  twilio.api_key = "token";
  twilio.base_url = "https://api.twilio.com";
  const auto reply = text_reply_command(twilio, "api:msg_1", "+18886115384", "+15555550123", "On our way & soon");
  REQUIRE(reply);
  CHECK(reply->url == "https://api.twilio.com/2010-04-01/Accounts/ACfake0001/Messages.json");
  CHECK(reply->auth == "basic");
  CHECK(reply->content_type == "application/x-www-form-urlencoded");
  CHECK(reply->body == "To=%2B15555550123&From=%2B18886115384&Body=On%20our%20way%20%26%20soon");
  const auto back = command_from_json(command_to_json(*reply));
  REQUIRE(back);
  CHECK(*back == *reply);
}

TEST_CASE("a command survives its JSON form; one missing a field is refused") {
  const auto commands =
      telnyx_call_commands(with_action(ActionKind::answer), "call.initiated", "v3:abc", call_key, telnyx());
  const auto back = command_from_json(command_to_json(commands[0]));
  REQUIRE(back);
  CHECK(*back == commands[0]);
  auto broken = command_to_json(commands[0]);
  broken.erase("url");
  CHECK_FALSE(command_from_json(broken));
}

TEST_CASE("a decision read back from its JSON keeps outcome, reasons and action") {
  Decision decision;
  decision.outcome = Outcome::rejected;
  decision.reason = "not a known caller";
  decision.action = {ActionKind::reject_with_message, {}, "Verified callers only."};
  const auto back = decision_from_json(decision_to_json(decision));
  REQUIRE(back);
  CHECK(back->outcome == Outcome::rejected);
  CHECK(back->reason == "not a known caller");
  CHECK(back->action == decision.action);
  Decision forward;
  forward.outcome = Outcome::authenticated;
  forward.identity_namespace = "alice.x";
  forward.action = {ActionKind::forward, "+15555550100", {}};
  const auto forwarded = decision_from_json(decision_to_json(forward));
  REQUIRE(forwarded);
  CHECK(forwarded->identity_namespace == "alice.x");
  CHECK(forwarded->action == forward.action);
  CHECK_FALSE(decision_from_json(json::object{{"outcome", "maybe"}, {"action", "answer"}}));
  CHECK_FALSE(decision_from_json(json::object{{"outcome", "screened"}, {"action", "forward"}}));
}

TEST_CASE("API calls: Telnyx dials on its connection naming the tenant; Twilio posts a form to Calls.json") {
  ProviderConfig telnyx_provider = telnyx();
  telnyx_provider.connection_id = "conn-1";
  const auto by_telnyx = dial_command(telnyx_provider, "", "dial_1", "acme", "+18886115384", "+15555550123");
  REQUIRE(by_telnyx);
  CHECK(by_telnyx->url == "http://127.0.0.1:9/v2/calls");
  CHECK(by_telnyx->lane == "dial:dial_1");
  CHECK(by_telnyx->body.find(R"("client_state":")" + client_state_for("acme") + "\"") != std::string::npos);
  ProviderConfig twilio;
  twilio.name = "twilio";
  twilio.account_sid = "ACfake0001";
  twilio.base_url = "https://api.twilio.com";
  const auto by_twilio = dial_command(twilio, "https://reception.example.com/webhooks/twilio", "dial_2", "acme",
                                      "+18886115384", "+15555550123");
  REQUIRE(by_twilio);
  CHECK(by_twilio->url == "https://api.twilio.com/2010-04-01/Accounts/ACfake0001/Calls.json");
  CHECK(by_twilio->auth == "basic");
  CHECK(by_twilio->body ==
        "To=%2B15555550123&From=%2B18886115384&Url=https%3A%2F%2Freception.example.com%2Fwebhooks%2Ftwilio"
        "&StatusCallback=https%3A%2F%2Freception.example.com%2Fwebhooks%2Ftwilio");
  CHECK_FALSE(dial_command(twilio, "", "dial_3", "acme", "+18886115384", "+15555550123"));  // no Twilio source
}
