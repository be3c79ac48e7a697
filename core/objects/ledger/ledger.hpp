#pragma once
#include "../../dispatch.hpp"

namespace frontdesk::objects {

// One ledger per tenant (id = tenant name): the strongly consistent record of what
// Frontdesk accepted and decided. Its messages are listed in docs/reception.md
// ("Ledger operations"); each is {"op": …, …} and the reply is JSON.
Task<ObjectReply> ledger_call(ObjectContext& context, std::string_view message);
// The alarm sends the outbound queue's due commands.
Task<ObjectReply> ledger_alarm(ObjectContext& context);

inline constexpr std::string_view ledger_kind = "ledger";

}  // namespace frontdesk::objects
