#pragma once
// What a text is about, how it feels and how soon it needs a human: deterministic keyword
// rules, so the same text always gets the same labels on every target, and each label
// comes with the keywords that produced it.
#include <array>
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace frontdesk::reception {

enum class Intent { booking, maintenance, emergency, billing, cancellation, question, spam, other };
enum class Sentiment { positive, neutral, negative };
enum class Priority { urgent, high, normal, low };

std::string_view intent_name(Intent intent);
std::string_view sentiment_name(Sentiment sentiment);
std::string_view priority_name(Priority priority);
std::optional<Intent> parse_intent(std::string_view name);
std::optional<Priority> parse_priority(std::string_view name);

// Every intent but `other` (what is left when nothing matches) has a keyword list.
inline constexpr std::size_t keyword_intent_count = 7;

// Keyword lists, matched case-insensitively as whole words; a list entry of several words
// ("gas leak") matches those words in a row.
struct Keywords {
  std::array<std::vector<std::string>, keyword_intent_count> intents;  // indexed by Intent
  std::vector<std::string> positive;
  std::vector<std::string> negative;
  bool operator==(const Keywords&) const = default;
};

Keywords default_keywords();
// The list a policy `keywords` entry names: an intent (but not `other`), or `positive` /
// `negative` for sentiment; nullptr for any other name.
std::vector<std::string>* keyword_list(Keywords& keywords, std::string_view name);
// True when the keyword has at least one word to match (letters or digits).
bool usable_keyword(std::string_view keyword);

struct KeywordMatch {
  std::string list;  // the intent or sentiment whose list matched
  std::string keyword;
  bool operator==(const KeywordMatch&) const = default;
};

struct Analysis {
  Intent intent = Intent::other;
  Sentiment sentiment = Sentiment::neutral;
  Priority priority = Priority::normal;
  // The chosen intent's matched keywords, then the positive and the negative ones, each
  // in its list's order.
  std::vector<KeywordMatch> reasons;
  bool operator==(const Analysis&) const = default;
};

// Intent: the list with the most distinct matched keywords; a tie goes to the earlier of
// emergency, cancellation, billing, maintenance, booking, spam, question (the costlier
// one to miss first); no match is `other`.
// Sentiment: more negative than positive matches is negative, more positive is positive,
// else neutral.
// Priority: emergency → urgent; spam → low; maintenance or billing with negative
// sentiment → high; else normal.
Analysis analyse_text(std::string_view text, const Keywords& keywords);

// {"intent":"emergency","sentiment":"negative","priority":"urgent",
//  "reasons":[{"list":"emergency","keyword":"flood"},…]}
boost::json::object analysis_to_json(const Analysis& analysis);

}  // namespace frontdesk::reception
