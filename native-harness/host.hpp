#pragma once
// The native host: drives core sessions and performs the effects they ask for — KV and
// object storage on SQLite, object calls through per-object serial queues, alarms on
// timers, fetch over HTTP. No sockets of its own: the server (or a test, or a benchmark)
// hands it requests in-process.
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "alarms.hpp"
#include "clock.hpp"
#include "core/app.hpp"
#include "core/http.hpp"
#include "core/session.hpp"
#include "faults.hpp"
#include "http_client.hpp"
#include "live_hub.hpp"
#include "object_actors.hpp"
#include "object_key.hpp"
#include "output.hpp"
#include "sqlite_store.hpp"

namespace frontdesk::native {

struct HostOptions {
  Faults faults;
  Clock clock = system_clock_ms;
  LogSink log = write_stdout_line;  // where the core's log records go
  FetchOptions fetch;
  // Threads that run webhook deliveries' own work (signature checks, normalizing) beside
  // the io thread; 0: all of it where handle() was called. Objects, storage, the network
  // and the rest of a delivery once it calls its ledger (the answer is light: a hop back
  // costs more) stay on the io thread; the other requests (light: health, the API) run
  // where handle() was called until they need it.
  std::size_t compute_threads = 0;
};

class Host {
 public:
  // app and store must outlive the host. Objects, storage, alarms and fetches run on io's
  // thread; handle() may be called from any (see there).
  Host(boost::asio::io_context& io, const App& app, Store& store, HostOptions options = {});
  Host(boost::asio::io_context& io, const App& app, Store& store, Faults faults);
  Host(const Host&) = delete;
  Host& operator=(const Host&) = delete;
  ~Host();

  // Answers one HTTP request. May be called from any thread: off the io thread the request
  // runs where it was called (or on a compute thread) up to its first effect that needs the
  // io thread, so a request that needs none (GET /health) never waits for the objects.
  // done may run before handle returns, on a compute thread, or on the io thread.
  void handle(Request request, std::function<void(Response)> done);
  // Runs a call into an object in that object's queue, as an object.call effect would.
  void call_object(const ObjectKey& object, std::string message, std::function<void(ObjectReply)> done);
  // Runs the object's alarm handler in that object's queue.
  void run_alarm(const ObjectKey& object, std::function<void(ObjectReply)> done);

  // Arms the alarms persisted by an earlier run (startup).
  Result<void> restore_alarms();
  // Shutdown: no more alarms fire; sessions in flight finish.
  void stop();

  const App& app() const { return app_; }
  // The io thread's context: objects, storage, alarms and the network run on it.
  boost::asio::io_context& io() { return io_; }
  // The console's live sockets, fed by the ledger calls that commit.
  LiveHub& live() { return live_; }

  // Sessions started and not yet done (requests, object calls, alarms).
  std::size_t sessions_in_flight() const { return sessions_in_flight_.load(); }
  std::size_t alarms_armed() const { return alarms_.armed(); }
  const Store& store() const { return store_; }
  // Kept-alive connections of the fetch effect waiting for their next request.
  std::size_t idle_fetch_connections() const { return http_.idle_connections(); }

 private:
  struct Run;
  using RunPtr = std::shared_ptr<Run>;

  void start(RunPtr run);
  // Runs the session on from where it is to its next asynchronous effect or its end: on
  // the io thread, or on a compute thread for a pooled run.
  void drive(const RunPtr& run);
  // Performs a step's effects; true when every result is in already.
  bool dispatch(const RunPtr& run, std::vector<PendingEffect> effects);
  void finish(const RunPtr& run);
  void perform(const RunPtr& run, PendingEffect pending);
  void settle(const RunPtr& run, std::uint32_t id, Result<EffectOutput> outcome);
  void enqueue_object(const ObjectKey& object, SessionInput input, std::vector<ObjectKey> chain,
                      std::function<void(ObjectReply)> done);
  void run_in_object(const ObjectKey& object, SessionInput input, std::vector<ObjectKey> chain,
                     std::function<void(ObjectReply)> done, ObjectActors::Finished finished);
  void commit_group(const ObjectKey& object, ObjectDatabase& db);
  void fail_group(const ObjectKey& object, ObjectDatabase& db, const Error& error);

  boost::asio::io_context& io_;
  const App& app_;
  Store& store_;
  HostOptions options_;
  ObjectActors actors_;
  AlarmScheduler alarms_;
  HttpClient http_;
  LiveHub live_;
  std::atomic<std::size_t> sessions_in_flight_ = 0;
  // Objects a call has committed in since this host started: the rest are fresh
  // (ObjectInvocation::fresh). Per host, not per open database: closing an idle database
  // does not end the object's instance (its alarm session may still be sending).
  std::set<ObjectKey> set_up_;
  // The calls of each object's open transaction that succeeded: their replies and what
  // they published wait for its commit (run_in_object).
  struct Group {
    std::vector<std::pair<std::function<void(ObjectReply)>, ObjectReply>> replies;
    std::vector<LiveMessage> published;
  };
  static constexpr std::size_t max_group_calls = 32;
  std::map<ObjectKey, Group> groups_;
  // Last: joined before anything its threads could touch is gone.
  std::optional<boost::asio::thread_pool> compute_;
};

}  // namespace frontdesk::native
