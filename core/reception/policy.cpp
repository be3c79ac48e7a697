#include "policy.hpp"

#include <array>
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <limits>

#include "../phone.hpp"

namespace frontdesk::reception {
namespace json = boost::json;
namespace {

// Longest auto-reply window accepted: a year, so the window in milliseconds cannot overflow.
constexpr std::int64_t max_auto_reply_window_s = 365LL * 24 * 3600;

constexpr std::array<std::string_view, 9> policy_fields{
    "screening", "min_trust", "reject_message",      "forward_to", "weights",
    "keywords",  "auto_reply", "auto_reply_window_s", "roles"};

Error invalid(const std::string& where, std::string_view what) {
  std::string message = where;
  message.append(": ").append(what);
  return make_error(ErrorCode::invalid_field, std::move(message));
}

// A present, non-null member; JSON null reads as "not set".
const json::value* member(const json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  return (value && !value->is_null()) ? value : nullptr;
}

std::optional<std::int64_t> integer(const json::value& value) {
  if (value.is_int64()) return value.get_int64();
  if (value.is_uint64() && value.get_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    return static_cast<std::int64_t>(value.get_uint64());
  }
  return std::nullopt;
}

Result<std::int64_t> integer_in(const json::value& value, const std::string& where, std::int64_t low,
                                std::int64_t high) {
  const auto number = integer(value);
  if (!number || *number < low || *number > high) {
    return invalid(where, "must be an integer from " + std::to_string(low) + " to " + std::to_string(high));
  }
  return *number;
}

Result<std::string> non_empty_string(const json::value& value, const std::string& where) {
  const auto* text = value.if_string();
  if (!text || text->empty()) return invalid(where, "must be a non-empty string");
  return std::string(*text);
}

Result<std::string> phone_at(const json::value& value, const std::string& where) {
  const auto* text = value.if_string();
  auto e164 = text ? normalize_e164(*text) : std::nullopt;
  if (!e164) return invalid(where, json::serialize(value) + " is not a phone number");
  return std::move(*e164);
}

Result<std::set<std::string, std::less<>>> phone_list(const json::object& raw, std::string_view name) {
  std::set<std::string, std::less<>> out;
  const auto* value = member(raw, name);
  if (!value) return out;
  const auto* list = value->if_array();
  if (!list) return invalid(std::string(name), "must be a list of phone numbers");
  for (std::size_t i = 0; i < list->size(); ++i) {
    auto e164 = phone_at((*list)[i], std::string(name) + "[" + std::to_string(i) + "]");
    if (!e164) return e164.error();
    out.insert(std::move(*e164));
  }
  return out;
}

Result<std::map<std::string, std::string, std::less<>>> registry(const json::object& raw) {
  std::map<std::string, std::string, std::less<>> out;
  const auto* value = member(raw, "registry");
  if (!value) return out;
  const auto* entries = value->if_object();
  if (!entries) return invalid("registry", "must be an object of phone → namespace");
  for (const auto& entry : *entries) {
    const std::string where = "registry." + std::string(entry.key());
    auto e164 = normalize_e164(entry.key());
    if (!e164) return invalid(where, "key is not a phone number");
    auto name = non_empty_string(entry.value(), where);
    if (!name) return invalid(where, "must be a namespace (a non-empty string)");
    // Two spellings of one number must not claim two identities.
    const auto [it, inserted] = out.emplace(*e164, *name);
    if (!inserted && it->second != *name) return invalid(where, "conflicts with another entry for " + *e164);
  }
  return out;
}

Result<ScreeningMode> screening(const json::value& value) {
  const auto* text = value.if_string();
  if (text && *text == "open") return ScreeningMode::open;
  if (text && *text == "known-only") return ScreeningMode::known_only;
  if (text && *text == "trust") return ScreeningMode::trust;
  return invalid("policy.screening", "must be one of open, known-only, trust");
}

// Range of each weight: points stay within ±100; base and caps within 0–100.
Result<int> weight_value(std::string_view name, const json::value& value, const std::string& where) {
  std::int64_t low = -100;
  std::int64_t high = 100;
  if (name == "base" || name == "answered_cap" || name == "rejected_cap") low = 0;
  if (name == "burst_threshold") {
    low = 1;
    high = 1000;
  }
  if (name == "burst_window_s") {
    low = 1;
    high = 86400;
  }
  auto number = integer_in(value, where, low, high);
  if (!number) return number.error();
  return static_cast<int>(*number);
}

Result<TrustWeights> weights(const json::value& value) {
  TrustWeights out;
  const auto* entries = value.if_object();
  if (!entries) return invalid("policy.weights", "must be an object of weight name → integer");
  for (const auto& entry : *entries) {
    const std::string where = "policy.weights." + std::string(entry.key());
    bool known = false;
    for (const auto& [name, field] : weight_fields) {
      if (name != entry.key()) continue;
      auto number = weight_value(name, entry.value(), where);
      if (!number) return number.error();
      out.*field = *number;
      known = true;
    }
    if (!known) return invalid(where, "unknown weight");
  }
  return out;
}

Result<Keywords> keywords(const json::value& value) {
  Keywords out = default_keywords();
  const auto* entries = value.if_object();
  if (!entries) return invalid("policy.keywords", "must be an object of intent → list of keywords");
  for (const auto& entry : *entries) {
    const std::string where = "policy.keywords." + std::string(entry.key());
    auto* target = keyword_list(out, entry.key());
    if (!target) return invalid(where, "unknown list (an intent other than other, or positive/negative)");
    const auto* list = entry.value().if_array();
    if (!list) return invalid(where, "must be a list of keywords");
    std::vector<std::string> words;
    for (std::size_t i = 0; i < list->size(); ++i) {
      const std::string item_where = where + "[" + std::to_string(i) + "]";
      const auto* text = (*list)[i].if_string();
      if (!text || !usable_keyword(*text)) return invalid(item_where, "must be a keyword with letters or digits");
      words.emplace_back(*text);
    }
    *target = std::move(words);
  }
  return out;
}

Result<AutoReplyRule> auto_reply_rule(const json::value& value, const std::string& where) {
  const auto* object = value.if_object();
  if (!object) return invalid(where, "must be an object with when and text");
  AutoReplyRule rule;
  for (const auto& entry : *object) {
    if (entry.key() != "when" && entry.key() != "text") {
      return invalid(where + "." + std::string(entry.key()), "unknown field");
    }
  }
  const auto* text = object->if_contains("text");
  if (!text) return invalid(where + ".text", "is required");
  auto reply = non_empty_string(*text, where + ".text");
  if (!reply) return reply.error();
  rule.text = std::move(*reply);
  if (const auto* when_value = member(*object, "when")) {
    const auto* when = when_value->if_object();
    if (!when) return invalid(where + ".when", "must be an object");
    for (const auto& condition : *when) {
      const std::string condition_where = where + ".when." + std::string(condition.key());
      const auto* name = condition.value().if_string();
      if (condition.key() == "priority") {
        rule.priority = name ? parse_priority(*name) : std::nullopt;
        if (!rule.priority) return invalid(condition_where, "must be one of urgent, high, normal, low");
      } else if (condition.key() == "intent") {
        rule.intent = name ? parse_intent(*name) : std::nullopt;
        if (!rule.intent) {
          return invalid(
              condition_where,
              "must be one of booking, maintenance, emergency, billing, cancellation, question, spam, other");
        }
      } else {
        return invalid(condition_where, "unknown condition (priority or intent)");
      }
    }
  }
  return rule;
}

Result<std::vector<AutoReplyRule>> auto_reply(const json::value& value) {
  std::vector<AutoReplyRule> out;
  const auto* list = value.if_array();
  if (!list) return invalid("policy.auto_reply", "must be a list of rules");
  for (std::size_t i = 0; i < list->size(); ++i) {
    auto rule = auto_reply_rule((*list)[i], "policy.auto_reply[" + std::to_string(i) + "]");
    if (!rule) return rule.error();
    out.push_back(std::move(*rule));
  }
  return out;
}

Result<void> read_policy(const json::object& object, TenantPolicy& policy) {
  for (const auto& entry : object) {
    bool known = false;
    for (const auto name : policy_fields) known = known || name == entry.key();
    // A misspelt setting would otherwise be ignored and the tenant screened by defaults.
    if (!known) return invalid("policy." + std::string(entry.key()), "unknown setting");
  }
  if (const auto* value = member(object, "screening")) {
    auto mode = screening(*value);
    if (!mode) return mode.error();
    policy.screening = *mode;
  }
  if (const auto* value = member(object, "min_trust")) {
    auto number = integer_in(*value, "policy.min_trust", 0, 100);
    if (!number) return number.error();
    policy.min_trust = static_cast<int>(*number);
  }
  if (const auto* value = member(object, "reject_message")) {
    auto text = non_empty_string(*value, "policy.reject_message");
    if (!text) return text.error();
    policy.reject_message = std::move(*text);
  }
  if (const auto* value = member(object, "forward_to")) {
    auto e164 = phone_at(*value, "policy.forward_to");
    if (!e164) return e164.error();
    policy.forward_to = std::move(*e164);
  }
  if (const auto* value = member(object, "weights")) {
    auto parsed = weights(*value);
    if (!parsed) return parsed.error();
    policy.weights = *parsed;
  }
  if (const auto* value = member(object, "keywords")) {
    auto parsed = keywords(*value);
    if (!parsed) return parsed.error();
    policy.keywords = std::move(*parsed);
  }
  if (const auto* value = member(object, "auto_reply")) {
    auto parsed = auto_reply(*value);
    if (!parsed) return parsed.error();
    policy.auto_reply = std::move(*parsed);
  }
  if (const auto* value = member(object, "auto_reply_window_s")) {
    auto number = integer_in(*value, "policy.auto_reply_window_s", 1, max_auto_reply_window_s);
    if (!number) return number.error();
    policy.auto_reply_window_s = *number;
  }
  if (const auto* value = member(object, "roles")) {
    const auto* roles = value->if_object();
    if (!roles) return invalid("policy.roles", "must be an object of role → [scopes]");
    for (const auto& [role, scopes] : *roles) {
      const std::string where = "policy.roles." + std::string(role);
      const auto* list = scopes.if_array();
      if (!list) return invalid(where, "must be a list of scopes");
      std::vector<std::string> names;
      for (const auto& scope : *list) {
        const auto* name = scope.if_string();
        if (!name) return invalid(where, "must be a list of scopes");
        names.emplace_back(*name);
      }
      policy.roles[std::string(role)] = std::move(names);
    }
  }
  return Unit{};
}

}  // namespace

std::string_view screening_mode_name(ScreeningMode mode) {
  switch (mode) {
    case ScreeningMode::open:
      return "open";
    case ScreeningMode::known_only:
      return "known-only";
    case ScreeningMode::trust:
      return "trust";
  }
  return "open";
}

Result<TenantPolicy> parse_policy(const json::object& tenant_raw) {
  TenantPolicy policy;
  auto parsed_registry = registry(tenant_raw);
  if (!parsed_registry) return parsed_registry.error();
  policy.registry = std::move(*parsed_registry);
  auto allow = phone_list(tenant_raw, "allow");
  if (!allow) return allow.error();
  policy.allow = std::move(*allow);
  auto block = phone_list(tenant_raw, "block");
  if (!block) return block.error();
  policy.block = std::move(*block);

  if (const auto* value = member(tenant_raw, "policy")) {
    const auto* object = value->if_object();
    if (!object) return invalid("policy", "must be an object");
    auto read = read_policy(*object, policy);
    if (!read) return read.error();
  }
  return policy;
}

}  // namespace frontdesk::reception
