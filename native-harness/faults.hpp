#pragma once
// Fault injection (docs/wire.md "Fault injection"): `serve --fault X` makes every effect of
// class X fail, so tests can prove that no failure is ever answered 2xx.
#include <array>
#include <bitset>
#include <cstddef>
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

class Faults {
 public:
  void add(FaultClass fault) { set_.set(static_cast<std::size_t>(fault)); }
  bool has(FaultClass fault) const { return set_.test(static_cast<std::size_t>(fault)); }
  bool any() const { return set_.any(); }

 private:
  std::bitset<fault_class_names.size()> set_;
};

}  // namespace frontdesk::native
