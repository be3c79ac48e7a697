#pragma once
// Outbound HTTP for the fetch effect: one HTTP/1.1 exchange per fetch (http:// or
// https:// with the system's trust store), asynchronous on the io_context, with an
// overall deadline, over a kept-alive connection to the same origin when one is idle
// (idle_connections.hpp). Any HTTP answer is a success whatever its status; no answer (DNS,
// connection, TLS, timeout) is an error with code internal.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/effects.hpp"
#include "core/result.hpp"
#include "idle_connections.hpp"

namespace frontdesk::native {

struct ParsedUrl {
  std::string scheme;  // "http" or "https", lower case
  std::string host;    // without IPv6 brackets
  std::string port;    // explicit or the scheme's default
  std::string target;  // path and query, at least "/"
  bool default_port = true;
};

// Absolute http:// or https:// URLs only; nullopt for anything else.
std::optional<ParsedUrl> parse_url(std::string_view url);

using FetchDone = std::function<void(Result<FetchResponse>)>;

struct FetchOptions {
  std::chrono::milliseconds timeout{10'000};
  std::uint64_t max_response_bytes = 16U << 20;
  // PEM certificates trusted besides the system's (tests; a private CA). Empty: none.
  std::string extra_ca_file;
  IdleLimits idle;
};

class HttpClient {
 public:
  explicit HttpClient(boost::asio::io_context& io, FetchOptions options = {});
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;
  ~HttpClient();

  // Never calls done before returning: it always runs from the io_context.
  void fetch(FetchRequest request, FetchDone done);
  // Kept-alive connections waiting for the next request to their origin.
  std::size_t idle_connections() const;

 private:
  // Built on the first https fetch: loading the trust store takes a while.
  Result<boost::asio::ssl::context*> tls_context();
  void fail_later(FetchDone done, std::string message);
  struct IdlePools;

  boost::asio::io_context& io_;
  FetchOptions options_;
  std::optional<boost::asio::ssl::context> tls_;
  // Shared with the fetches in flight, which give their connections back to it.
  std::shared_ptr<IdlePools> idle_;
};

}  // namespace frontdesk::native
