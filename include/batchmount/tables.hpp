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
// The job preparation task id when the job does not name one.
inline constexpr std::string_view default_job_prep_task_id = "jobpreparation";
// The first node agent version that supports containerHostBatchBindMounts.
inline constexpr std::array<unsigned, 3> isolation_agent_version = {1, 11, 11};

constexpr const data_path_row& row(data_path path) noexcept {
  return data_path_table[static_cast<std::size_t>(path)];
}
constexpr const os_row& row(node_os os) noexcept {
  return os_table[static_cast<std::size_t>(os)];
}

// Wire spelling ("VfsMounts", "taskWorkingDirectory", "linux").
constexpr std::string_view to_wire(data_path path) noexcept { return row(path).wire_name; }
constexpr std::string_view to_wire(node_os os) noexcept { return row(os).name; }
constexpr std::string_view to_wire(working_directory wd) noexcept {
  return working_directory_table[static_cast<std::size_t>(wd)].wire_name;
}

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
  return ok;
}
}  // namespace detail

static_assert(detail::tables_are_complete_and_ordered(),
              "batchmount tables must list every enumerator once, in enum order");

}  // namespace v1
}  // namespace batchmount

#endif
