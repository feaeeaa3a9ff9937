#ifndef BATCHMOUNT_TABLES_HPP
#define BATCHMOUNT_TABLES_HPP

// The one place that knows directory names, environment variable names, wire spellings
// and the Windows drive mapping. Everything else asks these tables.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "batchmount/detail/ascii.hpp"

namespace batchmount {
inline namespace v1 {

// The node's operating system. Not spelled `linux`: GCC and Clang predefine `linux` as a
// macro in the GNU dialects (-std=gnu++17, CMake's default).
enum class node_os : std::uint8_t { linux_node, windows_node };
inline constexpr std::size_t node_os_count = 2;

// ContainerHostDataPath, in the order the documentation lists it.
enum class data_path : std::uint8_t { shared, applications, startup, vfs_mounts, job_prep, task };
inline constexpr std::size_t data_path_count = 6;
inline constexpr std::array<data_path, data_path_count> all_data_paths = {
    data_path::shared,   data_path::applications, data_path::startup,
    data_path::vfs_mounts, data_path::job_prep,   data_path::task};

// TaskContainerSettings.workingDirectory.
enum class working_directory : std::uint8_t { task_working_directory, container_image_default };
inline constexpr std::size_t working_directory_count = 2;

// One data path: its wire name, its directory under the node root as a '/'-separated
// template ({job_dir}, {task_id} and {job_prep_task_id} are filled in from the context),
// its working subdirectory (empty if none) and the variables the node agent sets for it.
struct data_path_row {
  data_path path;
  std::string_view wire_name;
  std::string_view directory_template;
  std::string_view working_subdirectory;
  std::string_view directory_variable;          // empty for Applications
  std::string_view working_directory_variable;  // empty where there is no working dir
  std::string_view variable_prefix;             // Applications: every AZ_BATCH_APP_PACKAGE_*
};

inline constexpr std::array<data_path_row, data_path_count> data_path_table = {{
    {data_path::shared, "Shared", "shared", "", "AZ_BATCH_NODE_SHARED_DIR", "", ""},
    {data_path::applications, "Applications", "applications", "", "", "",
     "AZ_BATCH_APP_PACKAGE_"},
    {data_path::startup, "Startup", "startup", "wd", "AZ_BATCH_NODE_STARTUP_DIR",
     "AZ_BATCH_NODE_STARTUP_WORKING_DIR", ""},
    {data_path::vfs_mounts, "VfsMounts", "fsmounts", "", "AZ_BATCH_NODE_MOUNTS_DIR", "", ""},
    {data_path::job_prep, "JobPrep", "workitems/{job_dir}/{job_prep_task_id}", "wd",
     "AZ_BATCH_JOB_PREP_DIR", "AZ_BATCH_JOB_PREP_WORKING_DIR", ""},
    {data_path::task, "Task", "workitems/{job_dir}/{task_id}", "wd", "AZ_BATCH_TASK_DIR",
     "AZ_BATCH_TASK_WORKING_DIR", ""},
}};

// One node OS: its name, default node root, separator, and how a host path inside the node
// root becomes a container path (Windows: the drive is replaced by container_drive; Linux:
// the same path, container_drive empty).
struct os_row {
  node_os os;
  std::string_view name;
  std::string_view default_node_root;
  char separator;
  std::string_view container_drive;
  bool case_insensitive;  // path components and environment variable names
};

inline constexpr std::array<os_row, node_os_count> os_table = {{
    {node_os::linux_node, "linux", "/mnt/batch/tasks", '/', "", false},
    {node_os::windows_node, "windows", "D:\\batch\\tasks", '\\', "C:", true},
}};

// The kind of task a container runs for. Each kind decides which directory is the task's
// own (AZ_BATCH_TASK_DIR), what the `Task` data path mounts, and which variables exist.
enum class task_kind : std::uint8_t {
  task,                    // a job's ordinary task
  job_manager,             // the job manager task
  multi_instance_primary,  // a multi-instance task's primary (instance 0)
  multi_instance_subtask,  // a multi-instance task's subtask n >= 1
  job_preparation,         // the job preparation task
  job_release,             // the job release task
  start,                   // the pool's start task (belongs to no job)
};
inline constexpr std::size_t task_kind_count = 7;

// One kind of task. `task_directory_template` is what `Task` mounts ('/'-separated under the
// node root, placeholders as in data_path_row plus {job_release_task_id}); the task's own
// directory is that plus `own_subdirectory` ({subtask}: the subtask number), and its
// working directory the own directory plus "wd". Where the task's own directory is also
// another data path's, `same_directory_as` names it: either name selects one mount.
struct task_kind_row {
  task_kind kind;
  std::string_view name;  // command-line spelling
  std::string_view task_directory_template;
  std::string_view own_subdirectory;
  std::optional<data_path> same_directory_as;
  bool in_job;                 // has a job: AZ_BATCH_JOB_ID, AZ_BATCH_TASK_ID, JobPrep
  bool multi_instance;         // AZ_BATCH_TASK_SHARED_DIR and the node-list variables
  bool gets_job_prep_variables;  // AZ_BATCH_JOB_PREP_* when the job has a job preparation task
};

inline constexpr std::array<task_kind_row, task_kind_count> task_kind_table = {{
    {task_kind::task, "task", "workitems/{job_dir}/{task_id}", "", std::nullopt, true, false, true},
    {task_kind::job_manager, "job-manager", "workitems/{job_dir}/{task_id}", "", std::nullopt, true, false, true},
    {task_kind::multi_instance_primary, "multi-instance-primary", "workitems/{job_dir}/{task_id}", "",
     std::nullopt, true, true, true},
    {task_kind::multi_instance_subtask, "multi-instance-subtask", "workitems/{job_dir}/{task_id}", "{subtask}",
     std::nullopt, true, true, true},
    {task_kind::job_preparation, "job-preparation", "workitems/{job_dir}/{job_prep_task_id}", "",
     data_path::job_prep, true, false, false},
    {task_kind::job_release, "job-release", "workitems/{job_dir}/{job_release_task_id}", "", std::nullopt,
     true, false, true},
    {task_kind::start, "start", "startup", "", data_path::startup, false, false, false},
}};

namespace detail {
// A directory template read once, at compile time: its '/'-separated parts in order, each a
// literal or a placeholder, so building a context never parses a template again.
enum class template_part : std::uint8_t { literal, job_dir, task_id, job_prep_task_id, job_release_task_id, subtask };

struct path_template {
  static constexpr std::size_t capacity = 4;
  std::array<template_part, capacity> parts{};
  std::array<std::string_view, capacity> literals{};
  std::size_t size = 0;
  bool well_formed = true;  // every part non-empty, known, and within capacity
};

constexpr path_template compile_template(std::string_view text) noexcept {
  path_template out;
  if (text.empty()) return out;  // nothing to add
  for (std::size_t pos = 0;;) {
    std::size_t end = text.find('/', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view part = text.substr(pos, end - pos);
    pos = end + 1;
    if (out.size == path_template::capacity || part.empty()) {
      out.well_formed = false;
      break;
    }
    template_part kind = template_part::literal;
    if (part.front() == '{') {
      if (part == "{job_dir}") kind = template_part::job_dir;
      else if (part == "{task_id}") kind = template_part::task_id;
      else if (part == "{job_prep_task_id}") kind = template_part::job_prep_task_id;
      else if (part == "{job_release_task_id}") kind = template_part::job_release_task_id;
      else if (part == "{subtask}") kind = template_part::subtask;
      else out.well_formed = false;
    }
    out.parts[out.size] = kind;
    out.literals[out.size] = part;
    ++out.size;
    if (end == text.size()) break;
  }
  return out;
}

// The compiled directory and working-directory templates of every data path and kind.
struct compiled_templates {
  std::array<path_template, data_path_count> directory{}, working{};
  std::array<path_template, task_kind_count> task_directory{}, own{};
};
inline constexpr compiled_templates templates = [] {
  compiled_templates out;
  for (std::size_t i = 0; i < data_path_count; ++i) {
    out.directory[i] = compile_template(data_path_table[i].directory_template);
    out.working[i] = compile_template(data_path_table[i].working_subdirectory);
  }
  for (std::size_t i = 0; i < task_kind_count; ++i) {
    out.task_directory[i] = compile_template(task_kind_table[i].task_directory_template);
    out.own[i] = compile_template(task_kind_table[i].own_subdirectory);
  }
  return out;
}();
}  // namespace detail

struct working_directory_row {
  working_directory value;
  std::string_view wire_name;
};

inline constexpr std::array<working_directory_row, working_directory_count>
    working_directory_table = {{
        {working_directory::task_working_directory, "taskWorkingDirectory"},
        {working_directory::container_image_default, "containerImageDefault"},
    }};

// Variables that name a place, not a data path, and stay whatever is mounted.
inline constexpr std::string_view node_root_variable = "AZ_BATCH_NODE_ROOT_DIR";
// Every variable the node agent owns starts with this; only these are filtered.
inline constexpr std::string_view batch_variable_prefix = "AZ_BATCH_";
// The job preparation and job release task ids when the job does not name them.
inline constexpr std::string_view default_job_prep_task_id = "jobpreparation";
inline constexpr std::string_view default_job_release_task_id = "jobrelease";
// Variables Batch sets that are not AZ_BATCH_* but hold paths (decision 13): HOME and PWD
// are the task's working directory; PATH is a list ending in the shared directory and the
// task's working directory.
inline constexpr std::string_view home_variable = "HOME";
inline constexpr std::string_view pwd_variable = "PWD";
inline constexpr std::string_view path_variable = "PATH";
// The first node agent version that supports containerHostBatchBindMounts.
inline constexpr std::array<unsigned, 3> isolation_agent_version = {1, 11, 11};

constexpr const data_path_row& row(data_path path) noexcept {
  return data_path_table[static_cast<std::size_t>(path)];
}
constexpr const os_row& row(node_os os) noexcept {
  return os_table[static_cast<std::size_t>(os)];
}
constexpr const task_kind_row& row(task_kind kind) noexcept {
  return task_kind_table[static_cast<std::size_t>(kind)];
}

// The Batch API's spelling of the values it defines ("VfsMounts", "taskWorkingDirectory").
constexpr std::string_view to_wire(data_path path) noexcept { return row(path).wire_name; }
constexpr std::string_view to_wire(working_directory wd) noexcept {
  return working_directory_table[static_cast<std::size_t>(wd)].wire_name;
}
// Every enumeration's name as the library prints it (`to_string`): for the two the Batch API
// defines, their wire spelling; "linux", "job-manager" for the others.
constexpr std::string_view to_string(data_path path) noexcept { return to_wire(path); }
constexpr std::string_view to_string(working_directory wd) noexcept { return to_wire(wd); }
constexpr std::string_view to_string(node_os os) noexcept { return row(os).name; }
constexpr std::string_view to_string(task_kind kind) noexcept { return row(kind).name; }

// Case-insensitive parsers, as the Azure SDKs parse these enums; nullopt if unknown.
constexpr std::optional<data_path> parse_data_path(std::string_view text) noexcept {
  for (const auto& r : data_path_table)
    if (detail::iequals(text, r.wire_name)) return r.path;
  return std::nullopt;
}
constexpr std::optional<working_directory> parse_working_directory(
    std::string_view text) noexcept {
  for (const auto& r : working_directory_table)
    if (detail::iequals(text, r.wire_name)) return r.value;
  return std::nullopt;
}
constexpr std::optional<task_kind> parse_task_kind(std::string_view text) noexcept {
  for (const auto& r : task_kind_table)
    if (detail::iequals(text, r.name)) return r.kind;
  return std::nullopt;
}
constexpr std::optional<node_os> parse_os(std::string_view text) noexcept {
  for (const auto& r : os_table)
    if (detail::iequals(text, r.name)) return r.os;
  return std::nullopt;
}

namespace detail {
constexpr bool tables_are_complete_and_ordered() noexcept {
  bool ok = data_path_table.size() == all_data_paths.size();
  for (std::size_t i = 0; i < data_path_table.size(); ++i) {
    const auto& r = data_path_table[i];
    ok = ok && static_cast<std::size_t>(r.path) == i && all_data_paths[i] == r.path;
    ok = ok && !r.wire_name.empty() && !r.directory_template.empty();
    // Applications has a prefix instead of a directory variable; every other row the reverse.
    ok = ok && r.directory_variable.empty() != r.variable_prefix.empty();
    ok = ok && r.working_subdirectory.empty() == r.working_directory_variable.empty();
    for (std::size_t j = 0; j < i; ++j) ok = ok && !iequals(data_path_table[j].wire_name, r.wire_name);
  }
  for (std::size_t i = 0; i < os_table.size(); ++i)
    ok = ok && static_cast<std::size_t>(os_table[i].os) == i && !os_table[i].name.empty() &&
         !os_table[i].default_node_root.empty();
  for (std::size_t i = 0; i < working_directory_table.size(); ++i)
    ok = ok && static_cast<std::size_t>(working_directory_table[i].value) == i;
  for (std::size_t i = 0; i < task_kind_table.size(); ++i) {
    const auto& k = task_kind_table[i];
    ok = ok && static_cast<std::size_t>(k.kind) == i && !k.name.empty() && !k.task_directory_template.empty();
    // A kind whose own directory is a data path's has that data path's directory as Task.
    if (k.same_directory_as) ok = ok && row(*k.same_directory_as).directory_template == k.task_directory_template;
  }
  // Every template is well formed (compile_template).
  for (std::size_t i = 0; i < data_path_count; ++i)
    ok = ok && templates.directory[i].well_formed && templates.working[i].well_formed;
  for (std::size_t i = 0; i < task_kind_count; ++i)
    ok = ok && templates.task_directory[i].well_formed && templates.own[i].well_formed;
  // The table of data paths describes the ordinary task.
  ok = ok && row(data_path::task).directory_template == task_kind_table[0].task_directory_template;
  return ok;
}
}  // namespace detail

static_assert(detail::tables_are_complete_and_ordered(),
              "batchmount tables must list every enumerator once, in enum order");

}  // namespace v1
}  // namespace batchmount

#endif
