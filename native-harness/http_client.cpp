#include "http_client.hpp"

#include <openssl/ssl.h>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <exception>
#include <functional>
#include <optional>
#include <memory>
#include <type_traits>
#include <utility>

#include "core/fanout/endpoint_url.hpp"
#include "core/http.hpp"
#include "messages.hpp"

namespace frontdesk::native {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

Error no_answer(std::string_view what, std::string_view detail) {
  return Error{ErrorCode::internal, "fetch: " + std::string(what) + ": " + std::string(detail)};
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool is_ip_literal(const std::string& host) {
  boost::system::error_code ec;
  boost::asio::ip::make_address(host, ec);
  return !ec;
}

// One fetch in flight over a plain or a TLS stream; keeps itself alive through the
// handlers it has pending. It starts on a kept-alive connection when one is idle, and gives
// its connection back when the answer was complete and the peer keeps it open.
template <class Stream>
class FetchOperation : public std::enable_shared_from_this<FetchOperation<Stream>> {
  static constexpr bool tls = std::is_same_v<Stream, TlsStream>;

 public:
  using MakeStream = std::function<std::unique_ptr<Stream>()>;

  FetchOperation(boost::asio::io_context& io, ParsedUrl url, const FetchRequest& request, FetchDone done,
                 const FetchOptions& options, MakeStream make_stream, std::weak_ptr<IdleConnections<Stream>> idle)
      : resolver_(io),
        deadline_(io),
        url_(std::move(url)),
        origin_(origin_of(url_, request.public_only)),
        done_(std::move(done)),
        make_stream_(std::move(make_stream)),
        idle_(std::move(idle)),
        max_response_bytes_(options.max_response_bytes),
        public_only_(request.public_only) {
    build_request(request);
    new_parser();
    deadline_.expires_after(request.timeout_ms ? std::chrono::milliseconds(*request.timeout_ms) : options.timeout);
  }

  void start() {
    started_ = std::chrono::steady_clock::now();
    deadline_.async_wait([self = this->shared_from_this()](boost::system::error_code ec) {
      if (ec) return;  // cancelled: the fetch finished first
      self->timed_out_ = true;
      self->resolver_.cancel();
      if (self->stream_) self->socket().close(ec);
    });
    if (const auto idle = idle_.lock()) stream_ = idle->take(origin_);
    if (stream_) {
      reused_ = true;
      return send();
    }
    connect_fresh();
  }

 private:
  // Connections are shared only by requests that would have made the same one.
  static std::string origin_of(const ParsedUrl& url, bool public_only) {
    return url.scheme + "://" + url.host + ":" + url.port + (public_only ? " public-only" : "");
  }

  tcp::socket& socket() { return beast::get_lowest_layer(*stream_).socket(); }

  void new_parser() {
    parser_.emplace();
    parser_->body_limit(max_response_bytes_);
    parser_->header_limit(64 * 1024);
  }

  // Certificate checks: the chain against the trust store, the name against the URL's
  // host (an IP literal against the certificate's IP addresses), SNI for names.
  Result<void> configure_tls() {
    if constexpr (tls) {
      stream_->set_verify_mode(ssl::verify_peer);
      stream_->set_verify_callback(ssl::host_name_verification(url_.host));
      if (!is_ip_literal(url_.host) && !SSL_set_tlsext_host_name(stream_->native_handle(), url_.host.c_str())) {
        return no_answer("tls", "cannot set the server name");
      }
    }
    return {};
  }

  void connect_fresh() {
    reused_ = false;
    try {
      stream_ = make_stream_();
    } catch (const std::exception& e) {
      return finish_later(no_answer("connect", e.what()));
    }
    if (auto configured = configure_tls(); !configured) return finish_later(configured.error());
    resolver_.async_resolve(url_.host, url_.port,
                            [self = this->shared_from_this()](boost::system::error_code ec,
                                                              tcp::resolver::results_type found) {
                              self->on_resolve(ec, std::move(found));
                            });
  }

  void build_request(const FetchRequest& request) {
    request_.method_string(request.method);
    request_.target(url_.target);
    request_.version(11);
    for (const auto& [name, value] : request.headers.entries()) request_.insert(name, value);
    if (!request.headers.has("host")) {
      const bool ipv6 = url_.host.find(':') != std::string::npos;
      auto host = ipv6 ? "[" + url_.host + "]" : url_.host;
      if (!url_.default_port) host += ":" + url_.port;
      request_.set(http::field::host, host);
    }
    if (!request.headers.has("user-agent")) request_.set(http::field::user_agent, "frontdesk");
    request_.body() = request.body;
    request_.prepare_payload();
  }

  void on_resolve(boost::system::error_code ec, tcp::resolver::results_type found) {
    if (ec) return finish(no_answer("resolve " + url_.host, reason(ec)));
    if (public_only_) {
      for (const auto& entry : found) {
        const auto address = entry.endpoint().address().to_string();
        if (fanout::private_address(address)) {
          return finish(no_answer("refused", url_.host + " resolves to the private address " + address));
        }
      }
    }
    beast::get_lowest_layer(*stream_).async_connect(
        found, [self = this->shared_from_this()](boost::system::error_code connect_ec, const tcp::endpoint&) {
          self->on_connect(connect_ec);
        });
  }

  void on_connect(boost::system::error_code ec) {
    if (ec) return finish(no_answer("connect " + url_.host + ":" + url_.port, reason(ec)));
    if constexpr (tls) {
      stream_->async_handshake(ssl::stream_base::client,
                               [self = this->shared_from_this()](boost::system::error_code handshake_ec) {
                                 if (handshake_ec) return self->finish(no_answer("tls", self->reason(handshake_ec)));
                                 self->send();
                               });
    } else {
      send();
    }
  }

  void send() {
    http::async_write(*stream_, request_,
                      [self = this->shared_from_this()](boost::system::error_code ec, std::size_t) {
                        self->on_write(ec);
                      });
  }

  // A kept-alive connection the peer closed just as it was taken fails before any byte of
  // an answer: the request goes again, once, on a new connection.
  bool retried_fresh() {
    if (!reused_ || timed_out_ || parser_->got_some()) return false;
    boost::system::error_code ignored;
    socket().close(ignored);
    buffer_.clear();
    new_parser();
    connect_fresh();
    return true;
  }

  void on_write(boost::system::error_code ec) {
    if (ec && retried_fresh()) return;
    if (ec) return finish(no_answer("send", reason(ec)));
    if (request_.method() == http::verb::head) parser_->skip(true);
    http::async_read(*stream_, buffer_, *parser_,
                     [self = this->shared_from_this()](boost::system::error_code read_ec, std::size_t) {
                       self->on_read(read_ec);
                     });
  }

  void on_read(boost::system::error_code ec) {
    if (ec && retried_fresh()) return;
    if (ec) return finish(no_answer("receive", reason(ec)));
    auto& message = parser_->get();
    FetchResponse response;
    response.status = static_cast<int>(message.result_int());
    for (const auto& field : message) {
      response.headers.add(std::string(field.name_string()), std::string(field.value()));
    }
    response.body = std::move(message.body());
    response.elapsed_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started_).count();
    // Bytes past the answer would be read as the next request's answer.
    keep_alive_ = parser_->keep_alive() && buffer_.size() == 0;
    finish(std::move(response));
  }

  std::string reason(boost::system::error_code ec) const { return timed_out_ ? "timed out" : ec.message(); }

  // HttpClient::fetch promises never to call done before it returns.
  void finish_later(Error error) {
    boost::asio::post(deadline_.get_executor(),
                      [self = this->shared_from_this(), error = std::move(error)] { self->finish(error); });
  }

  void finish(Result<FetchResponse> outcome) {
    deadline_.cancel();
    if (stream_) {
      const auto idle = idle_.lock();
      if (outcome && keep_alive_ && !timed_out_ && idle) {
        idle->put(origin_, std::move(stream_));
      } else {
        // No TLS close_notify: the answer is complete, and waiting on a peer's reply to it
        // would only delay the session.
        boost::system::error_code ignored;
        socket().shutdown(tcp::socket::shutdown_both, ignored);
        socket().close(ignored);
      }
    }
    if (auto done = std::exchange(done_, nullptr)) done(std::move(outcome));
  }

  tcp::resolver resolver_;
  std::unique_ptr<Stream> stream_;
  boost::asio::steady_timer deadline_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  std::optional<http::response_parser<http::string_body>> parser_;
  ParsedUrl url_;
  std::string origin_;
  FetchDone done_;
  MakeStream make_stream_;
  std::weak_ptr<IdleConnections<Stream>> idle_;
  std::uint64_t max_response_bytes_;
  bool public_only_ = false;  // FetchRequest::public_only
  bool reused_ = false;
  bool keep_alive_ = false;
  bool timed_out_ = false;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace

std::optional<ParsedUrl> parse_url(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  ParsedUrl parsed;
  parsed.scheme = lower(url.substr(0, scheme_end));
  if (parsed.scheme != "http" && parsed.scheme != "https") return std::nullopt;
  auto rest = url.substr(scheme_end + 3);
  const auto authority_end = rest.find_first_of("/?#");
  auto authority = rest.substr(0, authority_end);
  auto target = authority_end == std::string_view::npos ? std::string_view{} : rest.substr(authority_end);
  if (const auto fragment = target.find('#'); fragment != std::string_view::npos) target = target.substr(0, fragment);
  if (authority.find('@') != std::string_view::npos) return std::nullopt;  // no credentials in URLs
  std::string_view port;
  if (authority.starts_with("[")) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    parsed.host = std::string(authority.substr(1, close - 1));
    const auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return std::nullopt;
      port = after.substr(1);
    }
  } else {
    const auto colon = authority.rfind(':');
    parsed.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (parsed.host.empty()) return std::nullopt;
  for (const char c : port) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  parsed.default_port = port.empty();
  parsed.port = port.empty() ? (parsed.scheme == "https" ? "443" : "80") : std::string(port);
  parsed.target = target.empty() ? "/" : (target[0] == '?' ? "/" + std::string(target) : std::string(target));
  return parsed;
}

struct HttpClient::IdlePools {
  std::shared_ptr<IdleConnections<PlainStream>> plain;
  std::shared_ptr<IdleConnections<TlsStream>> tls;
};

HttpClient::HttpClient(boost::asio::io_context& io, FetchOptions options)
    : io_(io),
      options_(std::move(options)),
      idle_(std::make_shared<IdlePools>(IdlePools{std::make_shared<IdleConnections<PlainStream>>(options_.idle),
                                                  std::make_shared<IdleConnections<TlsStream>>(options_.idle)})) {}

HttpClient::~HttpClient() = default;

void HttpClient::fail_later(FetchDone done, std::string message) {
  boost::asio::post(io_, [done = std::move(done), message = std::move(message)] {
    done(Error{ErrorCode::internal, message});
  });
}

Result<ssl::context*> HttpClient::tls_context() {
  if (tls_) return &*tls_;
  ssl::context context(ssl::context::tls_client);
  boost::system::error_code ec;
  if (context.set_default_verify_paths(ec); ec) return no_answer("tls", "no trust store: " + ec.message());
  if (!options_.extra_ca_file.empty()) {
    if (context.load_verify_file(options_.extra_ca_file, ec); ec) {
      return no_answer("tls", "cannot load " + options_.extra_ca_file + ": " + ec.message());
    }
  }
  SSL_CTX_set_min_proto_version(context.native_handle(), TLS1_2_VERSION);
  tls_.emplace(std::move(context));
  return &*tls_;
}

void HttpClient::fetch(FetchRequest request, FetchDone done) {
  auto url = parse_url(request.url);
  if (!url) return fail_later(std::move(done), "fetch: not an absolute http(s) URL");
  // The method is a token too: anything else would be written into the request line.
  if (!valid_header_name(request.method) || !valid_headers(request.headers)) {
    return fail_later(std::move(done), "fetch: invalid method or header");
  }
  // No timer closes idle connections (it would keep a command's io_context running): each
  // fetch closes those past their time, to every origin.
  idle_->plain->prune();
  idle_->tls->prune();
  try {
    if (url->scheme == "https") {
      auto context = tls_context();
      if (!context) return fail_later(std::move(done), context.error().message);
      auto make = [&io = io_, tls = *context] { return std::make_unique<TlsStream>(io, *tls); };
      std::make_shared<FetchOperation<TlsStream>>(io_, std::move(*url), request, done, options_, make,
                                                  idle_->tls)
          ->start();
    } else {
      auto make = [&io = io_] { return std::make_unique<PlainStream>(io); };
      std::make_shared<FetchOperation<PlainStream>>(io_, std::move(*url), request, done, options_, make,
                                                    idle_->plain)
          ->start();
    }
  } catch (const std::exception& e) {
    // Beast and OpenSSL report some failures by throwing; the fetch fails, the host goes on.
    fail_later(std::move(done), std::string("fetch: ") + e.what());
  }
}

std::size_t HttpClient::idle_connections() const { return idle_->plain->size() + idle_->tls->size(); }

}  // namespace frontdesk::native
