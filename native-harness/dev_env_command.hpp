#pragma once
// `frontdesk dev-env`: local development secrets for a configuration whose `env:` secrets
// are unset, so a first run works (scripts/run.sh). Each unset name gets a value of the kind
// its place needs: an Ed25519 key pair for a Telnyx public key (the seed kept beside it as
// NAME_SIGNING_SEED, for `frontdesk simulate`), a base64 key for OpenPhone, a whsec_ secret
// for Standard Webhooks and Stripe, an auth token for Twilio, a plain secret for GitHub and
// a placeholder for provider API keys. Values already in the file or the environment stay.
#include <span>
#include <string_view>

namespace frontdesk::native {

inline constexpr std::string_view dev_env_usage = "frontdesk dev-env --config FILE --out FILE";

int dev_env_main(std::span<const std::string_view> args);

}  // namespace frontdesk::native
