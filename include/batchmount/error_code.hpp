#ifndef BATCHMOUNT_ERROR_CODE_HPP
#define BATCHMOUNT_ERROR_CODE_HPP

// The rules a request, a context or an input can break, and the sentence that states each.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace batchmount {
inline namespace v1 {

// Every way a request, a context or an input can break a rule.
enum class error_code : std::uint8_t {
  missing_source,
  unknown_source,
  conflicting_read_only,
  unknown_working_directory,
  working_directory_requires_task,
  invalid_os,
  relative_node_root,
  node_root_parent_reference,
  invalid_node_root,
  invalid_job_id,
  invalid_job_schedule_id,
  invalid_task_id,
  invalid_job_prep_task_id,
  task_id_is_job_prep_task_id,
  invalid_job_release_task_id,
  task_id_is_job_release_task_id,
  job_prep_task_id_is_job_release_task_id,
  invalid_task_kind,
  invalid_subtask,
  task_id_is_not_kind_id,
  start_task_has_no_job,
  job_has_no_job_prep_task,
  job_prep_outside_job,
  node_root_is_filesystem_root,
  node_root_in_kernel_filesystem,
  docker_api_without_recursive_read_only,
  invalid_docker_api_version,
  invalid_application_id,
  invalid_application_version,
  invalid_environment_name,
  invalid_environment_value,
  invalid_agent_version,
  output_needs_utf8,
  newline_in_line_output,
  env_file_name,
  invalid_json,
  invalid_json_type,
  buffer_too_small,
  plan_for_other_kind,
  cri_runtime_without_recursive_read_only,
  invalid_cri_runtime_version,
  run_options_unreadable,
  run_option_exposes_unselected,
  run_option_weakens_selection,
  run_option_volumes_from,
  run_option_working_directory,
};
// How many error codes there are (each value below this has a rule text).
inline constexpr std::size_t error_code_count = static_cast<std::size_t>(error_code::run_option_working_directory) + 1;

namespace detail {
// A rule and the sentence a user can act on. (A plain pointer, not a string_view: a
// string_view built from a literal in a constant expression has its length counted byte
// by byte by the compiler, which for these 45 sentences cost about 100 million compiler
// instructions on every include.)
struct rule_entry {
  error_code code;
  const char* text;
};

// One row per error code, in the enumeration's order (checked below).
inline constexpr rule_entry rule_texts[] = {
    {error_code::missing_source,
     "every containerHostBatchBindMounts entry needs a source"},
    {error_code::unknown_source,
     "containerHostBatchBindMounts source must be one of Shared, Applications, Startup, VfsMounts, JobPrep, Task"},
    {error_code::conflicting_read_only,
     "duplicate containerHostBatchBindMounts entries must agree on isReadOnly"},
    {error_code::unknown_working_directory,
     "workingDirectory must be taskWorkingDirectory or containerImageDefault"},
    {error_code::working_directory_requires_task,
     "without a Task bind mount (or the other name of the task's own directory: Startup for a start task, JobPrep for a job preparation task), workingDirectory must be containerImageDefault (an absent workingDirectory means taskWorkingDirectory)"},
    {error_code::invalid_os,
     "the node OS must be linux or windows"},
    {error_code::relative_node_root,
     "the node root must be an absolute path (Linux: /..., Windows: X:\\...)"},
    {error_code::node_root_parent_reference,
     "the node root must not contain a '..' component"},
    {error_code::invalid_node_root,
     "the node root must be a plain absolute path without NUL, control characters, ':' after the drive, or UNC/device prefixes"},
    {error_code::invalid_job_id,
     "a job id is 1 to 64 letters, digits, hyphens or underscores"},
    {error_code::invalid_job_schedule_id,
     "a job schedule id is 1 to 64 letters, digits, hyphens or underscores"},
    {error_code::invalid_task_id,
     "a task id is 1 to 64 letters, digits, hyphens or underscores"},
    {error_code::invalid_job_prep_task_id,
     "a job preparation task id is 1 to 64 letters, digits, hyphens or underscores"},
    {error_code::task_id_is_job_prep_task_id,
     "the task id must differ (case-insensitively) from the job preparation task id, or Task and JobPrep would be the same directory (the service's TaskIdSameAsJobPreparationTask)"},
    {error_code::invalid_job_release_task_id,
     "a job release task id is 1 to 64 letters, digits, hyphens or underscores"},
    {error_code::task_id_is_job_release_task_id,
     "the task id must differ (case-insensitively) from the job release task id (the service's TaskIdSameAsJobReleaseTask)"},
    {error_code::job_prep_task_id_is_job_release_task_id,
     "the job preparation and job release task ids must differ (case-insensitively): they are two directories"},
    {error_code::invalid_task_kind,
     "the task kind must be task, job-manager, multi-instance-primary, multi-instance-subtask, job-preparation, job-release or start"},
    {error_code::invalid_subtask,
     "a multi-instance subtask has a number from 1 up; no other kind of task has one"},
    {error_code::task_id_is_not_kind_id,
     "a job preparation or job release task's id is the job's job preparation or job release task id: the task id and that id, when both are given, must be the same"},
    {error_code::start_task_has_no_job,
     "a start task belongs to the pool, not to a job: give it no job id, job schedule id or task id"},
    {error_code::job_has_no_job_prep_task,
     "a job preparation or job release task needs a job that has a job preparation task"},
    {error_code::job_prep_outside_job,
     "a start task belongs to no job, so there is no JobPrep directory to mount"},
    {error_code::node_root_is_filesystem_root,
     "the node root must not be a filesystem root ('/' or a drive root): a null list would mount it over the container's own root"},
    {error_code::node_root_in_kernel_filesystem,
     "the node root must not be /proc, /sys, /dev or inside them: the task's data would land on the container's kernel filesystems"},
    {error_code::docker_api_without_recursive_read_only,
     "a Docker Engine API before 1.44 (Docker 25) cannot make a bind recursively read-only; upgrade the engine, or accept non-recursive read-only explicitly (submounts stay writable)"},
    {error_code::invalid_docker_api_version,
     "a Docker Engine API version is MAJOR.MINOR (e.g. 1.41)"},
    {error_code::invalid_application_id,
     "an application id is 1 to 64 letters, digits, hyphens or underscores"},
    {error_code::invalid_application_version,
     "an application version is 1 to 64 letters, digits, hyphens, underscores or periods"},
    {error_code::invalid_environment_name,
     "an environment variable name is non-empty and holds no '=' or NUL"},
    {error_code::invalid_environment_value,
     "an environment variable value holds no NUL"},
    {error_code::invalid_agent_version,
     "a node agent version is 1 to 4 dot-separated decimal numbers (e.g. 1.11.11)"},
    {error_code::output_needs_utf8,
     "JSON output carries only valid UTF-8 paths and values"},
    {error_code::newline_in_line_output,
     "one-per-line output cannot carry a newline or carriage return; use the NUL-separated form"},
    {error_code::env_file_name,
     "an env file cannot carry a variable whose name starts with '#' or white space"},
    {error_code::invalid_json,
     "the input must be a JSON object (a task body or its containerSettings)"},
    {error_code::invalid_json_type,
     "a JSON field has the wrong type (source and workingDirectory are strings, isReadOnly a boolean, containerHostBatchBindMounts an array of objects or null)"},
    {error_code::buffer_too_small,
     "the caller-provided buffer is too small for the resolution; give it more bytes"},
    {error_code::plan_for_other_kind,
     "a plan resolves only against a context whose task directory has the second name it was planned for (none for a job's tasks, Startup for a start task, JobPrep for a job preparation task); plan the request for the context's kind of task"},
    {error_code::cri_runtime_without_recursive_read_only,
     "a CRI runtime before containerd 2.0 ignores recursiveReadOnly and leaves a read-only bind's submounts writable; upgrade the runtime, or accept non-recursive read-only explicitly (submounts stay writable)"},
    {error_code::invalid_cri_runtime_version,
     "a CRI runtime version is the runtime_version CRI's Version reports: MAJOR.MINOR[.PATCH], optionally after a 'v' and before a suffix (e.g. 1.6.20~ds1, v2.0.0)"},
    {error_code::run_options_unreadable,
     "containerRunOptions must read as docker create options: words split as a POSIX shell does (balanced quotes), each a docker create flag with its value (an option that cannot be read might hide a mount); accept run-option findings explicitly to pass it on unread"},
    {error_code::run_option_exposes_unselected,
     "containerRunOptions must not bind a directory under the node root that the task did not select (the node root, workitems, another task's directory, an unselected data path), nor one that holds it; select the data path in containerHostBatchBindMounts, or accept run-option findings explicitly"},
    {error_code::run_option_weakens_selection,
     "containerRunOptions must not bind a selected data path with less protection than the selection (read/write where it is read-only, or read-only without bind-recursive=readonly); or accept run-option findings explicitly"},
    {error_code::run_option_volumes_from,
     "containerRunOptions must not use --volumes-from: it copies another container's mounts, which may be another task's; or accept run-option findings explicitly"},
    {error_code::run_option_working_directory,
     "containerRunOptions must not set a working directory under the node root where no mount shows anything (without Task the working directory must be the image's); or accept run-option findings explicitly"},
};

constexpr bool rule_texts_in_order() noexcept {
  if (sizeof rule_texts / sizeof rule_texts[0] != error_code_count) return false;
  for (std::size_t i = 0; i < error_code_count; ++i)
    if (static_cast<std::size_t>(rule_texts[i].code) != i || rule_texts[i].text[0] == '\0') return false;
  return true;
}
static_assert(rule_texts_in_order(), "rule_texts holds one non-empty row per error_code, in order");
}  // namespace detail

// The rule an error_code stands for, as one sentence a user can act on; empty for a value
// outside the enumeration.
constexpr std::string_view rule_text(error_code code) noexcept {
  const auto i = static_cast<std::size_t>(code);
  return i < error_code_count ? std::string_view(detail::rule_texts[i].text) : std::string_view();
}

}  // namespace v1
}  // namespace batchmount

#endif
