#include "admin_socket.hpp"

#include <sys/stat.h>

#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <boost/json.hpp>
#include <istream>
#include <utility>

#include "request_log.hpp"

namespace frontdesk::native {
namespace {

namespace json = boost::json;
using local = boost::asio::local::stream_protocol;

// sun_path holds 108 bytes with its terminating NUL.
constexpr std::size_t max_socket_path = 107;
// A command's request line is a ledger message: small.
constexpr std::size_t max_request_line = 1U << 20;

std::string error_line(const Error& error) {
  return json::serialize(json::object{
             {"error", json::object{{"code", error_code_name(error.code)}, {"message", error.message}}}}) +
         "\n";
}

}  // namespace

// One command-line client: requests answered in order until it hangs up.
class AdminSession : public std::enable_shared_from_this<AdminSession> {
 public:
  // Shutdown: a client waiting between requests lets the server go.
  void close() {
    boost::system::error_code ignored;
    socket_.close(ignored);
  }

  AdminSession(local::socket socket, Host& host, Store& store, const LogSink& log, const Clock& clock)
      : socket_(std::move(socket)), host_(host), store_(store), log_(log), clock_(clock), input_(max_request_line) {}

  void read() {
    boost::asio::async_read_until(socket_, input_, '\n',
                                  [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                                    if (ec) return;  // hung up, or a line too long: the session ends
                                    std::istream in(&self->input_);
                                    std::string line;
                                    std::getline(in, line);
                                    self->serve(line);
                                  });
  }

 private:
  void serve(const std::string& line) {
    json::error_code ec;
    const auto parsed = json::parse(line, ec);
    const auto* request = ec ? nullptr : parsed.if_object();
    if (!request) return answer(error_line(Error{ErrorCode::malformed_body, "one JSON object per line"}));
    if (const auto* kind = request->if_contains("list"); kind && kind->is_string()) {
      auto ids = store_.object_ids(kind->get_string());
      if (!ids) return answer(error_line(ids.error()));
      json::array list;
      for (auto& id : *ids) list.emplace_back(id);
      return answer(json::serialize(json::object{{"ids", std::move(list)}}) + "\n");
    }
    const auto* kind = request->if_contains("kind");
    const auto* id = request->if_contains("id");
    const auto* message = request->if_contains("message");
    if (!kind || !kind->is_string() || !id || !id->is_string() || !message || !message->is_string()) {
      return answer(error_line(Error{ErrorCode::malformed_body, "kind, id and message are required"}));
    }
    ObjectKey object{std::string(kind->get_string()), std::string(id->get_string())};
    auto name = object.kind + "/" + object.id;
    host_.call_object(std::move(object), std::string(message->get_string()),
                      [self = shared_from_this(), name = std::move(name)](ObjectReply reply) {
                        self->log_(json::serialize(json::object{
                            {"ts", iso8601_utc(self->clock_())},
                            {"level", reply ? "info" : "warn"},
                            {"admin", name},
                            {"outcome", reply ? std::string_view("ok") : error_code_name(reply.error().code)}}));
                        if (!reply) return self->answer(error_line(reply.error()));
                        self->answer(json::serialize(json::object{{"reply", *reply}}) + "\n");
                      });
  }

  void answer(std::string line) {
    auto text = std::make_shared<std::string>(std::move(line));
    boost::asio::async_write(socket_, boost::asio::buffer(*text),
                             [self = shared_from_this(), text](boost::system::error_code ec, std::size_t) {
                               if (!ec) self->read();
                             });
  }

  local::socket socket_;
  Host& host_;
  Store& store_;
  const LogSink& log_;
  const Clock& clock_;
  boost::asio::streambuf input_;
};

std::optional<std::filesystem::path> admin_socket_path(const std::filesystem::path& db_path) {
  auto path = db_path;
  path += ".admin.sock";
  if (path.native().size() > max_socket_path) return std::nullopt;
  return path;
}

AdminSocket::AdminSocket(boost::asio::io_context& io, Host& host, Store& store, LogSink log, Clock clock)
    : io_(io), host_(host), store_(store), log_(std::move(log)), clock_(std::move(clock)), acceptor_(io) {}

AdminSocket::~AdminSocket() { stop(); }

Result<void> AdminSocket::listen(const std::filesystem::path& path) {
  boost::system::error_code ec;
  std::error_code fs_ec;
  // A socket file left by a server that died: nobody answers on it, so it goes.
  if (std::filesystem::exists(path, fs_ec)) {
    local::socket probe(io_);
    probe.connect(local::endpoint(path.native()), ec);
    if (!ec) return Error{ErrorCode::conflict, "another server serves this database (" + path.string() + ")"};
    std::filesystem::remove(path, fs_ec);
  }
  const local::endpoint endpoint(path.native());
  if (acceptor_.open(endpoint.protocol(), ec); ec) return Error{ErrorCode::internal, "admin socket: " + ec.message()};
  // Created owner-only: bind under a umask that leaves the group and others nothing.
  const auto previous = ::umask(0077);
  acceptor_.bind(endpoint, ec);
  ::umask(previous);
  if (ec) return Error{ErrorCode::internal, "admin socket " + path.string() + ": " + ec.message()};
  if (acceptor_.listen(boost::asio::socket_base::max_listen_connections, ec); ec) {
    return Error{ErrorCode::internal, "admin socket: " + ec.message()};
  }
  path_ = path;
  accept();
  return {};
}

void AdminSocket::accept() {
  acceptor_.async_accept([this](boost::system::error_code ec, local::socket socket) {
    if (ec == boost::asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (!ec) {
      auto session = std::make_shared<AdminSession>(std::move(socket), host_, store_, log_, clock_);
      std::erase_if(sessions_, [](const auto& weak) { return weak.expired(); });
      sessions_.push_back(session);
      session->read();
    }
    accept();
  });
}

void AdminSocket::stop() {
  if (!acceptor_.is_open()) return;
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  for (const auto& weak : sessions_) {
    if (auto session = weak.lock()) session->close();
  }
  sessions_.clear();
  std::error_code fs_ignored;
  if (!path_.empty()) std::filesystem::remove(path_, fs_ignored);
}

}  // namespace frontdesk::native
