#pragma once
// A throwaway HTTPS server on 127.0.0.1 for fetch tests: a fresh self-signed
// certificate (valid for IP 127.0.0.1 from an hour ago, so clock skew does not matter),
// one connection served on a thread of its own.
#include <cstdint>
#include <filesystem>
#include <string>
#include <thread>

#include "support.hpp"

namespace frontdesk::native::test {

struct TestCertificate {
  std::string certificate_pem;
  std::string private_key_pem;
};

TestCertificate make_test_certificate();

class TlsServer {
 public:
  // Serves one connection (answering 200 "hello <target>"), or gives up after 5 s.
  TlsServer();
  ~TlsServer();
  TlsServer(const TlsServer&) = delete;
  TlsServer& operator=(const TlsServer&) = delete;

  std::uint16_t port() const { return port_; }
  // The certificate as a PEM file, for FetchOptions::extra_ca_file.
  std::string ca_file() const { return (dir_ / "ca.pem").string(); }
  void join();

 private:
  TempDir dir_;
  std::uint16_t port_ = 0;
  std::thread thread_;
};

}  // namespace frontdesk::native::test
