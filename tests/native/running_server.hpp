#pragma once
// A Server on 127.0.0.1 with a free port, running on a thread of its own so a test can
// talk to it with blocking sockets.
#include <boost/asio/post.hpp>
#include <thread>

#include "request_log.hpp"
#include "server.hpp"
#include "support.hpp"

namespace frontdesk::native::test {

struct RunningServer {
  RunningServer()
      : app(test_app()),
        store(open_store(dir / "fd.db")),
        host(io, app, store,
             [] {
               HostOptions options;
               options.log = discard_line;
               return options;
             }()),
        server(host, [this](std::string_view line) { access_log.emplace_back(line); }) {
    const auto listening = server.listen({"127.0.0.1", "0"});
    if (!listening) FAIL(listening.error().message);
    port = server.local_endpoint().port();
    thread = std::thread([this] { io.run(); });
  }
  ~RunningServer() { stop(); }
  RunningServer(const RunningServer&) = delete;
  RunningServer& operator=(const RunningServer&) = delete;

  // As SIGTERM does: stop accepting, let what is in flight finish, and wait for the io
  // thread to run out of work (it runs until the connections' thread has ended). Only then
  // may the test read access_log.
  void stop() {
    if (!thread.joinable()) return;
    boost::asio::post(io, [this] {
      server.stop();
      host.stop();
    });
    thread.join();
  }

  TempDir dir;
  boost::asio::io_context io;
  App app;
  Store store;
  Host host;
  std::vector<std::string> access_log;
  Server server;
  std::uint16_t port = 0;
  std::thread thread;
};

}  // namespace frontdesk::native::test
