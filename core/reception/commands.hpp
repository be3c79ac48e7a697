#pragma once
// Acting on a decision: the provider API requests a decision or an auto-reply turns into,
// and Twilio's TwiML answers. Pure: the ledger queues the requests and its alarm sends
// them (core/objects/ledger/outbound.cpp), adding the API key only when sending.
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../config.hpp"
#include "screening.hpp"

namespace frontdesk::reception {

struct OutboundCommand {
  std::string command_id;  // the queue holds one command per id: a repeat does nothing
  std::string lane;        // commands of one lane are sent in order (one call's commands)
  std::string provider;    // providers.<name>: where the API key comes from when sending
  std::string action;      // telnyx.answer, telnyx.speak, openphone.message, …
  std::string method = "POST";
  std::string url;
  std::string body;  // as content_type says
  std::string content_type = "application/json";  // Twilio's API takes forms
  // "bearer": Authorization: Bearer <key>; "plain": Authorization: <key>; "basic": HTTP Basic
  // with the provider's account SID and key (Twilio).
  std::string auth;
  // The ledger's message a text command sends (its message_key): the provider's answer
  // names the message, and status events find it by that name. "" for other commands.
  std::string message_key;
  bool operator==(const OutboundCommand&) const = default;
};

boost::json::object command_to_json(const OutboundCommand& command);
std::optional<OutboundCommand> command_from_json(const boost::json::object& object);

// The same call and action always give the same id, so a retried webhook never queues a
// command twice, and Telnyx (which ignores a repeated command_id) never runs one twice.
std::string command_id_for(std::string_view subject, std::string_view action);

// Telnyx Call Control commands for a call: the decision's own when `event_type` is the
// event that was screened (call.initiated / call.ringing), the closing hangup when it is
// call.speak.ended after a spoken rejection, nothing otherwise. call_key is
// "<tenant>:<source>:<call id>"; every command carries the tenant as its client_state.
std::vector<OutboundCommand> telnyx_call_commands(const Decision& decision, std::string_view event_type,
                                                  std::string_view call_control_id, std::string_view call_key,
                                                  const ProviderConfig& provider);

// A text through the provider API: OpenPhone/Quo (POST /v1/messages, key without Bearer),
// Telnyx (POST /v2/messages) or Twilio (a form to Messages.json, HTTP Basic); nullopt for
// a provider without one. message_key is the ledger's message it sends.
std::optional<OutboundCommand> text_reply_command(const ProviderConfig& provider, std::string_view message_key,
                                                  std::string_view from, std::string_view to, std::string_view text);

// An outbound call the API asks for (id: its dial_… id): through Telnyx (POST /v2/calls on
// the connection, client_state naming the tenant) or Twilio (a form to Calls.json whose
// TwiML and status go to twilio_url, the Twilio source's public URL: without one, no call).
std::optional<OutboundCommand> dial_command(const ProviderConfig& provider, std::string_view twilio_url,
                                            std::string_view id, std::string_view tenant, std::string_view from,
                                            std::string_view to);

// Twilio's answers, each a complete XML document.
std::string twiml_for(const Decision& decision);
std::string twiml_message(std::string_view text);
std::string twiml_empty();

}  // namespace frontdesk::reception
