#pragma once
// The object protocol's one codec (docs/reception.md, "Ledger operations"). An operation is a
// type with its name and a request and a reply type; each of those names its fields with
// BOOST_DESCRIBE_STRUCT, and nothing else in the code spells them:
//
//   struct Receive {
//     static constexpr std::string_view name = "receive";
//     struct Request { Event event; };
//     struct Reply { std::string event_id; bool duplicate = false; std::optional<std::string> twiml; };
//   };
//
// Encoding writes every field, leaving out an empty std::optional (one inside an array is
// null; a names_every_field record writes null); the leaves go through Boost.JSON's value_from. Decoding is strict: a field that is missing (unless it is a std::optional) or of the wrong
// type is an error that names it; keys the type does not name ("op") are left alone. A member
// named after a C++ keyword ends in '_' (`namespace_`), which its JSON name drops.
#include <boost/describe/enumerators.hpp>
#include <boost/describe/members.hpp>
#include <boost/json.hpp>
#include <boost/mp11/algorithm.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "../error.hpp"
#include "../result.hpp"

namespace frontdesk::objects::protocol {

template <class T>
concept Described = std::is_class_v<T> && boost::describe::has_describe_members<T>::value;

template <class T>
concept Operation = requires {
  { T::name } -> std::convertible_to<std::string_view>;
  typename T::Request;
  typename T::Reply;
};

// A record a listing shows (a call, a token, a page of them): its readers look for every
// field, so what is unset is written as null rather than left out. Specialized for such
// types beside them (core/objects/ledger/protocol.hpp); decoding takes either.
template <class T>
struct names_every_field : std::false_type {};

namespace detail {
template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};
template <class T>
struct is_vector : std::false_type {};
template <class T, class A>
struct is_vector<std::vector<T, A>> : std::true_type {};

// An enumerator's JSON name: its own, unless its type names it (an ADL `wire_name`, as
// Direction::unknown is "").
template <class E>
std::string_view enum_name(E value) {
  if constexpr (requires { wire_name(value); }) {
    return wire_name(value);
  } else {
    std::string_view name;
    boost::mp11::mp_for_each<boost::describe::describe_enumerators<E>>([&](auto enumerator) {
      if (enumerator.value == value) name = enumerator.name;
    });
    return name;
  }
}

// A member's JSON name: `namespace_` is "namespace".
constexpr std::string_view member_name(std::string_view member) {
  return member.ends_with('_') ? member.substr(0, member.size() - 1) : member;
}

// "[i]", as an error names an array's item. Appended piece by piece: GCC 12 at -O3 warns
// (-Wrestrict, wrongly) on "[" + std::to_string(i) inlined here.
inline std::string index_name(std::size_t i) {
  std::string name(1, '[');
  name.append(std::to_string(i)).push_back(']');
  return name;
}

inline Error field_error(std::string_view field, const Error& inner) {
  return make_error(ErrorCode::malformed_body, std::string(field) + (inner.message.starts_with("[") ? "" : ": ") +
                                                   inner.message);
}
}  // namespace detail

template <Described T>
Result<T> decode(const boost::json::value& value);

namespace detail {

template <class T>
Result<T> decode_value(const boost::json::value& value) {
  if constexpr (Described<T>) {
    return decode<T>(value);
  } else if constexpr (is_optional<T>::value) {
    if (value.is_null()) return T{};
    auto inner = decode_value<typename T::value_type>(value);
    if (!inner) return inner.error();
    return T{std::move(*inner)};
  } else if constexpr (is_vector<T>::value) {
    const auto* array = value.if_array();
    if (!array) return make_error(ErrorCode::malformed_body, "must be an array");
    T items;
    for (std::size_t i = 0; i < array->size(); ++i) {
      auto item = decode_value<typename T::value_type>((*array)[i]);
      if (!item) return field_error(index_name(i), item.error());
      items.push_back(std::move(*item));
    }
    return items;
  } else if constexpr (std::is_enum_v<T>) {
    // A described enum is one of its names.
    static_assert(boost::describe::has_describe_enumerators<T>::value, "describe the enum");
    const auto* name = value.if_string();
    std::optional<T> found;
    std::string names;
    boost::mp11::mp_for_each<boost::describe::describe_enumerators<T>>([&](auto enumerator) {
      const auto spelled = enum_name(enumerator.value);
      if (name && *name == spelled) found = enumerator.value;
      names.append(names.empty() ? "" : ", ").append(spelled.empty() ? std::string_view("\"\"") : spelled);
    });
    if (!found) return make_error(ErrorCode::malformed_body, "must be one of " + names);
    return *found;
  } else {
    // Strings, booleans and integers, as Boost.JSON converts them; an integer never comes
    // from a double or a bool.
    if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
      if (!value.is_int64() && !value.is_uint64()) return make_error(ErrorCode::malformed_body, "must be an integer");
    }
    auto converted = boost::json::try_value_to<T>(value);
    if (!converted) return make_error(ErrorCode::malformed_body, "has the wrong type");
    return std::move(*converted);
  }
}

}  // namespace detail

template <Described T>
Result<T> decode(const boost::json::value& value) {
  const auto* object = value.if_object();
  if (!object) return make_error(ErrorCode::malformed_body, "must be an object");
  T decoded{};
  std::optional<Error> failure;
  boost::mp11::mp_for_each<boost::describe::describe_members<T, boost::describe::mod_public>>([&](auto member) {
    if (failure) return;
    using Field = std::remove_cvref_t<decltype(decoded.*member.pointer)>;
    const auto name = detail::member_name(member.name);
    const auto* field = object->if_contains(name);
    if (!field) {
      if constexpr (!detail::is_optional<Field>::value) {
        failure = make_error(ErrorCode::malformed_body, std::string(name) + ": missing");
      }
      return;
    }
    auto read = detail::decode_value<Field>(*field);
    if (!read) {
      failure = detail::field_error(name, read.error());
      return;
    }
    decoded.*member.pointer = std::move(*read);
  });
  if (failure) return *failure;
  return decoded;
}

namespace detail {

// How an empty std::optional is written: left out (the protocol), or as null (a document a
// user reads, which names every field).
enum class Absent { omitted, null };

template <Absent absent = Absent::omitted, class T>
boost::json::value encode_value(const T& value);

// The fields of a described value into `object`.
template <Absent absent = Absent::omitted, Described T>
void encode_fields(const T& value, boost::json::object& object) {
  boost::mp11::mp_for_each<boost::describe::describe_members<T, boost::describe::mod_public>>([&](auto member) {
    const auto& field = value.*member.pointer;
    if constexpr (absent == Absent::omitted && !names_every_field<T>::value &&
                  is_optional<std::remove_cvref_t<decltype(field)>>::value) {
      if (!field) return;
    }
    object.emplace(member_name(member.name), encode_value<absent>(field));
  });
}

template <Absent absent, class T>
boost::json::value encode_value(const T& value) {
  if constexpr (Described<T>) {
    boost::json::object object;
    encode_fields<absent>(value, object);
    return object;
  } else if constexpr (is_optional<T>::value) {
    return value ? encode_value<absent>(*value) : boost::json::value(nullptr);
  } else if constexpr (is_vector<T>::value) {
    boost::json::array items;
    for (const auto& item : value) items.push_back(encode_value<absent>(item));
    return items;
  } else if constexpr (std::is_enum_v<T>) {
    return boost::json::value(enum_name(value));
  } else {
    return boost::json::value_from(value);
  }
}

}  // namespace detail

// A described enum's value as the protocol spells it, and back (nullopt for any other
// text): what a store or a query string holds, read through the same names.
template <class E>
  requires std::is_enum_v<E>
std::string_view name_of(E value) {
  return detail::enum_name(value);
}
template <class E>
  requires std::is_enum_v<E>
std::optional<E> enum_of(std::string_view name) {
  std::optional<E> found;
  boost::mp11::mp_for_each<boost::describe::describe_enumerators<E>>([&](auto enumerator) {
    if (name == detail::enum_name(enumerator.value)) found = enumerator.value;
  });
  return found;
}

// A reply or one of its parts as JSON, for a caller that shows it (an API answer, a CLI line).
template <Described T>
boost::json::value to_json(const T& value) {
  return detail::encode_value(value);
}

// The same as a document that names every field: what is unset is null (the API's form).
template <Described T>
boost::json::object to_document(const T& value) {
  boost::json::object object;
  detail::encode_fields<detail::Absent::null>(value, object);
  return object;
}

// A message's JSON text: {"op": <the operation's name>, <the request's fields>}.
template <Operation Op>
std::string encode_request(const typename Op::Request& request) {
  boost::json::object message{{"op", Op::name}};
  detail::encode_fields(request, message);
  return boost::json::serialize(message);
}

template <Operation Op>
std::string encode_reply(const typename Op::Reply& reply) {
  return boost::json::serialize(detail::encode_value(reply));
}

// A message the object received, as its operation's request; the error names the operation
// and the field.
template <Operation Op>
Result<typename Op::Request> decode_request(const boost::json::object& message) {
  auto request = decode<typename Op::Request>(boost::json::value(message));
  if (!request) return make_error(ErrorCode::malformed_body, std::string(Op::name) + ": " + request.error().message);
  return request;
}

// An object's reply text, as its operation's reply. The object wrote it, so a reply that does
// not decode means a store this version did not write: storage_unavailable.
template <Operation Op>
Result<typename Op::Reply> decode_reply(std::string_view text) {
  boost::json::error_code ec;
  const auto parsed = boost::json::parse(text, ec);
  if (ec) return make_error(ErrorCode::storage_unavailable, std::string(Op::name) + " reply is not JSON");
  auto reply = decode<typename Op::Reply>(parsed);
  if (!reply) {
    return make_error(ErrorCode::storage_unavailable, std::string(Op::name) + " reply: " + reply.error().message);
  }
  return reply;
}

// The fields of a described type, in order, with whether each may be left out: what the
// docs table lists for each operation (tests/unit/protocol_test.cpp keeps them in step).
struct FieldDoc {
  std::string name;
  bool optional = false;
};
template <Described T>
std::vector<FieldDoc> fields_of() {
  std::vector<FieldDoc> fields;
  boost::mp11::mp_for_each<boost::describe::describe_members<T, boost::describe::mod_public>>([&](auto member) {
    using Field = std::remove_cvref_t<decltype(std::declval<T&>().*member.pointer)>;
    fields.push_back({std::string(detail::member_name(member.name)), detail::is_optional<Field>::value});
  });
  return fields;
}

}  // namespace frontdesk::objects::protocol
