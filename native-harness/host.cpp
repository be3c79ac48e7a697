#include "host.hpp"

#include <algorithm>
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
  std::function<void(Session&)> on_done;
  std::vector<EffectResult> results;
  std::size_t outstanding = 0;
  bool dispatching = false;
  // What the call published for the live sockets: sent only once it has committed.
  std::vector<LiveMessage> published;
};

namespace {

Error stalled() { return Error{ErrorCode::internal, "the session stopped without an answer"}; }

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
      http_(io, options_.fetch) {}

Host::Host(boost::asio::io_context& io, const App& app, Store& store, Faults faults)
    : Host(io, app, store, [&] {
        HostOptions options;
        options.faults = faults;
        return options;
      }()) {}

Host::~Host() = default;

void Host::handle(Request request, std::function<void(Response)> done) {
  auto run = std::make_shared<Run>();
  run->session = Session::start(app_, std::move(request));
  run->on_done = [this, done = std::move(done)](Session& session) {
    // The answer waits until what it tells of is durable (the group commit's output gate).
    store_.after_durable([done, response = session.done() ? session.response() : error_response(stalled())](
                             bool durable) { done(durable ? response : error_response(not_durable())); });
  };
  start(std::move(run));
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
  run->on_done = [done = std::move(done)](Session& session) {
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
    run_in_object(object, std::move(input), std::move(chain),
                  [done = std::move(done), finished = std::move(finished)](ObjectReply reply) {
                    done(std::move(reply));
                    finished();  // only now may the object's next call start
                  });
  });
}

void Host::run_in_object(const ObjectKey& object, SessionInput input, std::vector<ObjectKey> chain,
                         std::function<void(ObjectReply)> done) {
  auto db = store_.object(object);
  if (!db) return done(db.error());
  if (auto began = (*db)->begin(); !began) return done(began.error());
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
  run->on_done = [this, object, db = *db, published = &run->published, done = std::move(done)](Session& session) {
    ObjectReply reply = session.done() ? session.reply() : ObjectReply{stalled()};
    // A call that failed leaves nothing behind: the delivery it was part of is retried
    // whole. The reply leaves only once what the call wrote is durable (as a Durable
    // Object's output gate): a failed commit turns any reply into the failure.
    if (!reply) {
      db->rollback();
    } else if (auto committed = db->commit(); !committed) {
      db->rollback();
      reply = committed.error();
    } else {
      set_up_.insert(object);
      if (!published->empty()) {
        store_.after_durable([this, id = object.id, messages = std::move(*published)](bool durable) {
          if (durable) live_.publish(id, messages);
        });
      }
    }
    done(std::move(reply));
  };
  start(std::move(run));
}

void Host::start(RunPtr run) {
  ++sessions_in_flight_;
  drive(run);
}

void Host::drive(const RunPtr& run) {
  while (true) {
    auto effects = run->session->take_effects();
    if (effects.empty()) {
      // Done, or (never, if the core keeps its word) stuck: either way this run is over.
      --sessions_in_flight_;
      auto on_done = std::move(run->on_done);
      on_done(*run->session);
      return;
    }
    run->results.clear();
    run->results.reserve(effects.size());
    run->outstanding = effects.size();
    run->dispatching = true;
    for (auto& pending : effects) perform(run, std::move(pending));
    run->dispatching = false;
    if (run->outstanding > 0) return;  // the last asynchronous result drives on
    run->session->resume(std::move(run->results));
  }
}

void Host::settle(const RunPtr& run, std::uint32_t id, Result<EffectOutput> outcome) {
  run->results.push_back({id, std::move(outcome)});
  if (--run->outstanding > 0 || run->dispatching) return;
  run->session->resume(std::move(run->results));
  drive(run);
}

void Host::perform(const RunPtr& run, PendingEffect pending) {
  const auto id = pending.id;
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
