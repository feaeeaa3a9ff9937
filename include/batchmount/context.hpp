#ifndef BATCHMOUNT_CONTEXT_HPP
#define BATCHMOUNT_CONTEXT_HPP

// Stage 2: where the task runs. Every id is validated here, before any path exists, and
// the node root is canonicalized once.

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "batchmount/detail/ascii.hpp"
#include "batchmount/detail/path.hpp"
#include "batchmount/result.hpp"
#include "batchmount/tables.hpp"

namespace batchmount {
inline namespace v1 {

// Whether `id` is a valid Batch job, job schedule or task id: 1 to 64 letters, digits,
// hyphens or underscores. So '.', '..', '/', '\', ':' and NUL can never reach a path.
constexpr bool is_valid_id(std::string_view id) noexcept {
  if (id.empty() || id.size() > 64) return false;
  for (const char c : id)
    if (!(detail::is_ascii_alpha(c) || detail::is_ascii_digit(c) || c == '-' || c == '_'))
      return false;
  return true;
}

// What the caller knows about a task's placement. Views: copied by make_context.
struct context_options {
  node_os os = node_os::linux_node;
  std::optional<std::string_view> node_root;  // nullopt: the OS default
  std::string_view job_id;
  std::optional<std::string_view> job_schedule_id;  // the job was created by a schedule
  std::string_view task_id;
  std::string_view job_prep_task_id = default_job_prep_task_id;
};

// A validated placement: canonical node root and the directories built from the ids.
class node_context {
 public:
  node_context() = default;

  node_os os() const noexcept { return os_; }
  // Canonical node root, e.g. "/mnt/batch/tasks" or "D:\batch\tasks".
  const std::string& node_root() const noexcept { return node_root_; }
  const std::string& job_id() const noexcept { return job_id_; }
  const std::optional<std::string>& job_schedule_id() const noexcept { return schedule_id_; }
  const std::string& task_id() const noexcept { return task_id_; }
  const std::string& job_prep_task_id() const noexcept { return job_prep_task_id_; }

  // "{job}/job-1", or "{schedule}/{job}" for a job created by a job schedule.
  std::string job_directory() const {
    return schedule_id_ ? *schedule_id_ + "/" + job_id_ : job_id_ + "/job-1";
  }

  // The canonical host directory of a data path under this node root.
  std::string host_directory(data_path path) const {
    std::string out = node_root_;
    const std::string_view tmpl = row(path).directory_template;
    for (std::size_t pos = 0; pos < tmpl.size();) {
      std::size_t end = tmpl.find('/', pos);
      if (end == std::string_view::npos) end = tmpl.size();
      const std::string_view part = tmpl.substr(pos, end - pos);
      if (part == "{job_dir}")
        detail::append(out, job_directory(), os_);
      else if (part == "{task_id}")
        detail::append(out, task_id_, os_);
      else if (part == "{job_prep_task_id}")
        detail::append(out, job_prep_task_id_, os_);
      else
        detail::append(out, part, os_);
      pos = end + 1;
    }
    return out;
  }

  // The canonical host working directory of a data path; empty if it has none.
  std::string host_working_directory(data_path path) const {
    const auto sub = row(path).working_subdirectory;
    if (sub.empty()) return {};
    std::string out = host_directory(path);
    detail::append(out, sub, os_);
    return out;
  }

  // Validates everything and builds the context, or names the first broken rule.
  friend result<node_context> make_context(const context_options& options);

 private:
  node_os os_ = node_os::linux_node;
  std::string node_root_;
  std::string job_id_;
  std::optional<std::string> schedule_id_;
  std::string task_id_;
  std::string job_prep_task_id_;
};

// Fails with invalid_os, relative_node_root, node_root_parent_reference,
// invalid_node_root, invalid_*_id, or task_id_is_job_prep_task_id.
inline result<node_context> make_context(const context_options& options) {
  if (static_cast<std::size_t>(options.os) >= node_os_count)
    return error(error_code::invalid_os, "");
  if (!is_valid_id(options.job_id)) return error(error_code::invalid_job_id, options.job_id);
  if (options.job_schedule_id && !is_valid_id(*options.job_schedule_id))
    return error(error_code::invalid_job_schedule_id, *options.job_schedule_id);
  if (!is_valid_id(options.task_id)) return error(error_code::invalid_task_id, options.task_id);
  if (!is_valid_id(options.job_prep_task_id))
    return error(error_code::invalid_job_prep_task_id, options.job_prep_task_id);
  // Ids are case-insensitive in Batch, so "JobPreparation" names the same directory.
  if (detail::iequals(options.task_id, options.job_prep_task_id))
    return error(error_code::task_id_is_job_prep_task_id, options.task_id);

  auto root = detail::canonical_path(options.node_root.value_or(row(options.os).default_node_root),
                                     options.os, detail::parent_references::reject);
  if (!root) return root.error();

  node_context out;
  out.os_ = options.os;
  out.node_root_ = std::move(*root);
  out.job_id_ = std::string(options.job_id);
  if (options.job_schedule_id) out.schedule_id_ = std::string(*options.job_schedule_id);
  out.task_id_ = std::string(options.task_id);
  out.job_prep_task_id_ = std::string(options.job_prep_task_id);
  return out;
}

}  // namespace v1
}  // namespace batchmount

#endif
