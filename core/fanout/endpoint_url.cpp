#include "endpoint_url.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace frontdesk::fanout {
namespace {

Error refused(std::string_view why) { return make_error(ErrorCode::invalid_field, "url: " + std::string(why)); }

std::string lowered(std::string_view text) {
  std::string out(text);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// a.b.c.d with each part 0–255 in decimal, as a 32-bit number.
std::optional<std::uint32_t> dotted_quad(std::string_view host) {
  std::uint32_t address = 0;
  int parts = 0;
  std::size_t at = 0;
  while (parts < 4) {
    std::size_t end = at;
    while (end < host.size() && host[end] >= '0' && host[end] <= '9') ++end;
    if (end == at || end - at > 3) return std::nullopt;
    const int part = std::stoi(std::string(host.substr(at, end - at)));
    if (part > 255) return std::nullopt;
    address = (address << 8) | static_cast<std::uint32_t>(part);
    ++parts;
    if (parts < 4) {
      if (end >= host.size() || host[end] != '.') return std::nullopt;
      at = end + 1;
    } else if (end != host.size()) {
      return std::nullopt;
    }
  }
  return address;
}

bool private_ipv4(std::uint32_t a) {
  const auto in = [a](std::uint32_t network, int bits) { return (a >> (32 - bits)) == (network >> (32 - bits)); };
  return in(0x00000000, 8) ||   // this network
         in(0x0A000000, 8) ||   // 10/8
         in(0x64400000, 10) ||  // 100.64/10, carrier-grade NAT
         in(0x7F000000, 8) ||   // loopback
         in(0xA9FE0000, 16) ||  // link-local, cloud metadata (169.254.169.254)
         in(0xAC100000, 12) ||  // 172.16/12
         in(0xC0A80000, 16) ||  // 192.168/16
         a == 0xFFFFFFFF;
}

// Loopback, unspecified, unique-local, link-local, or an IPv4-mapped private address.
bool private_ipv6(const std::string& host) {
  if (host == "::1" || host == "::") return true;
  if (host.rfind("fc", 0) == 0 || host.rfind("fd", 0) == 0) return true;
  if (host.rfind("fe8", 0) == 0 || host.rfind("fe9", 0) == 0 || host.rfind("fea", 0) == 0 || host.rfind("feb", 0) == 0) {
    return true;
  }
  const auto mapped = host.rfind(':');
  if (host.rfind("::ffff:", 0) == 0 && mapped != std::string::npos) {
    const auto v4 = dotted_quad(std::string_view(host).substr(mapped + 1));
    return !v4 || private_ipv4(*v4);
  }
  return false;
}

constexpr std::array<std::string_view, 4> private_names{"localhost", "metadata", "metadata.google.internal",
                                                        "instance-data"};

bool private_name(const std::string& host) {
  for (const auto name : private_names) {
    if (host == name) return true;
  }
  return ends_with(host, ".localhost") || ends_with(host, ".internal") || ends_with(host, ".local");
}

bool numeric_label(std::string_view label) {
  const bool hex = label.size() > 2 && label[0] == '0' && label[1] == 'x';
  if (hex) label.remove_prefix(2);
  if (label.empty()) return false;
  for (const char c : label) {
    const bool digit = c >= '0' && c <= '9';
    if (!digit && !(hex && c >= 'a' && c <= 'f')) return false;
  }
  return true;
}

// Every label a number (2130706433, 0x7f.1, 127.1): what inet_aton would read as an
// address, so neither a name nor a dotted quad.
bool numeric_host(std::string_view host) {
  while (true) {
    const auto dot = host.find('.');
    if (!numeric_label(host.substr(0, dot))) return false;
    if (dot == std::string_view::npos) return true;
    host.remove_prefix(dot + 1);
  }
}

}  // namespace

bool private_address(std::string_view address) {
  const auto host = lowered(address);
  if (const auto v4 = dotted_quad(host)) return private_ipv4(*v4);
  return host.find(':') == std::string::npos || private_ipv6(host);
}

Result<void> check_endpoint_url(std::string_view url, const FanoutSettings& settings) {
  if (url.size() > 2048) return refused("must be at most 2048 characters");
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return refused("must be an absolute https:// URL");
  const auto scheme = lowered(url.substr(0, scheme_end));
  if (scheme != "https" && !(scheme == "http" && settings.allow_http)) {
    return refused(settings.allow_http ? "must be an http:// or https:// URL" : "must be an https:// URL");
  }
  const auto rest = url.substr(scheme_end + 3);
  const auto authority = rest.substr(0, rest.find_first_of("/?#"));
  for (const char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return refused("must not hold spaces or control characters");
  }
  if (authority.find('@') != std::string_view::npos) return refused("must not hold a user name or password");
  std::string host;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return refused("has an unclosed IPv6 address");
    host = lowered(authority.substr(1, close - 1));
    if (settings.allow_private) return Unit{};
    if (private_ipv6(host)) return refused("must not name a loopback, private or link-local address");
    return Unit{};
  }
  host = lowered(authority.substr(0, authority.find(':')));
  while (!host.empty() && host.back() == '.') host.pop_back();
  if (host.empty()) return refused("has no host");
  if (settings.allow_private) return Unit{};
  if (private_name(host)) return refused("must not name this machine or a metadata service");
  if (const auto v4 = dotted_quad(host)) {
    if (private_ipv4(*v4)) return refused("must not name a loopback, private or link-local address");
    return Unit{};
  }
  if (numeric_host(host)) return refused("must write an IPv4 address as a dotted quad");
  return Unit{};
}

}  // namespace frontdesk::fanout
