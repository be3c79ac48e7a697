#pragma once
// Routes: static and {param} segments. A path no route knows is 404; a known path with
// another method is 405 with Allow. The route table itself lives in routes.cpp.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace frontdesk {

struct RouteParams {
  std::vector<std::pair<std::string, std::string>> values;
  std::optional<std::string_view> get(std::string_view name) const;
};

template <class Handler>
struct Route {
  std::string_view method;
  std::string_view pattern;
  Handler handler;
};

struct PatternMatch {
  bool matched = false;
  RouteParams params;
};

// "/webhooks/{source}" against "/webhooks/telnyx" → matched, source=telnyx.
PatternMatch match_pattern(std::string_view pattern, std::string_view path);

template <class Handler>
struct RouteLookup {
  const Route<Handler>* route = nullptr;
  RouteParams params;
  std::string allow;  // set when the path exists under other methods only
};

template <class Handler>
RouteLookup<Handler> find_route(std::span<const Route<Handler>> table, std::string_view method,
                                std::string_view path) {
  RouteLookup<Handler> lookup;
  std::vector<std::string_view> allowed;
  for (const auto& route : table) {
    auto match = match_pattern(route.pattern, path);
    if (!match.matched) continue;
    if (route.method == method) {
      lookup.route = &route;
      lookup.params = std::move(match.params);
      return lookup;
    }
    allowed.push_back(route.method);
  }
  for (std::size_t i = 0; i < allowed.size(); ++i) {
    if (i) lookup.allow += ", ";
    lookup.allow += allowed[i];
  }
  return lookup;
}

}  // namespace frontdesk
