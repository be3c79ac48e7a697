#include "text_analysis.hpp"

#include <boost/json/array.hpp>
#include <initializer_list>

namespace frontdesk::reception {
namespace {

constexpr std::array<std::string_view, 8> intent_names{"booking",      "maintenance", "emergency", "billing",
                                                       "cancellation", "question",    "spam",      "other"};
constexpr std::array<std::string_view, 3> sentiment_names{"positive", "neutral", "negative"};
constexpr std::array<std::string_view, 4> priority_names{"urgent", "high", "normal", "low"};

// Which intent wins a tie: the one it costs most to miss comes first.
constexpr std::array<Intent, keyword_intent_count> tie_order{Intent::emergency,   Intent::cancellation, Intent::billing,
                                                             Intent::maintenance, Intent::booking,      Intent::spam,
                                                             Intent::question};

std::vector<std::string> list(std::initializer_list<std::string_view> words) {
  std::vector<std::string> out;
  out.reserve(words.size());
  for (const auto word : words) out.emplace_back(word);
  return out;
}

bool word_byte(unsigned char c) {
  // Bytes of multi-byte UTF-8 count as letters, so "café" stays one word.
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Lowercased words; an apostrophe inside a word belongs to it ("won't" is not "won").
std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> out;
  std::string current;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (word_byte(static_cast<unsigned char>(c))) {
      current.push_back(lower(c));
    } else if (c == '\'' && !current.empty() && i + 1 < text.size() &&
               word_byte(static_cast<unsigned char>(text[i + 1]))) {
      current.push_back(c);
    } else if (!current.empty()) {
      out.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) out.push_back(std::move(current));
  return out;
}

bool contains_run(const std::vector<std::string>& text, const std::vector<std::string>& run) {
  if (run.empty() || run.size() > text.size()) return false;
  for (std::size_t start = 0; start + run.size() <= text.size(); ++start) {
    bool all = true;
    for (std::size_t k = 0; k < run.size() && all; ++k) all = text[start + k] == run[k];
    if (all) return true;
  }
  return false;
}

// The keywords of one list found in the text, once each, in the list's order.
std::vector<std::string> matches(const std::vector<std::string>& text, const std::vector<std::string>& keywords) {
  std::vector<std::string> found;
  for (const auto& keyword : keywords) {
    if (contains_run(text, words_of(keyword))) found.push_back(keyword);
  }
  return found;
}

void add_reasons(std::vector<KeywordMatch>& reasons, std::string_view list_name,
                 const std::vector<std::string>& found) {
  for (const auto& keyword : found) reasons.push_back({std::string(list_name), keyword});
}

Priority priority_for(Intent intent, Sentiment sentiment) {
  if (intent == Intent::emergency) return Priority::urgent;
  if (intent == Intent::spam) return Priority::low;
  if (sentiment == Sentiment::negative && (intent == Intent::maintenance || intent == Intent::billing)) {
    return Priority::high;
  }
  return Priority::normal;
}

template <class Enum, std::size_t N>
std::optional<Enum> parse_name(const std::array<std::string_view, N>& names, std::string_view name) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == name) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

}  // namespace

std::string_view intent_name(Intent intent) { return intent_names[static_cast<std::size_t>(intent)]; }
std::string_view sentiment_name(Sentiment sentiment) { return sentiment_names[static_cast<std::size_t>(sentiment)]; }
std::string_view priority_name(Priority priority) { return priority_names[static_cast<std::size_t>(priority)]; }
std::optional<Intent> parse_intent(std::string_view name) { return parse_name<Intent>(intent_names, name); }
std::optional<Priority> parse_priority(std::string_view name) { return parse_name<Priority>(priority_names, name); }

Keywords default_keywords() {
  Keywords k;
  auto& intents = k.intents;
  intents[static_cast<std::size_t>(Intent::booking)] =
      list({"book", "booking", "booked", "appointment", "schedule", "reschedule", "reservation", "reserve",
            "availability", "time slot"});
  intents[static_cast<std::size_t>(Intent::maintenance)] =
      list({"repair", "broken", "leak", "leaking", "fix", "maintenance", "not working", "clogged", "no hot water",
            "heater", "plumbing", "plumber", "electrician", "furnace", "toilet", "sink"});
  // Bare "help" is left out on purpose: "can you help me with my bill" would otherwise
  // page someone. Tenants who want it add it in their policy.
  intents[static_cast<std::size_t>(Intent::emergency)] =
      list({"emergency", "fire", "flood", "flooding", "burst", "gas leak", "smoke", "carbon monoxide", "urgent", "asap",
            "911"});
  intents[static_cast<std::size_t>(Intent::billing)] =
      list({"bill", "billing", "invoice", "payment", "pay", "paid", "charge", "charged", "overcharged", "refund",
            "receipt", "balance", "fee"});
  intents[static_cast<std::size_t>(Intent::cancellation)] =
      list({"cancel", "cancellation", "cancelled", "canceled", "cancelling", "call off", "terminate"});
  intents[static_cast<std::size_t>(Intent::question)] =
      list({"question", "wondering", "how do", "how much", "what time", "when do", "where is", "do you", "can you",
            "could you", "is there", "are you"});
  intents[static_cast<std::size_t>(Intent::spam)] =
      list({"click here", "winner", "prize", "crypto", "bitcoin", "free money", "act now", "limited time", "lottery",
            "gift card", "claim your"});
  k.positive = list({"thanks", "thank", "great", "excellent", "awesome", "appreciate", "appreciated", "happy", "love",
                     "perfect", "wonderful", "pleased"});
  k.negative = list({"angry", "upset", "terrible", "awful", "horrible", "worst", "bad", "disappointed", "frustrated",
                     "unacceptable", "ridiculous", "complaint", "broken", "still waiting"});
  return k;
}

std::vector<std::string>* keyword_list(Keywords& keywords, std::string_view name) {
  if (name == "positive") return &keywords.positive;
  if (name == "negative") return &keywords.negative;
  const auto intent = parse_intent(name);
  if (!intent || *intent == Intent::other) return nullptr;
  return &keywords.intents[static_cast<std::size_t>(*intent)];
}

bool usable_keyword(std::string_view keyword) { return !words_of(keyword).empty(); }

Analysis analyse_text(std::string_view text, const Keywords& keywords) {
  const auto words = words_of(text);
  Analysis out;

  std::vector<std::string> intent_found;
  for (const auto intent : tie_order) {
    auto found = matches(words, keywords.intents[static_cast<std::size_t>(intent)]);
    // Strictly more: on a tie the earlier intent in tie_order keeps it.
    if (found.size() > intent_found.size()) {
      out.intent = intent;
      intent_found = std::move(found);
    }
  }
  const auto positive = matches(words, keywords.positive);
  const auto negative = matches(words, keywords.negative);
  if (negative.size() > positive.size()) {
    out.sentiment = Sentiment::negative;
  } else if (positive.size() > negative.size()) {
    out.sentiment = Sentiment::positive;
  }
  out.priority = priority_for(out.intent, out.sentiment);

  add_reasons(out.reasons, intent_name(out.intent), intent_found);
  add_reasons(out.reasons, "positive", positive);
  add_reasons(out.reasons, "negative", negative);
  return out;
}

boost::json::object analysis_to_json(const Analysis& analysis) {
  boost::json::object out;
  out["intent"] = intent_name(analysis.intent);
  out["sentiment"] = sentiment_name(analysis.sentiment);
  out["priority"] = priority_name(analysis.priority);
  boost::json::array reasons;
  for (const auto& reason : analysis.reasons) {
    boost::json::object entry;
    entry["list"] = reason.list;
    entry["keyword"] = reason.keyword;
    reasons.push_back(std::move(entry));
  }
  out["reasons"] = std::move(reasons);
  return out;
}

}  // namespace frontdesk::reception
