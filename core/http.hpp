#pragma once
// HTTP messages as plain values: case-insensitive headers, raw body bytes, parsed query.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace frontdesk {

bool iequals(std::string_view a, std::string_view b);

// Header names compare case-insensitively; order of insertion is kept for output.
class Headers {
 public:
  using Entry = std::pair<std::string, std::string>;

  std::optional<std::string_view> get(std::string_view name) const;
  bool has(std::string_view name) const { return get(name).has_value(); }
  void add(std::string name, std::string value);
  // Replaces every entry of that name.
  void set(std::string name, std::string value);
  void remove(std::string_view name);
  const std::vector<Entry>& entries() const { return entries_; }
  std::size_t size() const { return entries_.size(); }

 private:
  std::vector<Entry> entries_;
};

using QueryParams = std::vector<std::pair<std::string, std::string>>;

// application/x-www-form-urlencoded decoding: '+' is a space, %XX a byte; malformed
// escapes are kept literally rather than rejected, as browsers and providers do.
std::string percent_decode(std::string_view text, bool plus_as_space);
QueryParams parse_query(std::string_view query);
// The other way: every byte but A-Z a-z 0-9 - . _ ~ as %XX, and a form's pairs joined.
std::string percent_encode(std::string_view text);
std::string form_encode(const QueryParams& params);
std::optional<std::string_view> find_param(const QueryParams& params, std::string_view name);

struct Request {
  std::string method;
  std::string path;   // decoded path without the query, e.g. "/health"
  std::string query;  // raw query string as received, without '?'
  Headers headers;
  std::string body;   // raw bytes

  QueryParams query_params() const { return parse_query(query); }
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  // What the host's request log may record about the request (source, tenant, event_id,
  // outcome; a refusal's error and message): never sent to the client, never a secret.
  std::vector<std::pair<std::string, std::string>> log_fields;
};

}  // namespace frontdesk
