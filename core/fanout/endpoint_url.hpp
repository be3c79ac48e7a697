#pragma once
// Which URLs an endpoint may have: https (http only when the configuration allows it), and
// no host that names this machine, a private network or a cloud metadata service unless the
// configuration allows private hosts (tests, local runs). Hosts are judged as written: a
// name is not resolved here.
#include <string_view>

#include "../config.hpp"
#include "../result.hpp"

namespace frontdesk::fanout {

// invalid_field "url: …" when the URL may not be an endpoint's.
Result<void> check_endpoint_url(std::string_view url, const FanoutSettings& settings);

// Whether a resolved address ("10.0.0.7", "::1", "::ffff:127.0.0.1") is loopback, private,
// link-local, carrier-grade NAT or a metadata service's: what a delivery may not reach
// unless the configuration allows private hosts, whatever name led to it.
bool private_address(std::string_view address);

}  // namespace frontdesk::fanout
