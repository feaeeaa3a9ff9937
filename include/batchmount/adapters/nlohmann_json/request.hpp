#ifndef BATCHMOUNT_ADAPTERS_NLOHMANN_JSON_REQUEST_HPP
#define BATCHMOUNT_ADAPTERS_NLOHMANN_JSON_REQUEST_HPP

// The request reader: task, job and pool documents (the REST and ARM shapes) read into
// container requests, and owned_request to and from JSON.

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "batchmount/adapters/nlohmann_json/fields.hpp"
#include "batchmount/request.hpp"
#include "batchmount/result.hpp"
#include "batchmount/tables.hpp"

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
// Reads the containerSettings object at `settings` (field path `prefix`, ending in '.' or
// empty) into `out`.
inline result<bool> read_container_settings(const nlohmann::json& settings, const std::string& prefix,
                                            task_document& out) {
  if (auto ok = read_string(settings, "imageName", prefix + "imageName", out.image_name); !ok) return ok.error();
  if (auto ok = read_string(settings, "workingDirectory", prefix + "workingDirectory", out.request.working_directory);
      !ok)
    return ok.error();
  if (auto ok = read_string(settings, "containerRunOptions", prefix + "containerRunOptions", out.request.run_options); !ok)
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
  if (request.run_options) out["containerRunOptions"] = *request.run_options;
}

}  // namespace v1
}  // namespace batchmount

#endif
