#ifndef BATCHMOUNT_ADAPTERS_NLOHMANN_JSON_FIELDS_HPP
#define BATCHMOUNT_ADAPTERS_NLOHMANN_JSON_FIELDS_HPP

// Typed field readers for the nlohmann-json adapter: each names the field path it read.

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "batchmount/environment.hpp"
#include "batchmount/result.hpp"

namespace batchmount {
inline namespace v1 {

namespace detail {
inline error json_type_error(const std::string& field, const nlohmann::json& value,
                             std::size_t index = error::no_index) {
  return error(error_code::invalid_json_type, field + " (" + value.type_name() + ")", index);
}

// Reads an optional string field: absent or null is nullopt; another type is an error.
inline result<bool> read_string(const nlohmann::json& object, const char* key,
                                const std::string& field, std::optional<std::string>& out,
                                std::size_t index = error::no_index) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return true;
  if (!it->is_string()) return json_type_error(field, *it, index);
  out = it->get<std::string>();
  return true;
}
}  // namespace detail

namespace detail {
// Reads an optional boolean field: absent or null is nullopt; another type is an error.
inline result<bool> read_bool(const nlohmann::json& object, const char* key, const std::string& field,
                              std::optional<bool>& out) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return true;
  if (!it->is_boolean()) return json_type_error(field, *it);
  out = it->get<bool>();
  return true;
}

// Reads an optional array of strings ("NAME=VALUE" environments, mount options, binds).
inline result<bool> read_strings(const nlohmann::json& object, const char* key, const std::string& field,
                                 std::vector<std::string>& out) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return true;
  if (!it->is_array()) return json_type_error(field, *it);
  for (std::size_t i = 0; i < it->size(); ++i) {
    const auto& item = (*it)[i];
    if (!item.is_string()) return json_type_error(field + "[" + std::to_string(i) + "]", item, i);
    out.push_back(item.get<std::string>());
  }
  return true;
}

// "NAME=VALUE" entries as variables (an entry without '=' is a name with an empty value).
inline std::vector<env_var> split_environment(const std::vector<std::string>& entries) {
  std::vector<env_var> out;
  for (const auto& e : entries) {
    const auto eq = e.find('=');
    out.push_back({e.substr(0, eq), eq == std::string::npos ? std::string() : e.substr(eq + 1)});
  }
  return out;
}

// Reads the object at `key` of `object` (absent or null: nullptr).
inline result<const nlohmann::json*> read_object(const nlohmann::json& object, const char* key, const std::string& field) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return static_cast<const nlohmann::json*>(nullptr);
  if (!it->is_object()) return json_type_error(field, *it);
  return &*it;
}

}  // namespace detail

}  // namespace v1
}  // namespace batchmount

#endif
