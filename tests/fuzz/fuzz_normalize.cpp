// Every normalizer, on arbitrary bodies (JSON for most, forms for Twilio and GitHub, and
// Twilio's Event Streams batches), with the documented samples as seeds
// (tests/fuzz/seeds/normalize).
#include <boost/json.hpp>
#include <cstdint>
#include <string>

#include "core/normalize/normalize.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const frontdesk::Config config = [] {
    auto document = boost::json::parse(R"({"tenants":{"acme":{"numbers":["+18886115384"]}}})");
    return std::move(frontdesk::parse_config(document.as_object(), {}).value());
  }();
  const std::string body(reinterpret_cast<const char*>(data), size);
  for (const auto kind : {frontdesk::SourceKind::openphone, frontdesk::SourceKind::standard,
                          frontdesk::SourceKind::telnyx, frontdesk::SourceKind::twilio,
                          frontdesk::SourceKind::github, frontdesk::SourceKind::stripe}) {
    for (const char* type : {"application/json", "application/x-www-form-urlencoded"}) {
      frontdesk::SourceConfig source;
      source.name = "fuzz";
      source.kind = kind;
      frontdesk::Request request;
      request.body = body;
      request.headers.add("content-type", type);
      request.headers.add("x-github-event", "push");
      const frontdesk::verify::Verified verified{"delivery"};
      (void)frontdesk::normalize::normalize_all({config, source, request, verified, 1700000000000});
    }
  }
  return 0;
}
