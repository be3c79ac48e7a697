#pragma once
// The command line's side of the admin socket (admin_socket.hpp): object calls sent to the
// server that serves the database, when one does.
#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/json/object.hpp>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "object_key.hpp"

namespace frontdesk::native {

class AdminClient {
 public:
  // Connected to the server of this database, or null when none answers.
  static std::unique_ptr<AdminClient> connect(const std::filesystem::path& db_path);

  AdminClient() : socket_(io_) {}
  AdminClient(const AdminClient&) = delete;
  AdminClient& operator=(const AdminClient&) = delete;

  // The object's reply, or its error, as Host::call_object gives them.
  Result<std::string> call(const ObjectKey& object, const std::string& message);
  // Every object of a kind the server's database knows.
  Result<std::vector<std::string>> object_ids(std::string_view kind);

 private:
  Result<boost::json::object> exchange(const boost::json::object& request);

  boost::asio::io_context io_;
  boost::asio::local::stream_protocol::socket socket_;
  boost::asio::streambuf input_;
};

}  // namespace frontdesk::native
