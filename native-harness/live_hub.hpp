#pragma once
// The console's live WebSockets natively: the sockets open on each tenant's ledger, and the
// events a committed ledger call published (LivePublish), sent to those whose ticket may
// see their type. Single-threaded, on the host's io_context.
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/effects.hpp"

namespace frontdesk::native {

class LiveSocket;

class LiveHub {
 public:
  void add(const std::string& tenant, std::shared_ptr<LiveSocket> socket);
  // Whether any socket is open on this tenant's ledger (ObjectInvocation::listening).
  bool listening(const std::string& tenant);
  void publish(const std::string& tenant, const std::vector<LiveMessage>& messages);
  std::size_t open_sockets();
  // Shutdown: every socket closes.
  void close_all();

 private:
  void prune(const std::string& tenant);
  std::map<std::string, std::vector<std::weak_ptr<LiveSocket>>> sockets_;
};

}  // namespace frontdesk::native
