// Every signature-header parser, fed arbitrary header values and bodies. The first line
// of the input is the header value, the rest the body; each scheme gets the same bytes.
#include <cstdint>
#include <string>

#include "core/verify/verify.hpp"

namespace {

frontdesk::SourceConfig source(frontdesk::SourceKind kind) {
  frontdesk::SourceConfig s;
  s.name = "fuzz";
  s.kind = kind;
  s.secrets = {"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "c2VjcmV0"};
  s.public_keys = {"11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="};
  s.public_url = "https://example.com:443/webhooks/twilio";
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const auto newline = input.find('\n');
  const std::string header = input.substr(0, newline);
  const std::string body = newline == std::string::npos ? std::string{} : input.substr(newline + 1);
  const char* names[] = {"openphone-signature", "webhook-signature", "webhook-timestamp", "webhook-id",
                         "telnyx-signature-ed25519", "telnyx-timestamp", "x-twilio-signature",
                         "x-hub-signature-256", "stripe-signature", "svix-signature", "svix-id", "svix-timestamp"};
  for (const auto kind : {frontdesk::SourceKind::openphone, frontdesk::SourceKind::standard,
                          frontdesk::SourceKind::telnyx, frontdesk::SourceKind::twilio,
                          frontdesk::SourceKind::github, frontdesk::SourceKind::stripe}) {
    for (const char* type : {"application/json", "application/x-www-form-urlencoded; charset=utf-8"}) {
      frontdesk::Request request;
      request.method = "POST";
      request.query = header;
      request.body = body;
      request.headers.add("content-type", type);
      for (const char* name : names) request.headers.add(name, header);
      (void)frontdesk::verify::verify_delivery(source(kind), request, 1700000000000);
    }
  }
  return 0;
}
