#ifndef BATCHMOUNT_ADAPTERS_NLOHMANN_JSON_HPP
#define BATCHMOUNT_ADAPTERS_NLOHMANN_JSON_HPP

// Optional: reads the REST shapes with nlohmann-json and writes resolutions as JSON. Only
// code that includes this header needs nlohmann-json.

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "batchmount/environment.hpp"
#include "batchmount/render/detail/json.hpp"
#include "batchmount/request.hpp"
#include "batchmount/resolution.hpp"
#include "batchmount/result.hpp"
#include "batchmount/tables.hpp"
#include "batchmount/verify.hpp"

namespace batchmount {
inline namespace v1 {

// A task body (or a bare containerSettings) as far as batchmount reads it.
struct task_document {
  std::optional<std::string> id;          // the task body's "id"
  std::optional<std::string> image_name;  // containerSettings.imageName
  owned_request request;
  // task; multi_instance_primary for a task body with multiInstanceSettings (a subtask is
  // the same body with a subtask number); the job's and the pool's tasks by their field.
  task_kind kind = task_kind::task;
  std::vector<env_var> environment;  // the task's environmentSettings (and a job's common ones)
  std::string field;                 // where it stands: "", "jobPreparationTask", "properties.startTask", ...
};

// Every place one document holds container settings: a task body, a bare containerSettings,
// a job body (jobManagerTask, jobPreparationTask, jobReleaseTask), a pool body (startTask)
// or ARM pool JSON (properties.startTask).
struct batch_document {
  std::string shape;  // "task", "containerSettings", "job", "pool" or "armPool"
  std::vector<task_document> tasks;  // those that have containerSettings, in the order above
  std::optional<std::string> job_id;  // a job body's "id"
  std::optional<std::string> job_prep_task_id, job_release_task_id;  // a job body's, when it names them
  std::optional<bool> job_has_job_prep_task;  // known for a job body

  // The task of this kind, or nullptr. A multi-instance subtask is found as its primary.
  const task_document* find(task_kind kind) const noexcept {
    if (kind == task_kind::multi_instance_subtask) kind = task_kind::multi_instance_primary;
    for (const auto& t : tasks)
      if (t.kind == kind) return &t;
    return nullptr;
  }
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

namespace detail {
// Reads the containerSettings object at `settings` (field path `prefix`, ending in '.' or
// empty) into `out`.
inline result<bool> read_container_settings(const nlohmann::json& settings, const std::string& prefix,
                                            task_document& out) {
  if (auto ok = read_string(settings, "imageName", prefix + "imageName", out.image_name); !ok) return ok.error();
  if (auto ok = read_string(settings, "workingDirectory", prefix + "workingDirectory", out.request.working_directory);
      !ok)
    return ok.error();
  const auto mounts = settings.find("containerHostBatchBindMounts");
  const std::string list_field = prefix + "containerHostBatchBindMounts";
  if (mounts == settings.end() || mounts->is_null()) return true;
  if (!mounts->is_array()) return json_type_error(list_field, *mounts);
  out.request.bind_mounts.emplace();
  for (std::size_t i = 0; i < mounts->size(); ++i) {
    const auto& entry = (*mounts)[i];
    const std::string field = list_field + "[" + std::to_string(i) + "]";
    if (!entry.is_object()) return json_type_error(field, entry, i);
    owned_entry parsed;
    if (auto ok = read_string(entry, "source", field + ".source", parsed.source, i); !ok) return ok.error();
    if (const auto ro = entry.find("isReadOnly"); ro != entry.end() && !ro->is_null()) {
      if (!ro->is_boolean()) return json_type_error(field + ".isReadOnly", *ro, i);
      parsed.is_read_only = ro->get<bool>();
    }
    out.request.bind_mounts->push_back(std::move(parsed));
  }
  return true;
}

// Appends an environmentSettings array ([{"name", "value"}]) at `key` of `object`.
inline result<bool> read_environment(const nlohmann::json& object, const char* key, const std::string& field,
                                     std::vector<env_var>& out) {
  const auto list = object.find(key);
  if (list == object.end() || list->is_null()) return true;
  if (!list->is_array()) return json_type_error(field, *list);
  for (std::size_t i = 0; i < list->size(); ++i) {
    const auto& entry = (*list)[i];
    const std::string at = field + "[" + std::to_string(i) + "]";
    if (!entry.is_object()) return json_type_error(at, entry, i);
    std::optional<std::string> name, value;
    if (auto ok = read_string(entry, "name", at + ".name", name, i); !ok) return ok.error();
    if (auto ok = read_string(entry, "value", at + ".value", value, i); !ok) return ok.error();
    if (!name) return error(error_code::invalid_json, at + ".name is missing", i);
    out.push_back({std::move(*name), value.value_or("")});
  }
  return true;
}

// Reads the task object at `task` (field path `field`) of kind `kind`; `found` is false when
// it has no containerSettings (it does not run in a container).
inline result<bool> read_task(const nlohmann::json& task, const std::string& field, task_kind kind,
                              task_document& out) {
  if (!task.is_object()) return json_type_error(field, task);
  const std::string dot = field.empty() ? "" : field + ".";
  out.kind = kind;
  out.field = field;
  if (auto ok = read_string(task, "id", dot + "id", out.id); !ok) return ok.error();
  if (auto ok = read_environment(task, "environmentSettings", dot + "environmentSettings", out.environment); !ok)
    return ok.error();
  const auto settings = task.find("containerSettings");
  if (settings == task.end() || settings->is_null()) return false;
  if (!settings->is_object()) return json_type_error(dot + "containerSettings", *settings);
  if (auto ok = read_container_settings(*settings, dot + "containerSettings.", out); !ok) return ok.error();
  return true;
}
}  // namespace detail

// Reads a task body ({"id", "commandLine", "containerSettings": {...}}) or a bare
// containerSettings object; unknown fields are ignored. A task body with
// multiInstanceSettings is a multi-instance primary. Fails with invalid_json (not an
// object, or a task body without containerSettings) or invalid_json_type naming the field
// (and the entry's index).
inline result<task_document> parse_task_json(const nlohmann::json& document) {
  if (!document.is_object()) return error(error_code::invalid_json, document.type_name());
  task_document out;
  if (document.contains("containerSettings")) {
    const bool multi = document.contains("multiInstanceSettings") && !document["multiInstanceSettings"].is_null();
    auto found = detail::read_task(document, "", multi ? task_kind::multi_instance_primary : task_kind::task, out);
    if (!found) return found.error();
    if (!*found) return error(error_code::invalid_json, "a task body whose containerSettings is null");
    return out;
  }
  if (document.contains("commandLine") || document.contains("id"))
    return error(error_code::invalid_json, "a task body without containerSettings");
  if (auto ok = detail::read_container_settings(document, "", out); !ok) return ok.error();
  return out;
}

// Reads any document that holds container settings (see batch_document); the shape is
// told by its fields: "properties" (ARM pool), "startTask" (pool), "jobManagerTask",
// "jobPreparationTask", "jobReleaseTask" or "poolInfo" (job), else a task body or a bare
// containerSettings (parse_task_json). Fails as parse_task_json does, and with invalid_json
// for a job or pool none of whose tasks has containerSettings.
inline result<batch_document> parse_batch_json(const nlohmann::json& document) {
  if (!document.is_object()) return error(error_code::invalid_json, document.type_name());
  batch_document out;
  const auto add = [&out](const nlohmann::json& object, const char* key, const std::string& field,
                          task_kind kind, const std::vector<env_var>& common) -> result<bool> {
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) return false;
    task_document task;
    task.environment = common;
    auto found = detail::read_task(*it, field, kind, task);
    if (!found) return found.error();
    if (*found) out.tasks.push_back(std::move(task));
    return true;
  };
  const auto none_in = [&out](const char* what) -> result<batch_document> {
    if (out.tasks.empty()) return error(error_code::invalid_json, std::string(what) + " none of whose tasks has containerSettings");
    return std::move(out);
  };
  if (const auto properties = document.find("properties"); properties != document.end()) {
    if (!properties->is_object()) return detail::json_type_error("properties", *properties);
    out.shape = "armPool";
    if (auto ok = add(*properties, "startTask", "properties.startTask", task_kind::start, {}); !ok) return ok.error();
    return none_in("an ARM pool");
  }
  if (document.contains("startTask")) {
    out.shape = "pool";
    if (auto ok = add(document, "startTask", "startTask", task_kind::start, {}); !ok) return ok.error();
    return none_in("a pool");
  }
  if (document.contains("jobManagerTask") || document.contains("jobPreparationTask") ||
      document.contains("jobReleaseTask") || document.contains("poolInfo")) {
    out.shape = "job";
    if (auto ok = detail::read_string(document, "id", "id", out.job_id); !ok) return ok.error();
    std::vector<env_var> common;
    if (auto ok = detail::read_environment(document, "commonEnvironmentSettings", "commonEnvironmentSettings", common);
        !ok)
      return ok.error();
    if (auto ok = add(document, "jobManagerTask", "jobManagerTask", task_kind::job_manager, common); !ok)
      return ok.error();
    auto prep = add(document, "jobPreparationTask", "jobPreparationTask", task_kind::job_preparation, common);
    if (!prep) return prep.error();
    out.job_has_job_prep_task = *prep;
    if (auto ok = add(document, "jobReleaseTask", "jobReleaseTask", task_kind::job_release, common); !ok)
      return ok.error();
    // The ids the job names for its preparation and release tasks (their defaults otherwise).
    for (const auto& [key, id] : {std::pair{"jobPreparationTask", &out.job_prep_task_id},
                                  std::pair{"jobReleaseTask", &out.job_release_task_id}})
      if (const auto it = document.find(key); it != document.end() && it->is_object())
        if (auto ok = detail::read_string(*it, "id", std::string(key) + ".id", *id); !ok) return ok.error();
    return none_in("a job");
  }
  auto task = parse_task_json(document);
  if (!task) return task.error();
  out.shape = document.contains("containerSettings") ? "task" : "containerSettings";
  out.tasks.push_back(std::move(*task));
  return out;
}

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

// Splits a `-v` bind "SRC:DST[:OPTIONS]", where a path may start with a drive ("C:\...").
inline std::vector<std::string> split_bind(const std::string& bind) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= bind.size(); ++i) {
    const bool drive = i == start + 1 && i + 1 < bind.size() && is_ascii_alpha(bind[start]) &&
                       (bind[i + 1] == '\\' || bind[i + 1] == '/');
    if (i == bind.size() || (bind[i] == ':' && !drive)) {
      parts.push_back(bind.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}
}  // namespace detail

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
  // HostConfig.Mounts: what was asked, with the recursive read-only options.
  struct asked {
    std::string source, target;
    bool read_only, recursive;
  };
  std::vector<asked> requested;
  const auto host_config = detail::read_object(*c, "HostConfig", prefix + "HostConfig");
  if (!host_config) return host_config.error();
  if (*host_config) {
    const auto mounts = (*host_config)->find("Mounts");
    if (mounts != (*host_config)->end() && !mounts->is_null()) {
      if (!mounts->is_array()) return detail::json_type_error(prefix + "HostConfig.Mounts", *mounts);
      for (std::size_t i = 0; i < mounts->size(); ++i) {
        const auto& m = (*mounts)[i];
        const std::string field = prefix + "HostConfig.Mounts[" + std::to_string(i) + "]";
        if (!m.is_object()) return detail::json_type_error(field, m, i);
        std::optional<std::string> type, source, target;
        std::optional<bool> read_only, force, non_recursive;
        for (const auto& [key, into] : {std::pair{"Type", &type}, std::pair{"Source", &source}, std::pair{"Target", &target}})
          if (auto ok = detail::read_string(m, key, field + "." + key, *into, i); !ok) return ok.error();
        if (auto ok = detail::read_bool(m, "ReadOnly", field + ".ReadOnly", read_only); !ok) return ok.error();
        const auto options = detail::read_object(m, "BindOptions", field + ".BindOptions");
        if (!options) return options.error();
        if (*options) {
          if (auto ok = detail::read_bool(**options, "ReadOnlyForceRecursive", field + ".BindOptions.ReadOnlyForceRecursive", force); !ok)
            return ok.error();
          if (auto ok = detail::read_bool(**options, "ReadOnlyNonRecursive", field + ".BindOptions.ReadOnlyNonRecursive", non_recursive); !ok)
            return ok.error();
        }
        if (type != std::string("bind") || !source || !target) continue;
        requested.push_back({*source, *target, read_only.value_or(false), force.value_or(false) && !non_recursive.value_or(false)});
      }
    }
    std::vector<std::string> binds;
    if (auto ok = detail::read_strings(**host_config, "Binds", prefix + "HostConfig.Binds", binds); !ok) return ok.error();
    for (const auto& bind : binds) {
      const auto parts = detail::split_bind(bind);
      if (parts.size() < 2) continue;  // a volume without a destination: not a bind
      bool ro = false;
      if (parts.size() > 2)
        for (const auto& option : detail::split_bind(parts[2])) ro = ro || option.find("ro") == 0;
      requested.push_back({parts[0], parts[1], ro, false});
    }
  }
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

// Which runtime document this is: "oci" (ociVersion, or process and mounts), "docker" (an
// array, or an object with Config, HostConfig or Mounts), or "" when neither.
inline std::string_view container_document_format(const nlohmann::json& document) {
  if (document.is_array()) return "docker";
  if (!document.is_object()) return "";
  if (document.contains("ociVersion") || (document.contains("process") && document.contains("mounts"))) return "oci";
  if (document.contains("Config") || document.contains("HostConfig") || document.contains("Mounts")) return "docker";
  return "";
}

// Reads either document, by its format; invalid_json when it is neither.
inline result<container_record> parse_container_json(const nlohmann::json& document) {
  const auto format = container_document_format(document);
  if (format == "oci") return parse_oci_config(document);
  if (format == "docker") return parse_docker_inspect(document);
  return error(error_code::invalid_json, "neither an OCI config.json nor docker inspect output");
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
  out["os"] = std::string(to_string(r.os));
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
  for (auto& w : env.warnings()) warnings.push_back(std::move(w));
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
