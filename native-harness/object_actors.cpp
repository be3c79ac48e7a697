#include "object_actors.hpp"

#include <boost/asio/post.hpp>
#include <memory>
#include <utility>

namespace frontdesk::native {

void ObjectActors::enqueue(const ObjectKey& object, Job job) {
  auto& queue = queues_[object];
  queue.push_back(std::move(job));
  if (queue.size() == 1) boost::asio::post(io_, [this, object] { start_front(object); });
}

void ObjectActors::start_front(const ObjectKey& object) {
  const auto it = queues_.find(object);
  if (it == queues_.end() || it->second.empty()) return;
  // Moved out: the job may call finished() before it returns, which pops its slot.
  Job job = std::move(it->second.front());
  // A second call of finished() would start a job out of turn: only the first counts.
  auto called = std::make_shared<bool>(false);
  job([this, object, called] {
    if (std::exchange(*called, true)) return;
    finish_front(object);
  });
}

void ObjectActors::finish_front(const ObjectKey& object) {
  const auto it = queues_.find(object);
  if (it == queues_.end()) return;
  it->second.pop_front();
  if (it->second.empty()) {
    queues_.erase(it);
    return;
  }
  boost::asio::post(io_, [this, object] { start_front(object); });
}

}  // namespace frontdesk::native
