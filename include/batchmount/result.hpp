#ifndef BATCHMOUNT_RESULT_HPP
#define BATCHMOUNT_RESULT_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "batchmount/detail/ascii.hpp"

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

// The rule an error_code stands for, as one sentence a user can act on; empty for a value
// outside the enumeration.
constexpr std::string_view rule_text(error_code code) noexcept {
  std::string_view text;
  switch (code) {
    case error_code::missing_source:
      text = "every containerHostBatchBindMounts entry needs a source";
      break;
    case error_code::unknown_source:
      text = "containerHostBatchBindMounts source must be one of Shared, Applications, Startup, VfsMounts, JobPrep, Task";
      break;
    case error_code::conflicting_read_only:
      text = "duplicate containerHostBatchBindMounts entries must agree on isReadOnly";
      break;
    case error_code::unknown_working_directory:
      text = "workingDirectory must be taskWorkingDirectory or containerImageDefault";
      break;
    case error_code::working_directory_requires_task:
      text = "without a Task bind mount (or the other name of the task's own directory: Startup for a start task, JobPrep for a job preparation task), workingDirectory must be containerImageDefault (an absent workingDirectory means taskWorkingDirectory)";
      break;
    case error_code::invalid_os:
      text = "the node OS must be linux or windows";
      break;
    case error_code::relative_node_root:
      text = "the node root must be an absolute path (Linux: /..., Windows: X:\\...)";
      break;
    case error_code::node_root_parent_reference:
      text = "the node root must not contain a '..' component";
      break;
    case error_code::invalid_node_root:
      text = "the node root must be a plain absolute path without NUL, control characters, ':' after the drive, or UNC/device prefixes";
      break;
    case error_code::invalid_job_id:
      text = "a job id is 1 to 64 letters, digits, hyphens or underscores";
      break;
    case error_code::invalid_job_schedule_id:
      text = "a job schedule id is 1 to 64 letters, digits, hyphens or underscores";
      break;
    case error_code::invalid_task_id:
      text = "a task id is 1 to 64 letters, digits, hyphens or underscores";
      break;
    case error_code::invalid_job_prep_task_id:
      text = "a job preparation task id is 1 to 64 letters, digits, hyphens or underscores";
      break;
    case error_code::task_id_is_job_prep_task_id:
      text = "the task id must differ (case-insensitively) from the job preparation task id, or Task and JobPrep would be the same directory (the service's TaskIdSameAsJobPreparationTask)";
      break;
    case error_code::invalid_job_release_task_id:
      text = "a job release task id is 1 to 64 letters, digits, hyphens or underscores";
      break;
    case error_code::task_id_is_job_release_task_id:
      text = "the task id must differ (case-insensitively) from the job release task id (the service's TaskIdSameAsJobReleaseTask)";
      break;
    case error_code::job_prep_task_id_is_job_release_task_id:
      text = "the job preparation and job release task ids must differ (case-insensitively): they are two directories";
      break;
    case error_code::invalid_task_kind:
      text = "the task kind must be task, job-manager, multi-instance-primary, multi-instance-subtask, job-preparation, job-release or start";
      break;
    case error_code::invalid_subtask:
      text = "a multi-instance subtask has a number from 1 up; no other kind of task has one";
      break;
    case error_code::task_id_is_not_kind_id:
      text = "a job preparation or job release task's id is the job's job preparation or job release task id: the task id and that id, when both are given, must be the same";
      break;
    case error_code::start_task_has_no_job:
      text = "a start task belongs to the pool, not to a job: give it no job id, job schedule id or task id";
      break;
    case error_code::job_has_no_job_prep_task:
      text = "a job preparation or job release task needs a job that has a job preparation task";
      break;
    case error_code::job_prep_outside_job:
      text = "a start task belongs to no job, so there is no JobPrep directory to mount";
      break;
    case error_code::node_root_is_filesystem_root:
      text = "the node root must not be a filesystem root ('/' or a drive root): a null list would mount it over the container's own root";
      break;
    case error_code::node_root_in_kernel_filesystem:
      text = "the node root must not be /proc, /sys, /dev or inside them: the task's data would land on the container's kernel filesystems";
      break;
    case error_code::docker_api_without_recursive_read_only:
      text = "a Docker Engine API before 1.44 (Docker 25) cannot make a bind recursively read-only; upgrade the engine, or accept non-recursive read-only explicitly (submounts stay writable)";
      break;
    case error_code::invalid_docker_api_version:
      text = "a Docker Engine API version is MAJOR.MINOR (e.g. 1.41)";
      break;
    case error_code::invalid_application_id:
      text = "an application id is 1 to 64 letters, digits, hyphens or underscores";
      break;
    case error_code::invalid_application_version:
      text = "an application version is 1 to 64 letters, digits, hyphens, underscores or periods";
      break;
    case error_code::invalid_environment_name:
      text = "an environment variable name is non-empty and holds no '=' or NUL";
      break;
    case error_code::invalid_environment_value:
      text = "an environment variable value holds no NUL";
      break;
    case error_code::invalid_agent_version:
      text = "a node agent version is 1 to 4 dot-separated decimal numbers (e.g. 1.11.11)";
      break;
    case error_code::output_needs_utf8:
      text = "JSON output carries only valid UTF-8 paths and values";
      break;
    case error_code::newline_in_line_output:
      text = "one-per-line output cannot carry a newline or carriage return; use the NUL-separated form";
      break;
    case error_code::env_file_name:
      text = "an env file cannot carry a variable whose name starts with '#' or white space";
      break;
    case error_code::invalid_json:
      text = "the input must be a JSON object (a task body or its containerSettings)";
      break;
    case error_code::buffer_too_small:
      text = "the caller-provided buffer is too small for the resolution; give it more bytes";
      break;
    case error_code::plan_for_other_kind:
      text = "a plan resolves only against a context whose task directory has the second name it was planned for (none for a job's tasks, Startup for a start task, JobPrep for a job preparation task); plan the request for the context's kind of task";
      break;
    case error_code::cri_runtime_without_recursive_read_only:
      text = "a CRI runtime before containerd 2.0 ignores recursiveReadOnly and leaves a read-only bind's submounts writable; upgrade the runtime, or accept non-recursive read-only explicitly (submounts stay writable)";
      break;
    case error_code::invalid_cri_runtime_version:
      text = "a CRI runtime version is the runtime_version CRI's Version reports: MAJOR.MINOR[.PATCH], optionally after a 'v' and before a suffix (e.g. 1.6.20~ds1, v2.0.0)";
      break;
    case error_code::run_options_unreadable:
      text = "containerRunOptions must read as docker create options: words split as a POSIX shell does (balanced quotes), each a docker create flag with its value (an option that cannot be read might hide a mount); accept run-option findings explicitly to pass it on unread";
      break;
    case error_code::run_option_exposes_unselected:
      text = "containerRunOptions must not bind a directory under the node root that the task did not select (the node root, workitems, another task's directory, an unselected data path), nor one that holds it; select the data path in containerHostBatchBindMounts, or accept run-option findings explicitly";
      break;
    case error_code::run_option_weakens_selection:
      text = "containerRunOptions must not bind a selected data path with less protection than the selection (read/write where it is read-only, or read-only without bind-recursive=readonly); or accept run-option findings explicitly";
      break;
    case error_code::run_option_volumes_from:
      text = "containerRunOptions must not use --volumes-from: it copies another container's mounts, which may be another task's; or accept run-option findings explicitly";
      break;
    case error_code::run_option_working_directory:
      text = "containerRunOptions must not set a working directory under the node root where no mount shows anything (without Task the working directory must be the image's); or accept run-option findings explicitly";
      break;
    case error_code::invalid_json_type:
      text = "a JSON field has the wrong type (source and workingDirectory are strings, isReadOnly a boolean, containerHostBatchBindMounts an array of objects or null)";
      break;
  }
  return text;
}

// A broken rule: the code, the index of the offending entry (if any) and a copy of the
// offending value (truncated past value_capacity), so the error outlives its input.
class error {
 public:
  static constexpr std::size_t value_capacity = 120;
  static constexpr std::size_t no_index = static_cast<std::size_t>(-1);

  constexpr error() noexcept = default;
  constexpr error(error_code code, std::string_view value,
                  std::size_t index = no_index) noexcept
      : code_(code), index_(index) {
    const std::size_t n = value.size() < value_capacity ? value.size() : value_capacity;
    for (std::size_t i = 0; i < n; ++i) value_[i] = value[i];
    size_ = n;
    truncated_ = value.size() > value_capacity;
  }

  constexpr error_code code() const noexcept { return code_; }
  constexpr std::string_view rule() const noexcept { return rule_text(code_); }
  constexpr std::string_view value() const noexcept { return {value_.data(), size_}; }
  constexpr bool value_truncated() const noexcept { return truncated_; }
  constexpr bool has_index() const noexcept { return index_ != no_index; }
  constexpr std::size_t index() const noexcept { return index_; }

  // "<rule>: entry #i: got \"value\"", with quotes, backslashes, control characters and
  // bytes that are not UTF-8 escaped, so the message is one safe line of text.
  std::string message() const {
    std::string text(rule());
    if (has_index()) text += ": entry #" + std::to_string(index_);
    text += ": got \"";
    const std::string_view v = value();
    for (std::size_t i = 0; i < v.size();) {
      const char c = v[i];
      const auto byte = static_cast<unsigned char>(c);
      const std::size_t n = detail::utf8_sequence_length(v, i);
      if (c == '"' || c == '\\') {
        (text += '\\') += c;
      } else if (n == 0 || byte < 0x20 || byte == 0x7f) {
        static constexpr char hex[] = "0123456789abcdef";
        ((text += "\\x") += hex[byte >> 4]) += hex[byte & 0xf];
      } else {
        text.append(v.data() + i, n);
        i += n;
        continue;
      }
      ++i;
    }
    text += truncated_ ? "...\"" : "\"";
    return text;
  }

  friend constexpr bool operator==(const error& a, const error& b) noexcept {
    return a.code_ == b.code_ && a.index_ == b.index_ && a.value() == b.value();
  }
  friend constexpr bool operator!=(const error& a, const error& b) noexcept {
    return !(a == b);
  }

 private:
  error_code code_ = error_code::missing_source;
  std::size_t index_ = no_index;
  std::array<char, value_capacity> value_{};
  std::size_t size_ = 0;
  bool truncated_ = false;
};

namespace detail {
// Reached only by misuse (value() of an error, error() of a value). With exceptions off
// there is nothing safe to return, so stop, as frozen does; in a constant expression the
// call is not constexpr and the misuse becomes a compile error.
[[noreturn]] inline void misuse() noexcept { std::abort(); }
}  // namespace detail

namespace detail {
// Holds a T or an error, never both: a success does not pay for an error's buffer. Trivially
// destructible T keeps the result a literal type (constexpr plans); other T get the
// lifetime management a union needs.
template <class T, bool = std::is_trivially_destructible<T>::value>
struct result_storage {
  union {
    T value_;
    error error_;
  };
  bool ok_;
  constexpr result_storage(const T& v) : value_(v), ok_(true) {}
  constexpr result_storage(T&& v) : value_(std::move(v)), ok_(true) {}
  constexpr result_storage(const error& e) : error_(e), ok_(false) {}
};

template <class T>
struct result_storage<T, false> {
  union {
    T value_;
    error error_;
  };
  bool ok_;
  result_storage(const T& v) : value_(v), ok_(true) {}
  result_storage(T&& v) : value_(std::move(v)), ok_(true) {}
  result_storage(const error& e) : error_(e), ok_(false) {}
  result_storage(const result_storage& other) : ok_(other.ok_) { construct_from(other); }
  result_storage(result_storage&& other) noexcept(std::is_nothrow_move_constructible<T>::value) : ok_(other.ok_) {
    construct_from(std::move(other));
  }
  result_storage& operator=(const result_storage& other) {
    if (this != &other) {
      destroy();
      ok_ = other.ok_;
      construct_from(other);
    }
    return *this;
  }
  result_storage& operator=(result_storage&& other) noexcept(std::is_nothrow_move_constructible<T>::value) {
    if (this != &other) {
      destroy();
      ok_ = other.ok_;
      construct_from(std::move(other));
    }
    return *this;
  }
  ~result_storage() { destroy(); }

 private:
  template <class Other>
  void construct_from(Other&& other) {
    if (ok_) new (&value_) T(std::forward<Other>(other).value_);
    else new (&error_) error(other.error_);
  }
  void destroy() noexcept {
    if (ok_) value_.~T();
  }
};
}  // namespace detail

namespace detail {
// The first of several errors, for writers that go on to the end and report once.
class first_error {
 public:
  void keep(const error& e) noexcept {
    if (!failed_) failed_ = true, error_ = e;
  }
  bool failed() const noexcept { return failed_; }
  const error& get() const noexcept { return error_; }

 private:
  bool failed_ = false;
  error error_;
};
}  // namespace detail

// Either a T or an error, spelled like std::expected<T, error>.
template <class T>
class [[nodiscard]] result : private detail::result_storage<T> {
  using storage = detail::result_storage<T>;

 public:
  using value_type = T;
  using error_type = ::batchmount::v1::error;

  constexpr result(const T& ok_value) : storage(ok_value) {}
  constexpr result(T&& ok_value) : storage(std::move(ok_value)) {}
  constexpr result(const error_type& failure) : storage(failure) {}

  constexpr bool has_value() const noexcept { return this->ok_; }
  constexpr explicit operator bool() const noexcept { return this->ok_; }

  constexpr const T& value() const& noexcept {
    if (!this->ok_) detail::misuse();
    return this->value_;
  }
  constexpr T& value() & noexcept {
    if (!this->ok_) detail::misuse();
    return this->value_;
  }
  constexpr T&& value() && noexcept {
    if (!this->ok_) detail::misuse();
    return std::move(this->value_);
  }
  constexpr const T& operator*() const& noexcept { return value(); }
  constexpr T& operator*() & noexcept { return value(); }
  constexpr T&& operator*() && noexcept { return std::move(*this).value(); }
  constexpr const T* operator->() const noexcept { return &value(); }
  constexpr T* operator->() noexcept { return &value(); }

  constexpr const error_type& error() const noexcept {
    if (this->ok_) detail::misuse();
    return this->error_;
  }
};

}  // namespace v1
}  // namespace batchmount

#endif
