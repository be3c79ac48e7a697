#pragma once
// A tenant's ledger as its callers use it: an operation's request in, its reply out
// (core/objects/ledger/protocol.hpp); the JSON between them is the codec's alone.
#include <string>
#include <utility>

#include "../../fx.hpp"
#include "../../task.hpp"
#include "../protocol.hpp"
#include "ledger.hpp"

namespace frontdesk::objects {

class LedgerClient {
 public:
  LedgerClient(Fx& fx, std::string tenant) : fx_(fx), tenant_(std::move(tenant)) {}

  template <protocol::Operation Op>
  Task<Result<typename Op::Reply>> call(const typename Op::Request& request) {
    // Encoded before the first suspension: `request` is the caller's.
    auto message = protocol::encode_request<Op>(request);
    auto reply = co_await fx_.object_call(std::string(ledger_kind), tenant_, std::move(message));
    if (!reply) co_return reply.error();
    co_return protocol::decode_reply<Op>(*reply);
  }

 private:
  Fx& fx_;
  std::string tenant_;
};

}  // namespace frontdesk::objects
