#pragma once
// Between Beast's HTTP messages and the core's plain values.
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <string_view>

#include "core/http.hpp"

namespace frontdesk::native {

using BeastRequest = boost::beast::http::request<boost::beast::http::string_body>;
using BeastResponse = boost::beast::http::response<boost::beast::http::string_body>;

// RFC 9110 field syntax: a name is a token; a value has no CR, LF or NUL. Checked before
// anything is written, because Beast 1.81 writes whatever it is given (a CR LF in a
// header would split the message).
bool valid_header_name(std::string_view name);
bool valid_header_value(std::string_view value);
bool valid_headers(const Headers& headers);

// The path and query exactly as received (percent-decoding is the core's business), the
// headers with their names' case as received, the body's raw bytes.
Request to_core_request(BeastRequest&& message);

// The core's answer with Content-Length added. An invalid header (a core bug) turns the
// answer into a 500 rather than a malformed message. For HEAD the body is announced, not sent.
BeastResponse to_beast_response(Response response, bool head_request);

}  // namespace frontdesk::native
