#include "host.hpp"

#include <algorithm>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <type_traits>
#include <utility>

#include "core/json.hpp"
#include "local_effects.hpp"

namespace frontdesk::native {

// One session being driven: the effects of a step are performed (some at once, some
// asynchronously) and their results fed back with one resume() when all are in.
struct Host::Run {
  std::unique_ptr<Session> session;
  // Set inside an object: its database, and the chain of objects calling into each other
  // down to this one (a call back into any of them would wait on itself forever).
  std::shared_ptr<ObjectDatabase> db;
  std::vector<ObjectKey> chain;
  // stored: the run performed an effect on storage, objects or the network (see touches_state).
  std::function<void(Session&, bool stored)> on_done;
  bool stored = false;
  std::vector<EffectResult> results;
  std::size_t outstanding = 0;
  bool dispatching = false;
  // What the call published for the live sockets: sent only once it has committed.
  std::vector<LiveMessage> published;
  // A request run off the io thread (on a compute thread, or the connection's that handed
  // it in): its steps run there until the first effect that needs the io thread (but for
  // the clock and randomness, any), and from then on on the io thread; io.run() keeps going
  // meanwhile.
  bool pooled = false;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> keep_io;
};

namespace {

Error stalled() { return Error{ErrorCode::internal, "the session stopped without an answer"}; }

// Effects a compute thread performs itself: they touch nothing of the io thread's.
bool performed_anywhere(const std::vector<PendingEffect>& effects) {
  return std::all_of(effects.begin(), effects.end(), [](const PendingEffect& pending) {
    return std::holds_alternative<Now>(pending.effect) || std::holds_alternative<Random>(pending.effect);
  });
}

// The clock, randomness and the log reveal nothing stored: a request that performed only
// those (a plain /health, a refusal before any lookup) has nothing to wait for.
bool touches_state(const Effect& effect) {
  return !std::holds_alternative<Now>(effect) && !std::holds_alternative<Random>(effect) &&
         !std::holds_alternative<Log>(effect);
}

Error not_durable() { return Error{ErrorCode::storage_unavailable, "the database could not make the write durable"}; }

}  // namespace

Host::Host(boost::asio::io_context& io, const App& app, Store& store, HostOptions options)
    : io_(io),
      app_(app),
      store_(store),
      options_(std::move(options)),
      actors_(io),
      alarms_(io, store, options_.clock, [this](const ObjectKey& object, std::function<void(bool)> done) {
        run_alarm(object, [done = std::move(done)](const ObjectReply& reply) { done(reply.ok()); });
      }),
      http_(io, options_.fetch) {
  if (options_.compute_threads > 0) compute_.emplace(options_.compute_threads);
}

Host::Host(boost::asio::io_context& io, const App& app, Store& store, Faults faults)
    : Host(io, app, store, [&] {
        HostOptions options;
        options.faults = faults;
        return options;
      }()) {}

Host::~Host() = default;

void Host::handle(Request request, std::function<void(Response)> done) {
  auto run = std::make_shared<Run>();
  run->on_done = [this, done = std::move(done)](Session& session, bool stored) {
    auto response = session.done() ? session.response() : error_response(stalled());
    if (!stored) return done(std::move(response));
    // The answer waits until what it tells of is durable (the group commit's output gate).
    store_.after_durable([done, response = std::move(response)](bool durable) {
      done(durable ? response : error_response(not_durable()));
    });
  };
  // Deliveries go to the pool: their signature checks are the costly work. Everything else
  // (health, the API, the console's requests) is light and answers sooner without two hops:
  // on the io thread when called there, else on the caller's thread until it needs the io
  // thread.
  const bool to_pool = compute_ && request.method == "POST" && request.path.starts_with("/webhooks/");
  if (!to_pool && io_.get_executor().running_in_this_thread()) {
    run->session = Session::start(app_, std::move(request));
    return start(std::move(run));
  }
  run->pooled = true;
  run->keep_io.emplace(io_.get_executor());
  ++sessions_in_flight_;
  auto begin = [this, run, request = std::move(request)]() mutable {
    run->session = Session::start(app_, std::move(request));
    drive(run);
  };
  if (to_pool) return boost::asio::post(*compute_, std::move(begin));
  begin();
}

void Host::call_object(const ObjectKey& object, std::string message, std::function<void(ObjectReply)> done) {
  enqueue_object(object, ObjectInvocation{object.kind, object.id, std::move(message)}, {},
                 [this, done = std::move(done)](ObjectReply reply) {
                   store_.after_durable([done, reply = std::move(reply)](bool durable) {
                     done(durable ? reply : ObjectReply{not_durable()});
                   });
                 });
}

// Outside the object's turn (docs/wire.md): the alarm session calls into its object like
// any other caller, so the object serves its other calls while the alarm waits on the network.
void Host::run_alarm(const ObjectKey& object, std::function<void(ObjectReply)> done) {
  auto run = std::make_shared<Run>();
  run->session = Session::start(app_, ObjectAlarm{object.kind, object.id});
  run->on_done = [done = std::move(done)](Session& session, bool) {
    done(session.done() ? session.reply() : ObjectReply{stalled()});
  };
  start(std::move(run));
}

Result<void> Host::restore_alarms() { return alarms_.restore(); }

void Host::stop() {
  alarms_.stop();
  live_.close_all();
}

void Host::enqueue_object(const ObjectKey& object, SessionInput input, std::vector<ObjectKey> chain,
                          std::function<void(ObjectReply)> done) {
  actors_.enqueue(object, [this, object, input = std::move(input), chain = std::move(chain),
                           done = std::move(done)](ObjectActors::Finished finished) mutable {
    run_in_object(object, std::move(input), std::move(chain), std::move(done), std::move(finished));
  });
}

// The calls queued into an object one behind the other share one transaction, each in a
// savepoint of its own: a call that fails is undone alone, and the group is committed when
// the queue runs dry (or the group is full). Replies leave only once their group has
// committed (as a Durable Object's output gate holds them), so no caller sees a write that
// could still be rolled back; the pages a burst of calls shares are written once.
void Host::run_in_object(const ObjectKey& object, SessionInput input, std::vector<ObjectKey> chain,
                         std::function<void(ObjectReply)> done, ObjectActors::Finished finished) {
  auto db = store_.object(object);
  if (!db) {
    done(db.error());
    return finished();
  }
  if (auto began = (*db)->begin_call(); !began) {
    fail_group(object, **db, began.error());
    done(began.error());
    return finished();
  }
  auto run = std::make_shared<Run>();
  run->db = *db;
  run->chain = std::move(chain);
  run->chain.push_back(object);
  const bool listening = object.kind == "ledger" && live_.listening(object.id);
  std::visit([fresh = !set_up_.contains(object), listening](auto& in) {
    using In = std::decay_t<decltype(in)>;
    if constexpr (!std::is_same_v<In, Request>) in.fresh = fresh;
    if constexpr (std::is_same_v<In, ObjectInvocation>) in.listening = listening;
  }, input);
  // Started here (not before the transaction) because a session runs up to its first
  // effects at once.
  run->session = Session::start(app_, std::move(input));
  run->on_done = [this, object, db = *db, published = &run->published, done = std::move(done),
                  finished = std::move(finished)](Session& session, bool) {
    ObjectReply reply = session.done() ? session.reply() : ObjectReply{stalled()};
    if (auto ended = db->end_call(reply.ok()); !ended) {
      fail_group(object, *db, ended.error());
      done(reply ? ObjectReply{ended.error()} : std::move(reply));
    } else if (!reply) {
      done(std::move(reply));  // undone alone: the group goes on
    } else {
      set_up_.insert(object);
      auto& group = groups_[object];
      group.replies.emplace_back(done, std::move(reply));
      for (auto& message : *published) group.published.push_back(std::move(message));
    }
    const auto grouped = groups_.find(object);
    if (actors_.waiting(object) == 0 || (grouped != groups_.end() && grouped->second.replies.size() >= max_group_calls)) {
      commit_group(object, *db);
    }
    finished();  // only now may the object's next call start
  };
  start(std::move(run));
}

void Host::commit_group(const ObjectKey& object, ObjectDatabase& db) {
  if (!groups_.contains(object) && !db.in_transaction()) return;  // nothing to commit
  // A failed commit (or a transaction SQLite already rolled back) fails the whole group.
  if (auto committed = db.commit(); !committed) return fail_group(object, db, committed.error());
  auto node = groups_.extract(object);
  if (node.empty()) return;
  auto& group = node.mapped();
  if (!group.published.empty()) {
    store_.after_durable([this, id = object.id, messages = std::move(group.published)](bool durable) {
      if (durable) live_.publish(id, messages);
    });
  }
  for (auto& [done, reply] : group.replies) done(std::move(reply));
}

void Host::fail_group(const ObjectKey& object, ObjectDatabase& db, const Error& error) {
  db.rollback();
  set_up_.erase(object);  // its set-up may have been in the group
  auto node = groups_.extract(object);
  if (node.empty()) return;
  for (auto& [done, reply] : node.mapped().replies) done(ObjectReply{error});
}

void Host::start(RunPtr run) {
  ++sessions_in_flight_;
  drive(run);
}

void Host::drive(const RunPtr& run) {
  while (true) {
    auto effects = run->session->take_effects();
    // Done, or (never, if the core keeps its word) stuck: either way this run is over.
    if (effects.empty()) return finish(run);
    if (run->pooled && !performed_anywhere(effects)) {
      // The costly part (the signature check) is done: the rest of the delivery (its ledger
      // call and the answer) stays on the io thread rather than hop back and forth.
      boost::asio::post(io_, [this, run, effects = std::move(effects)]() mutable {
        run->pooled = false;
        if (!dispatch(run, std::move(effects))) return;
        run->session->resume(std::move(run->results));
        drive(run);
      });
      return;
    }
    if (!dispatch(run, std::move(effects))) return;  // the last asynchronous result drives on
    run->session->resume(std::move(run->results));
  }
}

bool Host::dispatch(const RunPtr& run, std::vector<PendingEffect> effects) {
  run->results.clear();
  run->results.reserve(effects.size());
  run->outstanding = effects.size();
  run->dispatching = true;
  for (auto& pending : effects) perform(run, std::move(pending));
  run->dispatching = false;
  return run->outstanding == 0;
}

void Host::finish(const RunPtr& run) {
  // A run still pooled never needed the io thread, so it stored nothing: it ends where it is.
  --sessions_in_flight_;
  auto on_done = std::move(run->on_done);
  on_done(*run->session, run->stored);
  run->keep_io.reset();
}

void Host::settle(const RunPtr& run, std::uint32_t id, Result<EffectOutput> outcome) {
  run->results.push_back({id, std::move(outcome)});
  if (--run->outstanding > 0 || run->dispatching) return;
  run->session->resume(std::move(run->results));
  drive(run);
}

void Host::perform(const RunPtr& run, PendingEffect pending) {
  const auto id = pending.id;
  if (touches_state(pending.effect)) run->stored = true;
  if (options_.faults.fails(pending.effect)) return settle(run, id, injected_fault(*fault_class_of(pending.effect)));
  std::visit(
      [&](auto& effect) {
        using E = std::decay_t<decltype(effect)>;
        if constexpr (std::is_same_v<E, ObjectCall>) {
          ObjectKey callee{std::move(effect.kind), std::move(effect.id)};
          if (std::find(run->chain.begin(), run->chain.end(), callee) != run->chain.end()) {
            return settle(run, id, Error{ErrorCode::internal, "object.call into an object already in the call chain"});
          }
          auto chain = run->chain;
          ObjectInvocation invocation{callee.kind, callee.id, std::move(effect.message)};
          enqueue_object(callee, std::move(invocation), std::move(chain), [this, run, id](ObjectReply reply) {
            if (!reply) return settle(run, id, reply.error());
            settle(run, id, EffectOutput{std::in_place_type<std::string>, std::move(reply.value())});
          });
        } else if constexpr (std::is_same_v<E, FetchRequest>) {
          http_.fetch(std::move(effect), [this, run, id](Result<FetchResponse> response) {
            if (!response) return settle(run, id, response.error());
            settle(run, id, EffectOutput{std::in_place_type<FetchResponse>, std::move(response.value())});
          });
        } else if constexpr (std::is_same_v<E, LivePublish>) {
          if (!run->db) return settle(run, id, Error{ErrorCode::internal, "live.publish outside an object"});
          for (auto& message : effect.messages) run->published.push_back(std::move(message));
          settle(run, id, EffectOutput{std::monostate{}});
        } else if constexpr (std::is_same_v<E, AlarmSet>) {
          if (!run->db) return settle(run, id, Error{ErrorCode::internal, "alarm.set outside an object"});
          auto armed = alarms_.set(run->chain.back(), effect.at_ms);
          if (!armed) return settle(run, id, armed.error());
          settle(run, id, EffectOutput{std::monostate{}});
        } else {
          const LocalEffects context{store_, run->db.get(), options_.clock, options_.log};
          settle(run, id, perform_local(context, pending.effect));
        }
      },
      pending.effect);
}

}  // namespace frontdesk::native
