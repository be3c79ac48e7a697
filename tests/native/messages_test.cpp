// Beast messages ↔ the core's Request and Response.
#include <catch2/catch.hpp>

#include "messages.hpp"

using namespace frontdesk;
using namespace frontdesk::native;
namespace http = boost::beast::http;

TEST_CASE("requests reach the core raw: path, query, header case, body bytes", "[messages]") {
  BeastRequest message{http::verb::post, "/webhooks/tel%6Eyx?a=1&b=%20+x", 11};
  message.insert("X-Twilio-Signature", "abc=");
  message.insert("content-type", "application/json");
  message.insert("X-Repeated", "1");
  message.insert("x-repeated", "2");
  message.body() = std::string("{\"a\":\0}", 7);
  const auto request = to_core_request(std::move(message));
  CHECK(request.method == "POST");
  CHECK(request.path == "/webhooks/tel%6Eyx");
  CHECK(request.query == "a=1&b=%20+x");
  REQUIRE(request.headers.size() == 4);
  CHECK(request.headers.entries()[0] == Headers::Entry{"X-Twilio-Signature", "abc="});
  CHECK(request.headers.entries()[3] == Headers::Entry{"x-repeated", "2"});
  CHECK(request.body == std::string("{\"a\":\0}", 7));

  BeastRequest bare{http::verb::get, "/health", 11};
  const auto plain = to_core_request(std::move(bare));
  CHECK(plain.path == "/health");
  CHECK(plain.query.empty());
}

TEST_CASE("responses leave with the core's headers and a Content-Length", "[messages]") {
  Response response;
  response.status = 429;
  response.headers.add("content-type", "application/json");
  response.headers.add("Retry-After", "30");
  response.body = R"({"error":{}})";
  const auto message = to_beast_response(response, false);
  CHECK(message.result_int() == 429);
  CHECK(message["Retry-After"] == "30");
  CHECK(message[http::field::content_length] == "12");
  CHECK(message.body() == response.body);

  const auto head = to_beast_response(response, true);
  CHECK(head[http::field::content_length] == "12");
  CHECK(head.body().empty());
}

TEST_CASE("an invalid header becomes a 500, never a split message", "[messages]") {
  for (const auto& [name, value] : std::vector<Headers::Entry>{
           {"x-ok", "a\r\nSet-Cookie: evil=1"}, {"bad name", "x"}, {"", "x"}, {"x\r\ny", "x"},
           {"x-nul", std::string("a\0b", 3)}}) {
    Response response;
    response.headers.add(name, value);
    response.body = "ok";
    const auto message = to_beast_response(response, false);
    CHECK(message.result_int() == 500);
    CHECK(message.body().find(R"("code":"internal")") != std::string::npos);
    CHECK(message.count("Set-Cookie") == 0);
  }
  CHECK(valid_header_name("X-Hub-Signature-256"));
  CHECK(valid_header_value("t=1,v1=abc; x=\"y\" \t"));
}
