#include "tls_server.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <catch2/catch.hpp>
#include <fstream>
#include <memory>

namespace frontdesk::native::test {
namespace {

namespace ssl = boost::asio::ssl;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;

template <class T, void (*Free)(T*)>
struct Freer {
  void operator()(T* p) const { Free(p); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Freer<EVP_PKEY, EVP_PKEY_free>>;
using CertPtr = std::unique_ptr<X509, Freer<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Freer<BIO, BIO_free_all>>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, Freer<X509_EXTENSION, X509_EXTENSION_free>>;

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(size));
}

void add_extension(X509* cert, int nid, const char* value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, cert, cert, nullptr, nullptr, 0);
  const ExtPtr extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value));
  REQUIRE(extension);
  REQUIRE(X509_add_ext(cert, extension.get(), -1) == 1);
}

}  // namespace

TestCertificate make_test_certificate() {
  const KeyPtr key(EVP_EC_gen("P-256"));
  REQUIRE(key);
  const CertPtr cert(X509_new());
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("frontdesk test"), -1,
                             -1, 0);
  X509_set_issuer_name(cert.get(), name);
  add_extension(cert.get(), NID_basic_constraints, "critical,CA:TRUE");
  add_extension(cert.get(), NID_subject_alt_name, "IP:127.0.0.1,DNS:frontdesk.test");
  REQUIRE(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0);

  const BioPtr cert_bio(BIO_new(BIO_s_mem()));
  const BioPtr key_bio(BIO_new(BIO_s_mem()));
  REQUIRE(PEM_write_bio_X509(cert_bio.get(), cert.get()) == 1);
  REQUIRE(PEM_write_bio_PrivateKey(key_bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1);
  return {bio_text(cert_bio.get()), bio_text(key_bio.get())};
}

TlsServer::TlsServer() {
  const auto certificate = make_test_certificate();
  std::ofstream(dir_ / "ca.pem") << certificate.certificate_pem;

  auto io = std::make_shared<boost::asio::io_context>();
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  context->use_certificate_chain(boost::asio::buffer(certificate.certificate_pem));
  context->use_private_key(boost::asio::buffer(certificate.private_key_pem), ssl::context::pem);
  auto acceptor = std::make_shared<tcp::acceptor>(*io, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  port_ = acceptor->local_endpoint().port();

  acceptor->async_accept([io, context, acceptor](boost::system::error_code ec, tcp::socket socket) {
    acceptor->close(ec);
    if (ec) return;
    // Blocking from here: this thread serves nobody else.
    ssl::stream<tcp::socket> stream(std::move(socket), *context);
    if (stream.handshake(ssl::stream_base::server, ec); ec) return;  // the client refused us
    boost::beast::flat_buffer buffer;
    http::request<http::string_body> request;
    if (http::read(stream, buffer, request, ec); ec) return;
    http::response<http::string_body> response{http::status::ok, 11};
    response.set(http::field::content_type, "text/plain");
    response.body() = "hello " + std::string(request.target());
    response.prepare_payload();
    http::write(stream, response, ec);
    stream.shutdown(ec);
  });
  thread_ = std::thread([io] { io->run_for(std::chrono::seconds(5)); });
}

void TlsServer::join() {
  if (thread_.joinable()) thread_.join();
}

TlsServer::~TlsServer() { join(); }

}  // namespace frontdesk::native::test
