#ifndef BATCHMOUNT_ENVIRONMENT_STANDARD_HPP
#define BATCHMOUNT_ENVIRONMENT_STANDARD_HPP

// The environment the node agent sets for each kind of task (tests and simulators).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "batchmount/context.hpp"
#include "batchmount/environment/types.hpp"
#include "batchmount/result.hpp"
#include "batchmount/tables.hpp"

namespace batchmount {
inline namespace v1 {
// An application package deployed to the node; no version means the default version.
struct application_package {
  std::string_view id;
  std::optional<std::string_view> version;
};

constexpr bool is_valid_application_version(std::string_view version) noexcept {
  if (version.empty() || version.size() > 64) return false;
  for (const char c : version)
    if (!(detail::is_ascii_alpha(c) || detail::is_ascii_digit(c) || c == '-' || c == '_' ||
          c == '.'))
      return false;
  return true;
}

// The environment the node agent sets for this kind of task in this context, so tests and
// simulators need not hand-write it (decision 12): every kind gets the node's directories,
// its own AZ_BATCH_TASK_DIR and AZ_BATCH_TASK_WORKING_DIR and (Linux) its certificates
// directory; all but the start task AZ_BATCH_JOB_ID and AZ_BATCH_TASK_ID; AZ_BATCH_JOB_PREP_*
// only where the job may have a job preparation task and the task is neither it nor the
// start task; multi-instance tasks AZ_BATCH_TASK_SHARED_DIR and the node-list variables
// (synthesized addresses 10.0.0.4 up: the primary on the first node, subtask n on node n);
// application packages; on Linux HOME and PWD (the working directory) and a PATH ending in
// the shared directory and the working directory. Application package folders follow the
// form a real node shows, the id in lower case followed by the version (the deployment
// time stamp a node appends is not known here). Linux names flatten '.', '-' and '#' to '_'
// and come lower-case and case-preserved; Windows names are AZ_BATCH_APP_PACKAGE_{id}#{version}.
// Fails with invalid_application_id or invalid_application_version (package index).
inline result<std::vector<env_var>> standard_environment(
    const node_context& context, const std::vector<application_package>& packages = {}) {
  const node_os os = context.os();
  const context_view& view = context.view();
  const task_kind_row& kind = row(context.kind());
  const char sep = row(os).separator;
  std::vector<env_var> out;
  const auto add = [&out](std::string_view name, std::string_view value) {
    out.push_back({std::string(name), std::string(value)});
  };
  const auto directories = [&](data_path path) {
    add(row(path).directory_variable, view.host_directory(path));
    add(row(path).working_directory_variable, view.host_working_directory(path));
  };
  add(node_root_variable, view.node_root);
  add(row(data_path::shared).directory_variable, view.host_directory(data_path::shared));
  directories(data_path::startup);
  add(row(data_path::vfs_mounts).directory_variable, view.host_directory(data_path::vfs_mounts));
  if (kind.gets_job_prep_variables && view.job_has_job_prep_task != false) directories(data_path::job_prep);
  const std::string_view working = view.host_working_directory(data_path::task);
  add(row(data_path::task).directory_variable, view.host_task_directory);
  add(row(data_path::task).working_directory_variable, working);
  if (kind.multi_instance) add("AZ_BATCH_TASK_SHARED_DIR", view.host_directory(data_path::task));
  if (os == node_os::linux_node) add("AZ_BATCH_CERTIFICATES_DIR", std::string(view.host_task_directory) + sep + "certs");
  if (kind.in_job) {
    add("AZ_BATCH_JOB_ID", view.job_id);
    add("AZ_BATCH_TASK_ID", view.task_id);
  }
  if (kind.multi_instance) {
    const std::uint32_t nodes = std::max<std::uint32_t>(2, view.subtask + 1);
    const auto address = [](std::uint32_t i) { return "10.0.0." + std::to_string(4 + i); };
    std::string hosts, node_list, ccp = std::to_string(nodes);
    for (std::uint32_t i = 0; i < nodes; ++i) {
      hosts += (i ? "," : "") + address(i);
      node_list += (i ? ";" : "") + address(i);
      (ccp += ' ' + address(i)) += " 1";
    }
    add("AZ_BATCH_HOST_LIST", hosts);
    add("AZ_BATCH_NODE_LIST", node_list);
    add("AZ_BATCH_MASTER_NODE", address(0) + ":6000");
    add("AZ_BATCH_IS_CURRENT_NODE_MASTER", view.subtask == 0 ? "true" : "false");
    add("CCP_NODES", ccp);
  }

  const std::string_view prefix = row(data_path::applications).variable_prefix;
  for (std::size_t i = 0; i < packages.size(); ++i) {
    const auto& package = packages[i];
    if (!is_valid_id(package.id))
      return error(error_code::invalid_application_id, package.id, i);
    if (package.version && !is_valid_application_version(*package.version))
      return error(error_code::invalid_application_version, *package.version, i);
    std::string folder(view.host_directory(data_path::applications));
    folder += sep;
    for (const char c : package.id) folder += detail::ascii_lower(c);
    folder += package.version.value_or("");
    std::string suffix(package.id);
    if (package.version) (suffix += '#') += *package.version;
    if (os == node_os::windows_node) {
      out.push_back({std::string(prefix) + suffix, std::move(folder)});
      continue;
    }
    std::string preserved(prefix), lower(prefix);
    for (const char c : suffix) {
      const char flat = (c == '.' || c == '-' || c == '#') ? '_' : c;
      preserved += flat;
      lower += detail::ascii_lower(flat);
    }
    out.push_back({lower, folder});
    if (preserved != lower) out.push_back({std::move(preserved), std::move(folder)});
  }
  if (os == node_os::linux_node) {
    add(home_variable, working);
    add(pwd_variable, working);
    std::string path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:";
    ((path += view.host_directory(data_path::shared)) += ':') += working;
    add(path_variable, path);
  }
  return out;
}

}  // namespace v1
}  // namespace batchmount

#endif
