#include "local_effects.hpp"

#include <sodium.h>

#include <type_traits>

namespace frontdesk::native {
namespace {

// More than any handler has a use for; a bigger ask is a bug, not a reason to allocate.
constexpr std::uint32_t max_random_bytes = 65536;

Error outside_object(const Effect& effect) {
  return Error{ErrorCode::internal, std::string(effect_name(effect)) + " outside an object"};
}

template <class T>
Result<EffectOutput> output(Result<T> result) {
  if (!result) return result.error();
  return EffectOutput{std::in_place_type<T>, std::move(*result)};
}

Result<EffectOutput> nothing(Result<void> result) {
  if (!result) return result.error();
  return EffectOutput{std::monostate{}};
}

}  // namespace

Result<EffectOutput> perform_local(const LocalEffects& context, const Effect& effect) {
  auto& store = context.store;
  auto* object = context.object;
  return std::visit(
      [&](const auto& e) -> Result<EffectOutput> {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, KvGet>) {
          return output(store.kv_get(e.key));
        } else if constexpr (std::is_same_v<E, KvPut>) {
          return nothing(store.kv_put(e.key, e.value, e.ttl_s));
        } else if constexpr (std::is_same_v<E, KvDelete>) {
          return nothing(store.kv_delete(e.key));
        } else if constexpr (std::is_same_v<E, KvList>) {
          return output(store.kv_list(e.prefix, e.cursor, e.limit));
        } else if constexpr (std::is_same_v<E, StorageGet>) {
          if (!object) return outside_object(effect);
          return output(object->get(e.key));
        } else if constexpr (std::is_same_v<E, StoragePut>) {
          if (!object) return outside_object(effect);
          return nothing(object->put(e.key, e.value));
        } else if constexpr (std::is_same_v<E, StorageDelete>) {
          if (!object) return outside_object(effect);
          return nothing(object->remove(e.key));
        } else if constexpr (std::is_same_v<E, StorageList>) {
          if (!object) return outside_object(effect);
          return output(object->list(e.prefix, e.start_after, e.limit));
        } else if constexpr (std::is_same_v<E, SqlExec>) {
          if (!object) return outside_object(effect);
          return output(object->exec(e));
        } else if constexpr (std::is_same_v<E, Now>) {
          return EffectOutput{std::in_place_type<std::int64_t>, context.clock()};
        } else if constexpr (std::is_same_v<E, Random>) {
          if (e.bytes > max_random_bytes) return Error{ErrorCode::internal, "random: too many bytes asked for"};
          std::string bytes(e.bytes, '\0');
          randombytes_buf(bytes.data(), bytes.size());
          return EffectOutput{std::in_place_type<std::string>, std::move(bytes)};
        } else if constexpr (std::is_same_v<E, Log>) {
          context.log(e.record);
          return EffectOutput{std::monostate{}};
        } else {
          // ObjectCall, FetchRequest, AlarmSet: performed by Host, never here.
          return Error{ErrorCode::internal, std::string(effect_name(effect)) + " is not a local effect"};
        }
      },
      effect);
}

}  // namespace frontdesk::native
