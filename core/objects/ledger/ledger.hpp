#pragma once
#include "../../dispatch.hpp"

namespace frontdesk::objects {

// One ledger per tenant (id = tenant name): the strongly consistent record of what
// Frontdesk accepted and decided. Its messages are listed in docs/reception.md
// ("Ledger operations"); each is {"op": …, …} and the reply is JSON.
Task<ObjectReply> ledger_call(ObjectContext& context, std::string_view message);
// The alarm sends the outbound queue's due commands. It runs outside the ledger's turn
// (docs/wire.md, object.alarm): it leases them from the ledger, sends them, and settles
// their answers with the ledger, so the ledger serves webhooks while providers answer.
Task<ObjectReply> ledger_alarm(ObjectContext& context);

inline constexpr std::string_view ledger_kind = "ledger";

}  // namespace frontdesk::objects
