#pragma once
// The ledger's operations as types (core/objects/protocol.hpp): what a caller sends and what
// the ledger answers. docs/reception.md lists them; tests/unit/protocol_test.cpp keeps the
// table in step with these types.
#include <boost/describe/class.hpp>
#include <boost/mp11/list.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "../../event.hpp"

namespace frontdesk::objects::protocol {

// A verified, normalized event, whole: recorded once, and for a call or a text everything
// reception does with it, in this one call.
struct Receive {
  static constexpr std::string_view name = "receive";
  struct Request {
    Event event;  // received_at is the ledger's "now" for everything the event changes
  };
  struct Reply {
    std::string event_id;  // the first delivery's, for a repeat
    bool duplicate = false;
    // Twilio's answer when the decision or an auto-reply is carried by it.
    std::optional<std::string> twiml;
  };
};
BOOST_DESCRIBE_STRUCT(Receive::Request, (), (event))
BOOST_DESCRIBE_STRUCT(Receive::Reply, (), (event_id, duplicate, twiml))

// Every operation that has its types (the rest of docs/reception.md's table still reads its
// message by hand): the ledger dispatches them and the docs test reads their fields from here.
using LedgerOperations = boost::mp11::mp_list<Receive>;

}  // namespace frontdesk::objects::protocol
