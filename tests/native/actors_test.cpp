// Per-object serial queues: one object's calls never overlap; different objects do.
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <memory>

#include "object_actors.hpp"
#include "support.hpp"

using namespace frontdesk::native;

namespace {

// A job that stays busy for a while (as a call waiting on a fetch would), recording how
// many jobs of its object run at once.
struct Tracker {
  std::map<std::string, int> running;
  std::map<std::string, int> most_running;
  int running_total = 0;
  int most_running_total = 0;
  std::vector<std::string> order;
};

ObjectActors::Job slow_job(boost::asio::io_context& io, Tracker& tracker, std::string id, std::string label) {
  return [&io, &tracker, id, label](ObjectActors::Finished finished) {
    tracker.order.push_back(label);
    const int now = ++tracker.running[id];
    tracker.most_running[id] = std::max(tracker.most_running[id], now);
    tracker.most_running_total = std::max(tracker.most_running_total, ++tracker.running_total);
    auto timer = std::make_shared<boost::asio::steady_timer>(io, std::chrono::milliseconds(5));
    timer->async_wait([&tracker, id, timer, finished](boost::system::error_code) {
      --tracker.running[id];
      --tracker.running_total;
      finished();
    });
  };
}

}  // namespace

TEST_CASE("calls to one object run one after another, in order", "[actors]") {
  boost::asio::io_context io;
  ObjectActors actors(io);
  Tracker tracker;
  for (int i = 0; i < 8; ++i) {
    actors.enqueue({"ledger", "acme"}, slow_job(io, tracker, "acme", std::to_string(i)));
  }
  // Nothing starts inside enqueue: callers are never re-entered.
  CHECK(tracker.order.empty());
  io.run();
  CHECK(tracker.order == std::vector<std::string>{"0", "1", "2", "3", "4", "5", "6", "7"});
  CHECK(tracker.most_running["acme"] == 1);
  CHECK(actors.busy_objects() == 0);
}

TEST_CASE("calls to different objects interleave", "[actors]") {
  boost::asio::io_context io;
  ObjectActors actors(io);
  Tracker tracker;
  for (int i = 0; i < 4; ++i) {
    actors.enqueue({"ledger", "a"}, slow_job(io, tracker, "a", "a" + std::to_string(i)));
    actors.enqueue({"ledger", "b"}, slow_job(io, tracker, "b", "b" + std::to_string(i)));
    actors.enqueue({"call", "a"}, slow_job(io, tracker, "call-a", "c" + std::to_string(i)));
  }
  io.run();
  CHECK(tracker.most_running["a"] == 1);
  CHECK(tracker.most_running["b"] == 1);
  CHECK(tracker.most_running["call-a"] == 1);
  CHECK(tracker.most_running_total == 3);
  CHECK(tracker.order.size() == 12);
}

TEST_CASE("a job may finish inside its own call, and only its first finish counts", "[actors]") {
  boost::asio::io_context io;
  ObjectActors actors(io);
  std::vector<int> order;
  actors.enqueue({"k", "i"}, [&](ObjectActors::Finished finished) {
    order.push_back(1);
    finished();
    finished();  // ignored: it must not start the third job early
  });
  actors.enqueue({"k", "i"}, [&](ObjectActors::Finished finished) {
    order.push_back(2);
    boost::asio::post(io, [&order, finished] {
      order.push_back(20);
      finished();
    });
  });
  actors.enqueue({"k", "i"}, [&](ObjectActors::Finished finished) {
    order.push_back(3);
    finished();
  });
  io.run();
  CHECK(order == std::vector<int>{1, 2, 20, 3});
}

TEST_CASE("object calls through the host never overlap in one object", "[actors][host]") {
  // Each storage probe writes then reads its own nonce inside the object: were two calls
  // interleaved in one transaction, a reply would carry the other call's nonce.
  frontdesk::native::test::HostFixture fixture;
  std::vector<std::optional<frontdesk::ObjectReply>> replies(16);
  for (std::size_t i = 0; i < replies.size(); ++i) {
    const auto message = R"({"check":"storage","nonce":"n)" + std::to_string(i) + R"("})";
    fixture.host.call_object({"health", "probe"}, message,
                             [&replies, i](frontdesk::ObjectReply reply) { replies[i] = std::move(reply); });
  }
  fixture.io.run();
  for (std::size_t i = 0; i < replies.size(); ++i) {
    REQUIRE(replies[i].has_value());
    CHECK(replies[i]->value() == "n" + std::to_string(i));
  }
}
