#pragma once
// JSON forms of session inputs, effects and results (docs/wire.md).
#include <boost/json/value.hpp>
#include <vector>

#include "result.hpp"
#include "session.hpp"

namespace frontdesk::wire {

boost::json::value encode_effect(const PendingEffect& effect);
boost::json::value encode_response(const Response& response);
boost::json::object encode_error(const Error& error);

Result<Request> decode_request(const boost::json::value& json);
// A result needs the effect it answers to know which kind of value to expect.
Result<EffectOutput> decode_output(const Effect& effect, const boost::json::value& value);
Error decode_error(const boost::json::value& json);

}  // namespace frontdesk::wire
