#pragma once
// Standard Webhooks signing (https://www.standardwebhooks.com), as Svix sends: the
// webhook-signature header for a delivery, one "v1,<base64 HMAC-SHA256>" per secret.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "../result.hpp"

namespace frontdesk::fanout {

// "whsec_" + base64 of the given random bytes.
std::string secret_from(std::string_view random_bytes);

// secrets: "whsec_…" each; the signed content is "<id>.<timestamp_s>.<body>". Space-separated
// entries, the first secret's first. invalid_field when a secret is not whsec_ + base64.
Result<std::string> signature_header(const std::vector<std::string>& secrets, std::string_view id,
                                     std::int64_t timestamp_s, std::string_view body);

}  // namespace frontdesk::fanout
