#include "scopes.hpp"

namespace frontdesk::api {
namespace {

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

}  // namespace

bool known_scope(std::string_view scope) {
  for (const auto known : all_scopes) {
    if (known == scope) return true;
  }
  return false;
}

Scopes role_scopes(std::string_view role, const reception::TenantPolicy& policy) {
  Scopes scopes;
  if (const auto configured = policy.roles.find(role); configured != policy.roles.end()) {
    for (const auto& scope : configured->second) {
      if (known_scope(scope) && scope != platform_scope) scopes.insert(scope);
    }
    return scopes;
  }
  for (const auto scope : all_scopes) {
    const bool read = ends_with(scope, ":read");
    const bool write = ends_with(scope, ":write");
    const bool conversation = scope.substr(0, 6) == "calls:" || scope.substr(0, 9) == "messages:";
    bool granted = false;
    if (role == "admin") granted = scope != platform_scope;
    if (role == "supervisor") granted = read || write;
    if (role == "agent") granted = conversation;
    if (role == "viewer") granted = read;
    if (granted) scopes.insert(std::string(scope));
  }
  return scopes;
}

}  // namespace frontdesk::api
