#pragma once
// Which object: a kind ("ledger") and an id within it ("acme").
#include <compare>
#include <string>
#include <string_view>

namespace frontdesk::native {

struct ObjectKey {
  std::string kind;
  std::string id;
  auto operator<=>(const ObjectKey&) const = default;
};

// A file-name-safe form of an id or kind: bytes outside [A-Za-z0-9._-] percent-encoded,
// a name of dots only encoded whole (never "." or ".."), and very long names shortened to
// a prefix plus their SHA-256 so they fit a file name.
std::string file_name_component(std::string_view name);

}  // namespace frontdesk::native
