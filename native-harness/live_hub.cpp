#include "live_hub.hpp"

#include <algorithm>

#include "live_socket.hpp"

namespace frontdesk::native {

void LiveHub::add(const std::string& tenant, std::shared_ptr<LiveSocket> socket) {
  prune(tenant);
  sockets_[tenant].push_back(std::move(socket));
}

void LiveHub::prune(const std::string& tenant) {
  const auto found = sockets_.find(tenant);
  if (found == sockets_.end()) return;
  std::erase_if(found->second, [](const auto& weak) {
    const auto socket = weak.lock();
    return !socket || !socket->open();
  });
  if (found->second.empty()) sockets_.erase(found);
}

bool LiveHub::listening(const std::string& tenant) {
  prune(tenant);
  return sockets_.contains(tenant);
}

void LiveHub::publish(const std::string& tenant, const std::vector<LiveMessage>& messages) {
  prune(tenant);
  const auto found = sockets_.find(tenant);
  if (found == sockets_.end()) return;
  for (const auto& weak : found->second) {
    const auto socket = weak.lock();
    if (!socket) continue;
    for (const auto& message : messages) {
      if (socket->sees(message.type)) socket->send(message.body);
    }
  }
}

std::size_t LiveHub::open_sockets() {
  std::size_t open = 0;
  for (const auto& [tenant, sockets] : sockets_) {
    open += static_cast<std::size_t>(std::count_if(sockets.begin(), sockets.end(), [](const auto& weak) {
      const auto socket = weak.lock();
      return socket && socket->open();
    }));
  }
  return open;
}

void LiveHub::close_all() {
  for (auto& [tenant, sockets] : sockets_) {
    for (const auto& weak : sockets) {
      if (const auto socket = weak.lock()) socket->close();
    }
  }
  sockets_.clear();
}

}  // namespace frontdesk::native
