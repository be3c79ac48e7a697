#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include "core/reception/text_analysis.hpp"

using namespace frontdesk::reception;

namespace {

Analysis analyse(std::string_view text) { return analyse_text(text, default_keywords()); }

}  // namespace

TEST_CASE("text: each intent is found by its default keywords") {
  const std::vector<std::pair<std::string, Intent>> cases{
      {"Can I book an appointment for Tuesday", Intent::booking},
      {"The toilet is clogged", Intent::maintenance},
      {"There is a gas leak in the basement", Intent::emergency},
      {"I have a question about my invoice and the fee", Intent::billing},
      {"Please cancel my subscription", Intent::cancellation},
      {"Do you open on Sundays", Intent::question},
      {"Click here to claim your prize", Intent::spam},
      {"Hello there", Intent::other},
  };
  for (const auto& [text, intent] : cases) {
    INFO(text);
    CHECK(analyse(text).intent == intent);
  }
}

TEST_CASE("text: matching is case-insensitive and by whole words only") {
  CHECK(analyse("FLOOD in the kitchen").intent == Intent::emergency);
  CHECK(analyse("Check my Facebook page").intent == Intent::other);  // "book" inside a word
  CHECK(analyse("Our firewall is fine").intent == Intent::other);    // "fire" inside a word
  CHECK(analyse("fire!").intent == Intent::emergency);               // punctuation ends a word
  CHECK(analyse("won't pay").reasons == std::vector<KeywordMatch>{{"billing", "pay"}});
}

TEST_CASE("text: a keyword of several words matches them in a row") {
  CHECK(analyse("GAS   LEAK, help").reasons == std::vector<KeywordMatch>{{"emergency", "gas leak"}});
  CHECK(analyse("gas and a leak").intent == Intent::maintenance);  // only "leak" matches
}

TEST_CASE("text: the intent with most matched keywords wins") {
  // booking: book, appointment; question: can you
  CHECK(analyse("Can you book me an appointment").intent == Intent::booking);
  // spam: winner, prize; emergency: urgent
  CHECK(analyse("URGENT: you are a winner, claim the prize").intent == Intent::spam);
}

TEST_CASE("text: a tie goes to the intent that costs most to miss") {
  CHECK(analyse("cancel the booking").intent == Intent::cancellation);  // 1 vs 1
  CHECK(analyse("fire and a bill").intent == Intent::emergency);
  CHECK(analyse("the sink and the bill").intent == Intent::billing);
  CHECK(analyse("repair then book").intent == Intent::maintenance);
  CHECK(analyse("book, bitcoin").intent == Intent::booking);
  CHECK(analyse("bitcoin, do you").intent == Intent::spam);
}

TEST_CASE("text: a keyword repeated counts once") {
  // billing: bill (once); booking: book, appointment
  CHECK(analyse("bill bill bill, book an appointment").intent == Intent::booking);
}

TEST_CASE("text: sentiment compares positive and negative matches") {
  CHECK(analyse("Thanks, that was great").sentiment == Sentiment::positive);
  CHECK(analyse("This is terrible and I am upset").sentiment == Sentiment::negative);
  CHECK(analyse("thanks but it is terrible and unacceptable").sentiment == Sentiment::negative);
  CHECK(analyse("thanks but terrible").sentiment == Sentiment::neutral);
  CHECK(analyse("see you at noon").sentiment == Sentiment::neutral);
}

TEST_CASE("text: priority from intent and sentiment") {
  CHECK(analyse("flood!").priority == Priority::urgent);
  CHECK(analyse("Thanks! Just a burst pipe, all good").priority == Priority::urgent);  // emergency wins
  CHECK(analyse("The heater is broken again, this is unacceptable").priority == Priority::high);
  CHECK(analyse("I was charged twice, terrible").priority == Priority::high);
  CHECK(analyse("The heater needs a repair").priority == Priority::normal);    // maintenance, neutral
  CHECK(analyse("Cancel it, this is terrible").priority == Priority::normal);  // negative but cancellation
  CHECK(analyse("Free money, click here").priority == Priority::low);
  CHECK(analyse("hello").priority == Priority::normal);
}

TEST_CASE("text: reasons are the chosen intent's keywords then positive then negative") {
  const auto analysis = analyse("Thanks, but the heater is broken and the sink is leaking. Unacceptable.");
  CHECK(analysis.intent == Intent::maintenance);
  CHECK(analysis.sentiment == Sentiment::negative);
  CHECK(analysis.priority == Priority::high);
  CHECK(analysis.reasons == std::vector<KeywordMatch>{{"maintenance", "broken"},
                                                      {"maintenance", "leaking"},
                                                      {"maintenance", "heater"},
                                                      {"maintenance", "sink"},
                                                      {"positive", "thanks"},
                                                      {"negative", "unacceptable"},
                                                      {"negative", "broken"}});
  CHECK(analyse("hello").reasons.empty());
}

TEST_CASE("text: keywords from the policy replace a default list") {
  auto keywords = default_keywords();
  *keyword_list(keywords, "emergency") = {"help", "no power"};
  *keyword_list(keywords, "negative") = {"meh"};
  const auto analysis = analyse_text("HELP, no power since noon. Meh.", keywords);
  CHECK(analysis.intent == Intent::emergency);
  CHECK(analysis.priority == Priority::urgent);
  CHECK(analysis.sentiment == Sentiment::negative);
  // the default emergency words are gone
  CHECK(analyse_text("flood", keywords).intent == Intent::other);
  // an emptied list never matches
  *keyword_list(keywords, "spam") = {};
  CHECK(analyse_text("click here", keywords).intent == Intent::other);
}

TEST_CASE("text: keyword lists are named by intent or sentiment") {
  auto keywords = default_keywords();
  CHECK(keyword_list(keywords, "booking") == &keywords.intents[0]);
  CHECK(keyword_list(keywords, "positive") == &keywords.positive);
  CHECK(keyword_list(keywords, "other") == nullptr);
  CHECK(keyword_list(keywords, "neutral") == nullptr);
  CHECK(usable_keyword("gas leak"));
  CHECK_FALSE(usable_keyword(" ?! "));
}

TEST_CASE("text: names parse and print") {
  CHECK(parse_intent("cancellation") == Intent::cancellation);
  CHECK(parse_intent("Booking") == std::nullopt);
  CHECK(parse_priority("low") == Priority::low);
  CHECK(parse_priority("critical") == std::nullopt);
  CHECK(intent_name(Intent::other) == "other");
  CHECK(sentiment_name(Sentiment::negative) == "negative");
  CHECK(priority_name(Priority::high) == "high");
}

TEST_CASE("text: non-ASCII letters belong to words") {
  CHECK(analyse("café fire").intent == Intent::emergency);
  CHECK(analyse("firé").intent == Intent::other);
}

TEST_CASE("text: JSON form lists labels and reasons") {
  CHECK(boost::json::serialize(analysis_to_json(analyse("Flood! Thanks"))) ==
        R"({"intent":"emergency","sentiment":"positive","priority":"urgent",)"
        R"("reasons":[{"list":"emergency","keyword":"flood"},{"list":"positive","keyword":"thanks"}]})");
}
