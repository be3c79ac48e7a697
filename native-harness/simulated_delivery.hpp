#pragma once
// What `frontdesk simulate` sends: a realistic provider delivery of an inbound call or text,
// in the shape the provider documents (the conformance samples), signed the way that
// provider signs, for one configured source. Like `stripe trigger`: a newcomer sees a
// screened call without writing a signer.
#include <cstdint>
#include <string>

#include "core/config.hpp"
#include "core/http.hpp"
#include "core/result.hpp"

namespace frontdesk::native {

enum class SimulatedKind { call, text };

struct Simulation {
  SimulatedKind kind = SimulatedKind::call;
  std::string from;  // E.164: the caller or sender
  std::string to;    // E.164: one of the tenant's numbers
  std::string text;  // texts only
};

// The source's resolved secrets come from its configuration; a Telnyx (Ed25519) source
// signs with the seed of its first public key (from `frontdesk dev-env`).
struct SigningKeys {
  std::string ed25519_seed;  // 32 bytes; Telnyx only
};

struct SimulatedRequest {
  std::string path;  // /webhooks/<source>
  Headers headers;
  std::string body;
};

// random: 16 random bytes for the ids the provider would mint.
Result<SimulatedRequest> simulated_delivery(const SourceConfig& source, const Simulation& simulation,
                                            const SigningKeys& keys, std::int64_t now_ms, std::string_view random);

}  // namespace frontdesk::native
