#ifndef BATCHMOUNT_ADAPTERS_NLOHMANN_JSON_CONTAINERS_HPP
#define BATCHMOUNT_ADAPTERS_NLOHMANN_JSON_CONTAINERS_HPP

// The --verify readers: an OCI config.json, `docker inspect` or `crictl inspect` output as a
// container_record.

#include <cstddef>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "batchmount/adapters/nlohmann_json/fields.hpp"
#include "batchmount/result.hpp"
#include "batchmount/run_options/read.hpp"
#include "batchmount/verify.hpp"

namespace batchmount {
inline namespace v1 {

// Reads an OCI runtime config.json into a container record: its bind mounts (`mounts[]`
// whose type is "bind" or whose options hold "bind"/"rbind", or, on Windows, that have no
// type), read-only for "ro" or "rro" and recursively so for "rro"; process.env and
// process.cwd. Fails with invalid_json or invalid_json_type naming the field.
inline result<container_record> parse_oci_config(const nlohmann::json& document) {
  if (!document.is_object()) return error(error_code::invalid_json, document.type_name());
  container_record out;
  const auto mounts = document.find("mounts");
  if (mounts != document.end() && !mounts->is_null()) {
    if (!mounts->is_array()) return detail::json_type_error("mounts", *mounts);
    for (std::size_t i = 0; i < mounts->size(); ++i) {
      const auto& m = (*mounts)[i];
      const std::string field = "mounts[" + std::to_string(i) + "]";
      if (!m.is_object()) return detail::json_type_error(field, m, i);
      std::optional<std::string> type, source, destination;
      std::vector<std::string> options;
      for (const auto& [key, into] : {std::pair{"type", &type}, std::pair{"source", &source}, std::pair{"destination", &destination}})
        if (auto ok = detail::read_string(m, key, field + "." + key, *into, i); !ok) return ok.error();
      if (auto ok = detail::read_strings(m, "options", field + ".options", options); !ok) return ok.error();
      bool bind = type == std::string("bind") || (!type && source);
      bool ro = false, rro = false;
      for (const auto& o : options) {
        bind = bind || o == "bind" || o == "rbind";
        ro = ro || o == "ro";
        rro = rro || o == "rro";
      }
      if (!bind || !source || !destination) continue;  // proc, tmpfs, devpts...: not binds
      out.mounts.push_back({std::nullopt, *source, *destination, ro || rro, rro});
    }
  }
  const auto process = detail::read_object(document, "process", "process");
  if (!process) return process.error();
  if (*process) {
    std::vector<std::string> env;
    if (auto ok = detail::read_strings(**process, "env", "process.env", env); !ok) return ok.error();
    out.environment = detail::split_environment(env);
    if (auto ok = detail::read_string(**process, "cwd", "process.cwd", out.working_directory); !ok) return ok.error();
  }
  return out;
}

namespace detail {
// A bind `docker inspect`'s HostConfig says was asked for (HostConfig.Mounts with its
// recursive read-only options, or HostConfig.Binds).
struct docker_bind_asked {
  std::string source, target;
  bool read_only, recursive;
};
inline result<std::vector<docker_bind_asked>> read_docker_host_config(const nlohmann::json& c, const std::string& prefix) {
  std::vector<docker_bind_asked> requested;
  const auto host_config = read_object(c, "HostConfig", prefix + "HostConfig");
  if (!host_config) return host_config.error();
  if (*host_config) {
    const auto mounts = (*host_config)->find("Mounts");
    if (mounts != (*host_config)->end() && !mounts->is_null()) {
      if (!mounts->is_array()) return json_type_error(prefix + "HostConfig.Mounts", *mounts);
      for (std::size_t i = 0; i < mounts->size(); ++i) {
        const auto& m = (*mounts)[i];
        const std::string field = prefix + "HostConfig.Mounts[" + std::to_string(i) + "]";
        if (!m.is_object()) return json_type_error(field, m, i);
        std::optional<std::string> type, source, target;
        std::optional<bool> read_only, force, non_recursive;
        for (const auto& [key, into] : {std::pair{"Type", &type}, std::pair{"Source", &source}, std::pair{"Target", &target}})
          if (auto ok = read_string(m, key, field + "." + key, *into, i); !ok) return ok.error();
        if (auto ok = read_bool(m, "ReadOnly", field + ".ReadOnly", read_only); !ok) return ok.error();
        const auto options = read_object(m, "BindOptions", field + ".BindOptions");
        if (!options) return options.error();
        if (*options) {
          if (auto ok = read_bool(**options, "ReadOnlyForceRecursive", field + ".BindOptions.ReadOnlyForceRecursive", force); !ok)
            return ok.error();
          if (auto ok = read_bool(**options, "ReadOnlyNonRecursive", field + ".BindOptions.ReadOnlyNonRecursive", non_recursive); !ok)
            return ok.error();
        }
        if (type != std::string("bind") || !source || !target) continue;
        requested.push_back({*source, *target, read_only.value_or(false), force.value_or(false) && !non_recursive.value_or(false)});
      }
    }
    std::vector<std::string> binds;
    if (auto ok = read_strings(**host_config, "Binds", prefix + "HostConfig.Binds", binds); !ok) return ok.error();
    for (const auto& bind : binds) {
      const auto parts = split_bind(bind);
      if (parts.size() < 2) continue;  // a volume without a destination: not a bind
      bool ro = false;
      if (parts.size() > 2)
        for (const auto& option : split_bind(parts[2])) ro = ro || option.find("ro") == 0;
      requested.push_back({parts[0], parts[1], ro, false});
    }
  }
  return requested;
}
}  // namespace detail

// Reads `docker inspect` output (an array of one container, or the container object) into a
// container record. Mounts come from `Mounts[]` (type "bind": Source, Destination, RW);
// a read-only one is recursive only where `HostConfig.Mounts[]` for its destination sets
// BindOptions.ReadOnlyForceRecursive (ReadOnlyNonRecursive, `-v ...:ro` binds and older
// engines leave submounts writable). Without `Mounts[]`, HostConfig.Mounts and
// HostConfig.Binds ("SRC:DST[:ro]") are read instead. Config.Env and Config.WorkingDir
// ("" is the image's default). Fails with invalid_json or invalid_json_type naming the field.
inline result<container_record> parse_docker_inspect(const nlohmann::json& document) {
  const nlohmann::json* c = &document;
  std::string prefix;
  if (document.is_array()) {
    if (document.size() != 1) return error(error_code::invalid_json, "docker inspect output of " + std::to_string(document.size()) + " containers");
    c = &document[0];
    prefix = "[0].";
  }
  if (!c->is_object()) return error(error_code::invalid_json, c->type_name());
  container_record out;
  const auto asked = detail::read_docker_host_config(*c, prefix);
  if (!asked) return asked.error();
  const std::vector<detail::docker_bind_asked>& requested = *asked;
  const auto mounts = c->find("Mounts");
  if (mounts != c->end() && !mounts->is_null()) {
    if (!mounts->is_array()) return detail::json_type_error(prefix + "Mounts", *mounts);
    for (std::size_t i = 0; i < mounts->size(); ++i) {
      const auto& m = (*mounts)[i];
      const std::string field = prefix + "Mounts[" + std::to_string(i) + "]";
      if (!m.is_object()) return detail::json_type_error(field, m, i);
      std::optional<std::string> type, source, destination;
      std::optional<bool> rw;
      for (const auto& [key, into] : {std::pair{"Type", &type}, std::pair{"Source", &source}, std::pair{"Destination", &destination}})
        if (auto ok = detail::read_string(m, key, field + "." + key, *into, i); !ok) return ok.error();
      if (auto ok = detail::read_bool(m, "RW", field + ".RW", rw); !ok) return ok.error();
      if (type != std::string("bind") || !source || !destination) continue;
      bool recursive = false;
      for (const auto& a : requested) recursive = recursive || (a.target == *destination && a.read_only && a.recursive);
      const bool read_only = !rw.value_or(true);
      out.mounts.push_back({std::nullopt, *source, *destination, read_only, read_only && recursive});
    }
  } else {
    for (const auto& a : requested)
      out.mounts.push_back({std::nullopt, a.source, a.target, a.read_only, a.read_only && a.recursive});
  }
  const auto config = detail::read_object(*c, "Config", prefix + "Config");
  if (!config) return config.error();
  if (*config) {
    std::vector<std::string> env;
    if (auto ok = detail::read_strings(**config, "Env", prefix + "Config.Env", env); !ok) return ok.error();
    out.environment = detail::split_environment(env);
    if (auto ok = detail::read_string(**config, "WorkingDir", prefix + "Config.WorkingDir", out.working_directory); !ok)
      return ok.error();
    if (out.working_directory && out.working_directory->empty()) out.working_directory.reset();
  }
  return out;
}

namespace detail {
// A proto3 JSON field's key as written: its lowerCamelCase name (what crictl and
// json_format print) or, when that is absent, its original snake_case name (which proto3
// JSON parsers accept too).
inline const char* proto_key(const nlohmann::json& object, const char* camel, const char* snake) {
  return object.contains(camel) ? camel : snake;
}
}  // namespace detail

// Reads `crictl inspect` output ({"status": a CRI ContainerStatus as proto3 JSON, "info": the
// runtime's verbose info}) into a container record. Where info.runtimeSpec is present (the
// OCI config containerd generated, read as parse_oci_config reads one), it is what the
// container really got: its mounts ("ro"/"rro"), process.env and process.cwd. Otherwise the
// mounts come from status.mounts (containerPath, hostPath, readonly, recursiveReadOnly; the
// snake_case names are read too; an absent boolean is false, as proto3 JSON omits it), and
// the record reports no environment or working directory (process_reported false). Fails
// with invalid_json or invalid_json_type naming the field.
inline result<container_record> parse_crictl_inspect(const nlohmann::json& document) {
  if (!document.is_object()) return error(error_code::invalid_json, document.type_name());
  const auto info = detail::read_object(document, "info", "info");
  if (!info) return info.error();
  if (*info) {
    const auto spec = detail::read_object(**info, "runtimeSpec", "info.runtimeSpec");
    if (!spec) return spec.error();
    if (*spec) {
      auto record = parse_oci_config(**spec);
      if (!record) return error(record.error().code(), "info.runtimeSpec." + std::string(record.error().value()),
                                record.error().has_index() ? record.error().index() : error::no_index);
      return record;
    }
  }
  const auto status = detail::read_object(document, "status", "status");
  if (!status) return status.error();
  if (!*status) return error(error_code::invalid_json, "crictl inspect output without status or info.runtimeSpec");
  container_record out;
  out.process_reported = false;
  const auto mounts = (*status)->find("mounts");
  if (mounts != (*status)->end() && !mounts->is_null()) {
    if (!mounts->is_array()) return detail::json_type_error("status.mounts", *mounts);
    for (std::size_t i = 0; i < mounts->size(); ++i) {
      const auto& m = (*mounts)[i];
      const std::string field = "status.mounts[" + std::to_string(i) + "]";
      if (!m.is_object()) return detail::json_type_error(field, m, i);
      std::optional<std::string> host, target;
      std::optional<bool> read_only, recursive;
      for (const auto& [camel, snake, into] :
           {std::tuple{"hostPath", "host_path", &host}, std::tuple{"containerPath", "container_path", &target}}) {
        const char* key = detail::proto_key(m, camel, snake);
        if (auto ok = detail::read_string(m, key, field + "." + key, *into, i); !ok) return ok.error();
      }
      if (auto ok = detail::read_bool(m, "readonly", field + ".readonly", read_only); !ok) return ok.error();
      const char* key = detail::proto_key(m, "recursiveReadOnly", "recursive_read_only");
      if (auto ok = detail::read_bool(m, key, field + "." + key, recursive); !ok) return ok.error();
      if (!host || !target) return error(error_code::invalid_json, field + " without hostPath or containerPath", i);
      const bool ro = read_only.value_or(false);
      out.mounts.push_back({std::nullopt, *host, *target, ro, ro && recursive.value_or(false)});
    }
  }
  return out;
}

// Which runtime document this is: "oci" (ociVersion, or process and mounts), "docker" (an
// array, or an object with Config, HostConfig or Mounts), "cri" (crictl inspect: an object
// with status or info), or "" when none.
inline std::string_view container_document_format(const nlohmann::json& document) {
  if (document.is_array()) return "docker";
  if (!document.is_object()) return "";
  if (document.contains("status") || document.contains("info")) return "cri";
  if (document.contains("ociVersion") || (document.contains("process") && document.contains("mounts"))) return "oci";
  if (document.contains("Config") || document.contains("HostConfig") || document.contains("Mounts")) return "docker";
  return "";
}

// Reads any of the documents, by its format; invalid_json when it is none.
inline result<container_record> parse_container_json(const nlohmann::json& document) {
  const auto format = container_document_format(document);
  if (format == "oci") return parse_oci_config(document);
  if (format == "docker") return parse_docker_inspect(document);
  if (format == "cri") return parse_crictl_inspect(document);
  return error(error_code::invalid_json, "neither an OCI config.json, docker inspect nor crictl inspect output");
}

}  // namespace v1
}  // namespace batchmount

#endif
