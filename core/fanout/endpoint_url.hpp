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

}  // namespace frontdesk::fanout
