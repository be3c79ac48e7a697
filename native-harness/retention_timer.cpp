#include "retention_timer.hpp"

#include "core/objects/ledger/protocol.hpp"
#include "core/objects/protocol.hpp"

namespace frontdesk::native {
namespace {

// Between two batches of one ledger: the requests queued meanwhile go first.
constexpr std::chrono::milliseconds between_batches{200};

}  // namespace

RetentionTimer::RetentionTimer(boost::asio::io_context& io, Host& host, Store& store, std::chrono::milliseconds first,
                               std::chrono::milliseconds period)
    : host_(host), store_(store), first_(first), period_(period), timer_(io) {}

void RetentionTimer::start() { wait(first_); }

void RetentionTimer::stop() {
  stopped_ = true;
  timer_.cancel();
}

void RetentionTimer::wait(std::chrono::milliseconds delay) {
  if (stopped_) return;
  timer_.expires_after(delay);
  timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || stopped_) return;
    prune_next();
  });
}

void RetentionTimer::prune_next() {
  if (ledgers_.empty()) {
    auto ids = store_.object_ids("ledger");
    if (ids) ledgers_ = std::move(*ids);
    if (ledgers_.empty()) return wait(period_);
  }
  using objects::protocol::Prune;
  host_.call_object({"ledger", ledgers_.back()}, objects::protocol::encode_request<Prune>({}), [this](ObjectReply reply) {
    const auto pruned = reply ? objects::protocol::decode_reply<Prune>(*reply) : Result<Prune::Reply>(reply.error());
    const bool more = pruned && pruned->more;
    // A ledger that failed is tried again next round.
    if (!more) ledgers_.pop_back();
    if (ledgers_.empty()) return wait(period_);
    wait(between_batches);
  });
}

}  // namespace frontdesk::native
