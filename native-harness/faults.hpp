#pragma once
// Fault injection (docs/wire.md "Fault injection"): `serve --fault X` makes every effect of
// class X fail, so tests can prove that no failure is ever answered 2xx.
#include <array>
#include <bitset>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

#include "core/effects.hpp"
#include "core/error.hpp"

namespace frontdesk::native {

enum class FaultClass : std::size_t { kv, storage, sql, objects, fetch };

inline constexpr std::array<std::string_view, 5> fault_class_names{"kv", "storage", "sql", "objects", "fetch"};

inline std::string_view fault_class_name(FaultClass fault) {
  return fault_class_names[static_cast<std::size_t>(fault)];
}

inline std::optional<FaultClass> parse_fault_class(std::string_view name) {
  for (std::size_t i = 0; i < fault_class_names.size(); ++i) {
    if (fault_class_names[i] == name) return static_cast<FaultClass>(i);
  }
  return std::nullopt;
}

// The class an effect belongs to; effects outside every class (now, random, log,
// alarm.set) cannot be faulted.
inline std::optional<FaultClass> fault_class_of(const Effect& effect) {
  return std::visit(
      [](const auto& e) -> std::optional<FaultClass> {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, KvGet> || std::is_same_v<E, KvPut> || std::is_same_v<E, KvDelete> ||
                      std::is_same_v<E, KvList>) {
          return FaultClass::kv;
        } else if constexpr (std::is_same_v<E, StorageGet> || std::is_same_v<E, StoragePut> ||
                             std::is_same_v<E, StorageDelete> || std::is_same_v<E, StorageList>) {
          return FaultClass::storage;
        } else if constexpr (std::is_same_v<E, SqlExec>) {
          return FaultClass::sql;
        } else if constexpr (std::is_same_v<E, ObjectCall>) {
          return FaultClass::objects;
        } else if constexpr (std::is_same_v<E, FetchRequest>) {
          return FaultClass::fetch;
        } else {
          return std::nullopt;
        }
      },
      effect);
}

// The error an injected fault answers with: what a real outage of that class would give.
inline Error injected_fault(FaultClass fault) {
  const auto code = fault == FaultClass::fetch ? ErrorCode::internal : ErrorCode::storage_unavailable;
  return Error{code, "injected fault: " + std::string(fault_class_name(fault))};
}

// Every effect of a class (`sql`), or only the Nth SQL statement the host runs (`sql#N`,
// counted from 1 over the host's life): a storage failure at one exact point of a delivery.
class Faults {
 public:
  void add(FaultClass fault) { set_.set(static_cast<std::size_t>(fault)); }
  void add_nth_sql(std::uint64_t n) { nth_sql_ = n; }
  bool has(FaultClass fault) const { return set_.test(static_cast<std::size_t>(fault)); }
  bool any() const { return set_.any() || nth_sql_ > 0; }
  // Whether this effect, about to be performed, fails; counts the SQL statements.
  bool fails(const Effect& effect) {
    const auto fault = fault_class_of(effect);
    if (!fault) return false;
    if (has(*fault)) return true;
    return *fault == FaultClass::sql && nth_sql_ > 0 && ++sql_seen_ == nth_sql_;
  }

 private:
  std::bitset<fault_class_names.size()> set_;
  std::uint64_t nth_sql_ = 0;
  std::uint64_t sql_seen_ = 0;
};

// "kv", "sql", … or "sql#N"; false when it is neither.
inline bool add_fault(Faults& faults, std::string_view spec) {
  if (spec.rfind("sql#", 0) == 0 && spec.size() > 4 && spec.size() < 12) {
    std::uint64_t n = 0;
    for (const char c : spec.substr(4)) {
      if (c < '0' || c > '9') return false;
      n = n * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (n == 0) return false;
    faults.add_nth_sql(n);
    return true;
  }
  const auto fault = parse_fault_class(spec);
  if (!fault) return false;
  faults.add(*fault);
  return true;
}

}  // namespace frontdesk::native
