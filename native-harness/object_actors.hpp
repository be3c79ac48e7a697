#pragma once
// Per-object serial queues: the native stand-in for a Durable Object's single thread.
// Jobs for one object run strictly one after another; jobs for different objects
// interleave freely on the io_context.
#include <boost/asio/io_context.hpp>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>

#include "object_key.hpp"

namespace frontdesk::native {

class ObjectActors {
 public:
  // Called by a job exactly once, when it is done (possibly long after it returned).
  using Finished = std::function<void()>;
  using Job = std::function<void(Finished)>;

  explicit ObjectActors(boost::asio::io_context& io) : io_(io) {}
  ObjectActors(const ObjectActors&) = delete;
  ObjectActors& operator=(const ObjectActors&) = delete;

  // Queues the job behind every earlier job of that object. It never starts inside this
  // call: jobs start from the io_context, so callers are never re-entered.
  void enqueue(const ObjectKey& object, Job job);

  // Jobs of the object queued behind the one running.
  std::size_t waiting(const ObjectKey& object) const {
    const auto it = queues_.find(object);
    return it == queues_.end() || it->second.empty() ? 0 : it->second.size() - 1;
  }

  // Objects with a job running or waiting.
  std::size_t busy_objects() const { return queues_.size(); }

 private:
  void start_front(const ObjectKey& object);
  void finish_front(const ObjectKey& object);

  boost::asio::io_context& io_;
  // The front job of each queue is the one running (moved out, so it may finish inside
  // its own call); an object leaves the map when its queue is empty.
  std::map<ObjectKey, std::deque<Job>> queues_;
};

}  // namespace frontdesk::native
