#pragma once
// One live WebSocket (GET /api/v1/live?ticket=…, natively): accepted once the tenant's
// ledger took the ticket; sends the events the hub hands it, in order, one write at a time;
// reads only to answer pings and notice the close.
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <deque>
#include <memory>
#include <set>
#include <string>

namespace frontdesk::native {

class LiveSocket : public std::enable_shared_from_this<LiveSocket> {
 public:
  using Stream = boost::beast::websocket::stream<boost::beast::tcp_stream>;
  LiveSocket(boost::beast::tcp_stream stream, std::set<std::string, std::less<>> types);

  // Completes the upgrade; on_open runs once the handshake is answered.
  void accept(const boost::beast::http::request<boost::beast::http::string_body>& request,
              std::function<void()> on_open);
  bool sees(std::string_view type) const { return types_.contains(type); }
  void send(std::string message);
  void close();
  bool open() const { return open_; }

 private:
  void read();
  void write_next();

  Stream stream_;
  std::set<std::string, std::less<>> types_;
  boost::beast::flat_buffer incoming_;
  std::deque<std::string> outgoing_;
  bool writing_ = false;
  bool open_ = false;
};

}  // namespace frontdesk::native
