#include "session.hpp"

#include <algorithm>

#include "dispatch.hpp"
#include "json.hpp"

namespace frontdesk {
namespace {

Task<void> run_request(const App& app, const Request& request, EffectQueue& queue, Response& out, bool& finished) {
  Fx fx(queue);
  out = co_await handle_request(app, request, fx);
  finished = true;
}

Task<void> run_object(const App& app, const SessionInput& input, EffectQueue& queue, ObjectReply& out,
                      bool& finished) {
  Fx fx(queue);
  if (const auto* call = std::get_if<ObjectInvocation>(&input)) {
    out = co_await handle_object_call(app, *call, fx);
  } else {
    out = co_await handle_object_alarm(app, std::get<ObjectAlarm>(input), fx);
  }
  finished = true;
}

}  // namespace

Session::Session(Key, const App& app, SessionInput input) : app_(app), input_(std::move(input)) {}

Session::~Session() = default;

std::unique_ptr<Session> Session::start(const App& app, SessionInput input) {
  auto session = std::make_unique<Session>(Key{}, app, std::move(input));
  session->begin();
  return session;
}

void Session::begin() {
  if (const auto* request = std::get_if<Request>(&input_)) {
    root_ = run_request(app_, *request, queue_, response_, finished_);
  } else {
    root_ = run_object(app_, input_, queue_, reply_, finished_);
  }
  root_.start();
  check_stalled();
}

std::vector<PendingEffect> Session::take_effects() {
  std::vector<PendingEffect> effects;
  for (auto& requested : queue_.take_fresh()) effects.push_back({requested.id, std::move(requested.effect)});
  return effects;
}

void Session::resume(std::vector<EffectResult> results) {
  std::sort(results.begin(), results.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  for (auto& result : results) {
    if (auto waiter = queue_.settle(result.id, std::move(result.outcome))) waiter.resume();
  }
  check_stalled();
}

bool Session::done() const { return finished_; }

// A session that is neither done nor waiting on any effect can never finish: answer it
// rather than leave the host waiting forever.
void Session::check_stalled() {
  if (finished_ || !queue_.idle()) return;
  finished_ = true;
  const Error stalled = make_error(ErrorCode::internal, "the request stopped without an answer");
  if (is_request()) {
    response_ = error_response(stalled);
  } else {
    reply_ = stalled;
  }
}

}  // namespace frontdesk
