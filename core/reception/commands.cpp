#include "commands.hpp"

#include <boost/json.hpp>

#include "../crypto/primitives.hpp"
#include "../encoding.hpp"
#include "../http.hpp"
#include "../tenants.hpp"

namespace frontdesk::reception {
namespace json = boost::json;
namespace {

constexpr std::string_view xml_declaration = R"(<?xml version="1.0" encoding="UTF-8"?>)";

std::string xml_escaped(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string twiml(std::string_view verbs) {
  std::string out(xml_declaration);
  out.append("<Response>").append(verbs).append("</Response>");
  return out;
}

// A call control id goes into a URL path: anything but unreserved characters is escaped.
std::string path_segment(std::string_view text) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : text) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                            c == '.' || c == '_' || c == '~' || c == ':';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += digits[c >> 4];
      out += digits[c & 15];
    }
  }
  return out;
}

OutboundCommand telnyx_command(std::string_view name, json::object body, std::string_view call_control_id,
                               std::string_view call_key, const ProviderConfig& provider) {
  OutboundCommand command;
  command.command_id = command_id_for(call_key, name);
  body["command_id"] = command.command_id;
  // Echoed by Telnyx on the call's later webhooks, some of which carry no numbers.
  body["client_state"] = client_state_for(call_key.substr(0, call_key.find(':')));
  command.lane = std::string(call_key);
  command.provider = provider.name;
  command.action = "telnyx." + std::string(name);
  command.url = provider.base_url + "/v2/calls/" + path_segment(call_control_id) + "/actions/" + std::string(name);
  command.body = json::serialize(body);
  command.auth = "bearer";
  return command;
}

}  // namespace

json::object command_to_json(const OutboundCommand& command) {
  return {{"command_id", command.command_id}, {"lane", command.lane}, {"provider", command.provider},
          {"action", command.action},         {"method", command.method}, {"url", command.url},
          {"body", command.body},             {"auth", command.auth}, {"message_key", command.message_key},
          {"content_type", command.content_type}};
}

std::optional<OutboundCommand> command_from_json(const json::object& object) {
  OutboundCommand command;
  std::string* fields[] = {&command.command_id, &command.lane, &command.provider, &command.action,
                           &command.method,     &command.url,  &command.body,     &command.auth};
  constexpr std::string_view names[] = {"command_id", "lane", "provider", "action", "method", "url", "body", "auth"};
  for (std::size_t i = 0; i < std::size(names); ++i) {
    const auto* value = object.if_contains(names[i]);
    if (!value || !value->is_string()) return std::nullopt;
    *fields[i] = std::string(value->get_string());
  }
  if (command.command_id.empty() || command.url.empty()) return std::nullopt;
  if (const auto* key = object.if_contains("message_key"); key && key->is_string()) {
    command.message_key = std::string(key->get_string());
  }
  if (const auto* type = object.if_contains("content_type"); type && type->is_string()) {
    command.content_type = std::string(type->get_string());
  }
  return command;
}

std::string command_id_for(std::string_view subject, std::string_view action) {
  std::string material(subject);
  material.append("\n").append(action);
  return "fd-" + hex_encode(crypto::bytes_of(crypto::sha256(material))).substr(0, 32);
}

std::vector<OutboundCommand> telnyx_call_commands(const Decision& decision, std::string_view event_type,
                                                  std::string_view call_control_id, std::string_view call_key,
                                                  const ProviderConfig& provider) {
  std::vector<OutboundCommand> commands;
  if (call_control_id.empty()) return commands;
  if (event_type == "call.speak.ended") {
    if (decision.action.kind == ActionKind::reject_with_message) {
      commands.push_back(telnyx_command("hangup", {}, call_control_id, call_key, provider));
    }
    return commands;
  }
  if (event_type != "call.initiated" && event_type != "call.ringing") return commands;
  switch (decision.action.kind) {
    case ActionKind::answer:
      commands.push_back(telnyx_command("answer", {}, call_control_id, call_key, provider));
      break;
    case ActionKind::forward:
      commands.push_back(telnyx_command("transfer", {{"to", decision.action.to}}, call_control_id, call_key, provider));
      break;
    case ActionKind::reject_with_message:
      commands.push_back(telnyx_command("answer", {}, call_control_id, call_key, provider));
      commands.push_back(telnyx_command(
          "speak", {{"payload", decision.action.text}, {"voice", provider.voice}, {"language", provider.language}},
          call_control_id, call_key, provider));
      break;
    case ActionKind::reject:
      commands.push_back(telnyx_command("reject", {{"cause", "CALL_REJECTED"}}, call_control_id, call_key, provider));
      break;
  }
  return commands;
}

std::optional<OutboundCommand> text_reply_command(const ProviderConfig& provider, std::string_view message_key,
                                                  std::string_view from, std::string_view to, std::string_view text) {
  OutboundCommand command;
  command.command_id = command_id_for(message_key, "reply");
  command.lane = "text:" + std::string(to);
  command.provider = provider.name;
  if (provider.name == "openphone") {
    command.action = "openphone.message";
    command.url = provider.base_url + "/v1/messages";
    command.body = json::serialize(json::object{{"content", text}, {"from", from}, {"to", json::array{json::value(to)}}});
    command.auth = "plain";
    return command;
  }
  if (provider.name == "telnyx") {
    command.action = "telnyx.message";
    command.url = provider.base_url + "/v2/messages";
    command.body = json::serialize(json::object{{"from", from}, {"to", to}, {"text", text}});
    command.auth = "bearer";
    return command;
  }
  if (provider.name == "twilio") {
    command.action = "twilio.message";
    command.url = provider.base_url + "/2010-04-01/Accounts/" + percent_encode(provider.account_sid) + "/Messages.json";
    command.body = form_encode({{"To", std::string(to)}, {"From", std::string(from)}, {"Body", std::string(text)}});
    command.content_type = "application/x-www-form-urlencoded";
    command.auth = "basic";
    return command;
  }
  return std::nullopt;
}

std::optional<OutboundCommand> dial_command(const ProviderConfig& provider, std::string_view twilio_url,
                                            std::string_view id, std::string_view tenant, std::string_view from,
                                            std::string_view to) {
  OutboundCommand command;
  command.command_id = command_id_for("api:" + std::string(id), "dial");
  command.lane = "dial:" + std::string(id);
  command.provider = provider.name;
  if (provider.name == "telnyx") {
    command.action = "telnyx.dial";
    command.url = provider.base_url + "/v2/calls";
    command.body = json::serialize(json::object{{"connection_id", provider.connection_id},
                                                {"to", to},
                                                {"from", from},
                                                {"client_state", client_state_for(tenant)},
                                                {"command_id", command.command_id}});
    command.auth = "bearer";
    return command;
  }
  if (provider.name == "twilio" && !twilio_url.empty()) {
    command.action = "twilio.dial";
    command.url = provider.base_url + "/2010-04-01/Accounts/" + percent_encode(provider.account_sid) + "/Calls.json";
    command.body = form_encode({{"To", std::string(to)},
                                {"From", std::string(from)},
                                {"Url", std::string(twilio_url)},
                                {"StatusCallback", std::string(twilio_url)}});
    command.content_type = "application/x-www-form-urlencoded";
    command.auth = "basic";
    return command;
  }
  return std::nullopt;
}

std::string twiml_for(const Decision& decision) {
  switch (decision.action.kind) {
    case ActionKind::answer:
      return twiml_empty();
    case ActionKind::forward:
      return twiml("<Dial>" + xml_escaped(decision.action.to) + "</Dial>");
    case ActionKind::reject_with_message:
      return twiml("<Say>" + xml_escaped(decision.action.text) + "</Say><Hangup/>");
    case ActionKind::reject:
      return twiml("<Reject/>");
  }
  return twiml("<Reject/>");
}

std::string twiml_message(std::string_view text) { return twiml("<Message>" + xml_escaped(text) + "</Message>"); }

std::string twiml_empty() { return twiml(""); }

}  // namespace frontdesk::reception
