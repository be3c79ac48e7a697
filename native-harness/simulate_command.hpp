#pragma once
// `frontdesk simulate call|text`: signs a realistic delivery of an inbound call or text with
// a configured source's secret (simulated_delivery.hpp) and posts it to a running server,
// like `stripe trigger`.
#include <span>
#include <string_view>

namespace frontdesk::native {

inline constexpr std::string_view simulate_usage =
    "frontdesk simulate call|text --source NAME --from PHONE [--to PHONE] [--text TEXT] "
    "[--config FILE (examples/frontdesk.json)] [--env-file FILE (.data/dev.env)] [--url URL (http://127.0.0.1:8787)]";

int simulate_main(std::span<const std::string_view> args);

}  // namespace frontdesk::native
