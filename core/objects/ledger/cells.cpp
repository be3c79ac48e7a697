// Reading SQL cells and message fields: the ledger's small shared vocabulary.
#include <algorithm>
#include <boost/json.hpp>
#include <limits>

#include "parts.hpp"

namespace frontdesk::objects::ledger {

std::string text_of(const SqlValue& value) {
  if (const auto* text = std::get_if<std::string>(&value)) return *text;
  if (const auto* number = std::get_if<std::int64_t>(&value)) return std::to_string(*number);
  return {};
}

std::int64_t int_of(const SqlValue& value) {
  if (const auto* number = std::get_if<std::int64_t>(&value)) return *number;
  if (const auto* real = std::get_if<double>(&value)) return static_cast<std::int64_t>(*real);
  return 0;
}

std::optional<std::string> optional_text(const SqlValue& value) {
  if (const auto* text = std::get_if<std::string>(&value)) return *text;
  return std::nullopt;
}

protocol::SendStatus send_status_of(const SqlValue& value) {
  return protocol::enum_of<protocol::SendStatus>(text_of(value)).value_or(protocol::SendStatus::pending);
}

std::optional<std::int64_t> optional_int(const SqlValue& value) {
  if (const auto* number = std::get_if<std::int64_t>(&value)) return *number;
  return std::nullopt;
}

json::value json_of(const SqlValue& value) {
  const auto* text = std::get_if<std::string>(&value);
  if (!text || text->empty()) return nullptr;
  json::error_code ec;
  auto parsed = json::parse(*text, ec);
  if (ec) return nullptr;
  return parsed;
}

const SqlValue& cell(const SqlRows& rows, std::string_view column, std::size_t row) {
  static const SqlValue absent{};
  if (row >= rows.rows.size()) return absent;
  for (std::size_t c = 0; c < rows.columns.size() && c < rows.rows[row].size(); ++c) {
    if (rows.columns[c] == column) return rows.rows[row][c];
  }
  return absent;
}


Listing listing_of(const protocol::PageRequest& request) {
  return {std::clamp<std::int64_t>(request.limit.value_or(100), 1, 1000),
          request.before_seq.value_or(std::numeric_limits<std::int64_t>::max())};
}

}  // namespace frontdesk::objects::ledger
