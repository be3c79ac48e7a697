#pragma once
// The running server's local door for the command line: a Unix socket beside the database
// (<db>.admin.sock, mode 0600, so only the database's owner may use it). The commands that
// touch ledgers (token, registry, events, audit verify) send their object calls here when a
// server serves the database, so they run in the server's own queues and transactions and
// never hold a lock the server would wait on. One JSON line per request and per answer:
//   {"kind":"ledger","id":"acme","message":"…"}  → {"reply":"…"} | {"error":{"code","message"}}
//   {"list":"ledger"}                            → {"ids":["acme",…]}
#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "clock.hpp"
#include "host.hpp"
#include "output.hpp"
#include "sqlite_store.hpp"

namespace frontdesk::native {

// Where the server of this database listens; nullopt when the path would be too long for a
// Unix socket (then the commands open the files themselves).
std::optional<std::filesystem::path> admin_socket_path(const std::filesystem::path& db_path);

class AdminSession;

class AdminSocket {
 public:
  // log gets one JSON line per object call served (which object, and how it went).
  AdminSocket(boost::asio::io_context& io, Host& host, Store& store, LogSink log, Clock clock = system_clock_ms);
  AdminSocket(const AdminSocket&) = delete;
  AdminSocket& operator=(const AdminSocket&) = delete;
  ~AdminSocket();

  // Binds (replacing a socket file no server answers on any more) and starts accepting.
  Result<void> listen(const std::filesystem::path& path);
  void stop();

 private:
  void accept();

  boost::asio::io_context& io_;
  Host& host_;
  Store& store_;
  LogSink log_;
  Clock clock_;
  boost::asio::local::stream_protocol::acceptor acceptor_;
  std::filesystem::path path_;
  std::vector<std::weak_ptr<AdminSession>> sessions_;
};

}  // namespace frontdesk::native
