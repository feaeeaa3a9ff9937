#ifndef BATCHMOUNT_ADAPTERS_NLOHMANN_JSON_HPP
#define BATCHMOUNT_ADAPTERS_NLOHMANN_JSON_HPP

// Optional: reads the REST shapes with nlohmann-json and writes resolutions as JSON. Only
// code that includes this header needs nlohmann-json.

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "batchmount/environment.hpp"
#include "batchmount/render/detail/json.hpp"
#include "batchmount/request.hpp"
#include "batchmount/resolution.hpp"
#include "batchmount/result.hpp"
#include "batchmount/tables.hpp"

namespace batchmount {
inline namespace v1 {

// A task body (or a bare containerSettings) as far as batchmount reads it.
struct task_document {
  std::optional<std::string> id;          // the task body's "id"
  std::optional<std::string> image_name;  // containerSettings.imageName
  owned_request request;
};

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

// Reads a task body ({"id", "commandLine", "containerSettings": {...}}) or a bare
// containerSettings object; unknown fields are ignored. Fails with invalid_json (not an
// object, or a task body without containerSettings) or invalid_json_type naming the field
// (and the entry's index).
inline result<task_document> parse_task_json(const nlohmann::json& document) {
  if (!document.is_object()) return error(error_code::invalid_json, document.type_name());
  task_document out;
  const nlohmann::json* settings = &document;
  std::string prefix;
  if (const auto it = document.find("containerSettings"); it != document.end()) {
    if (!it->is_object()) return detail::json_type_error("containerSettings", *it);
    settings = &*it;
    prefix = "containerSettings.";
    if (auto ok = detail::read_string(document, "id", "id", out.id); !ok) return ok.error();
  } else if (document.contains("commandLine") || document.contains("id")) {
    return error(error_code::invalid_json, "a task body without containerSettings");
  }
  if (auto ok = detail::read_string(*settings, "imageName", prefix + "imageName", out.image_name); !ok)
    return ok.error();
  if (auto ok = detail::read_string(*settings, "workingDirectory", prefix + "workingDirectory",
                                    out.request.working_directory);
      !ok)
    return ok.error();

  const auto mounts = settings->find("containerHostBatchBindMounts");
  const std::string list_field = prefix + "containerHostBatchBindMounts";
  if (mounts == settings->end() || mounts->is_null()) return out;
  if (!mounts->is_array()) return detail::json_type_error(list_field, *mounts);
  out.request.bind_mounts.emplace();
  for (std::size_t i = 0; i < mounts->size(); ++i) {
    const auto& entry = (*mounts)[i];
    const std::string field = list_field + "[" + std::to_string(i) + "]";
    if (!entry.is_object()) return detail::json_type_error(field, entry, i);
    owned_entry parsed;
    if (auto ok = detail::read_string(entry, "source", field + ".source", parsed.source, i); !ok)
      return ok.error();
    if (const auto ro = entry.find("isReadOnly"); ro != entry.end() && !ro->is_null()) {
      if (!ro->is_boolean()) return detail::json_type_error(field + ".isReadOnly", *ro, i);
      parsed.is_read_only = ro->get<bool>();
    }
    out.request.bind_mounts->push_back(std::move(parsed));
  }
  return out;
}

// nlohmann-json conventions. from_json reports a broken rule as std::invalid_argument
// carrying error::message() (with exceptions off, it aborts, as nlohmann-json does).
inline void from_json(const nlohmann::json& document, owned_request& out) {
  auto parsed = parse_task_json(document);
  if (!parsed) {
#if defined(__cpp_exceptions) || defined(__EXCEPTIONS)
    throw std::invalid_argument(parsed.error().message());
#else
    detail::misuse();
#endif
  }
  out = std::move(parsed->request);
}

// Writes the containerSettings fields batchmount reads: null stays null, empty stays [].
inline void to_json(nlohmann::json& out, const owned_request& request) {
  out = nlohmann::json::object();
  if (!request.bind_mounts) {
    out["containerHostBatchBindMounts"] = nullptr;
  } else {
    auto list = nlohmann::json::array();
    for (const auto& e : *request.bind_mounts) {
      nlohmann::json entry = nlohmann::json::object();
      if (e.source) entry["source"] = *e.source;
      if (e.is_read_only) entry["isReadOnly"] = *e.is_read_only;
      list.push_back(std::move(entry));
    }
    out["containerHostBatchBindMounts"] = std::move(list);
  }
  if (request.working_directory) out["workingDirectory"] = *request.working_directory;
}

// The resolution report batchmount-resolve prints with --format json: "os", "mounts"
// ({"source" (wire name, null for the whole root), "hostPath", "containerPath",
// "readOnly"}), "environment" (name -> container value), "removedEnvironment",
// "workingDirectory" (null for containerImageDefault) and "warnings". Strings are stored as
// given: dump() throws on one that is not UTF-8; render_report_json checks first.
inline nlohmann::json report_json(const resolution& r, const container_environment& env) {
  nlohmann::json out = nlohmann::json::object();
  out["os"] = std::string(to_wire(r.os));
  auto mounts = nlohmann::json::array();
  for (const auto& m : r.mounts)
    mounts.push_back({{"source", m.source ? nlohmann::json(std::string(to_wire(*m.source))) : nullptr},
                      {"hostPath", m.host_path},
                      {"containerPath", m.container_path},
                      {"readOnly", m.read_only}});
  out["mounts"] = std::move(mounts);
  auto variables = nlohmann::json::object();
  for (const auto& v : env.variables()) variables[v.name] = v.value;
  out["environment"] = std::move(variables);
  out["removedEnvironment"] = env.removed_names();
  out["workingDirectory"] = r.working_directory ? nlohmann::json(*r.working_directory) : nullptr;
  auto warnings = nlohmann::json::array();
  for (const auto w : r.warnings) warnings.push_back(std::string(warning_text(w)));
  out["warnings"] = std::move(warnings);
  return out;
}

// report_json dumped with `indent` (nlohmann-json's meaning), or output_needs_utf8 naming
// the first path, name or value that is not valid UTF-8 (removed names included), where a
// plain dump() would throw.
inline result<std::string> render_report_json(const resolution& r, const container_environment& env,
                                              int indent = -1) {
  const auto check = [](std::string_view text) -> std::optional<error> {
    if (detail::is_valid_utf8(text)) return std::nullopt;
    return error(error_code::output_needs_utf8, text);
  };
  for (const auto& m : r.mounts)
    for (const auto* text : {&m.host_path, &m.container_path})
      if (auto e = check(*text)) return *e;
  for (const auto& d : env.decisions)
    for (const auto* text : {&d.name, &d.container_value})
      if (auto e = check(*text)) return *e;
  if (r.working_directory)
    if (auto e = check(*r.working_directory)) return *e;
  return report_json(r, env).dump(indent);
}

}  // namespace v1
}  // namespace batchmount

#endif
