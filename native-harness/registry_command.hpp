#pragma once
// `frontdesk registry`: reads and edits a tenant's registry (phone → verified namespace)
// and its allow and block lists, in the tenant's ledger, as the server and the API do.
#include <ostream>
#include <span>
#include <string_view>

namespace frontdesk::native {

inline constexpr std::string_view registry_usage =
    "frontdesk registry list|set|remove|allow|block|unlist [--db FILE] --tenant T [--config FILE] "
    "[--phone P | PHONE] [--namespace N | NAMESPACE] [--list allow|block]";

// list: one JSON object with "registry", "allow" and "block". set (or add): --phone and
// --namespace, or the two as words after the action.
// remove: --phone (its registry entry). allow / block: --phone onto that list. unlist:
// --phone off --list. With --config the ledger is first seeded from that configuration, as
// the server would. Exit 0; 1 when the ledger refuses (the reason on stderr: an invalid
// phone, an entry that is not there); 2 for bad arguments.
int run_registry(std::span<const std::string_view> args, std::ostream& out, std::ostream& err);
int registry_main(std::span<const std::string_view> args);

}  // namespace frontdesk::native
