#ifndef BATCHMOUNT_CONTEXT_HPP
#define BATCHMOUNT_CONTEXT_HPP

// Stage 2: where the task runs. Every id is validated here, before any path exists; the node
// root is canonicalized once and every data path's host and container directory is built
// once, so resolving and filtering only compare.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "batchmount/detail/arena.hpp"
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

// What the caller knows about a task's placement. Views, read during make_context only.
// Built by name, never by position (it is not an aggregate, so `{a, b, c}` does not compile
// and a new field can never shift another): a factory per kind of task, then setters that
// chain, e.g. `context_options::job_task("myJob", "task1").on(node_os::windows_node)`; or
// default-constructed and assigned field by field.
struct context_options {
  constexpr context_options() noexcept {}  // user-provided: not an aggregate

  // A job's task, job manager task or multi-instance primary (kind task by default).
  static constexpr context_options job_task(std::string_view job_id, std::string_view task_id,
                                            task_kind kind = task_kind::task) noexcept {
    context_options o;
    o.job_id = job_id;
    o.task_id = task_id;
    o.kind = kind;
    return o;
  }
  // Subtask `number` (1 up) of the multi-instance task `task_id`.
  static constexpr context_options multi_instance_subtask(std::string_view job_id, std::string_view task_id,
                                                          std::uint32_t number) noexcept {
    context_options o = job_task(job_id, task_id, task_kind::multi_instance_subtask);
    o.subtask = number;
    return o;
  }
  // The job's job preparation task (its id: jobpreparation unless the job names another).
  static constexpr context_options job_preparation(std::string_view job_id,
                                                   std::string_view id = default_job_prep_task_id) noexcept {
    context_options o = job_task(job_id, {}, task_kind::job_preparation);
    o.job_prep_task_id = id;
    return o;
  }
  // The job's job release task (its id: jobrelease unless the job names another).
  static constexpr context_options job_release(std::string_view job_id,
                                               std::string_view id = default_job_release_task_id) noexcept {
    context_options o = job_task(job_id, {}, task_kind::job_release);
    o.job_release_task_id = id;
    return o;
  }
  // The pool's start task: no job, no task id.
  static constexpr context_options start_task() noexcept {
    context_options o;
    o.kind = task_kind::start;
    return o;
  }

  constexpr context_options& on(node_os value) noexcept {
    os = value;
    return *this;
  }
  constexpr context_options& with_node_root(std::optional<std::string_view> value) noexcept {
    node_root = value;
    return *this;
  }
  constexpr context_options& with_job_schedule_id(std::optional<std::string_view> value) noexcept {
    job_schedule_id = value;
    return *this;
  }
  constexpr context_options& with_job_prep_task_id(std::string_view value) noexcept {
    job_prep_task_id = value;
    return *this;
  }
  constexpr context_options& with_job_release_task_id(std::string_view value) noexcept {
    job_release_task_id = value;
    return *this;
  }
  constexpr context_options& with_job_prep_task(bool value) noexcept {
    job_has_job_prep_task = value;
    return *this;
  }

  node_os os = node_os::linux_node;
  std::optional<std::string_view> node_root;  // nullopt: the OS default
  std::string_view job_id;                    // empty for a start task
  std::optional<std::string_view> job_schedule_id;  // the job was created by a schedule
  // The running task's id. Empty for a start task. For a job preparation or job release
  // task it names that task's id (when job_prep_task_id / job_release_task_id is left at its
  // default), or must equal it; empty: that id.
  std::string_view task_id;
  std::string_view job_prep_task_id = default_job_prep_task_id;
  task_kind kind = task_kind::task;
  std::uint32_t subtask = 0;  // a multi-instance subtask's number (1 up); 0 for every other kind
  std::string_view job_release_task_id = default_job_release_task_id;
  // Whether the job has a job preparation task; nullopt: not known (assumed it may).
  std::optional<bool> job_has_job_prep_task = std::nullopt;
};

// A validated placement as views into an arena (the allocation-free API): the canonical
// node root, the ids, and every data path's directories. `Task` is the kind's Task
// directory (a multi-instance task's root for its subtasks too); the task's own directory
// (AZ_BATCH_TASK_DIR) and working directory may lie below it. A start task has no JobPrep
// directory (empty views).
struct context_view {
  node_os os = node_os::linux_node;
  task_kind kind = task_kind::task;
  std::uint32_t subtask = 0;
  std::optional<bool> job_has_job_prep_task;
  std::string_view node_root;            // canonical host node root
  std::string_view container_node_root;  // Linux the same; Windows on C:
  std::string_view job_id, task_id, job_prep_task_id, job_release_task_id;  // empty where none
  std::optional<std::string_view> job_schedule_id;
  std::string_view host_task_directory;  // the running task's own directory
  std::array<std::string_view, data_path_count> host_directories;
  std::array<std::string_view, data_path_count> container_directories;
  std::array<std::string_view, data_path_count> host_working_directories;  // empty: none
  std::array<std::string_view, data_path_count> container_working_directories;

  std::string_view host_directory(data_path path) const noexcept {
    return host_directories[static_cast<std::size_t>(path)];
  }
  std::string_view host_working_directory(data_path path) const noexcept {
    return host_working_directories[static_cast<std::size_t>(path)];
  }
};

namespace detail {
// The decimal digits of n, for error values and the {subtask} segment.
struct decimal {
  std::array<char, 10> digits{};
  std::size_t size = 0;
  explicit constexpr decimal(std::uint32_t n) noexcept {
    std::array<char, 10> reversed{};
    do {
      reversed[size++] = static_cast<char>('0' + n % 10);
      n /= 10;
    } while (n != 0);
    for (std::size_t i = 0; i < size; ++i) digits[i] = reversed[size - 1 - i];
  }
  constexpr std::string_view view() const noexcept { return {digits.data(), size}; }
};

// The job's preparation and release task ids. For a job preparation (release) task, the
// task id names that task's id where the options leave it at its default.
struct job_task_ids {
  std::string_view prep, release;
};
constexpr job_task_ids kind_ids(const context_options& o) noexcept {
  job_task_ids ids{o.job_prep_task_id, o.job_release_task_id};
  if (!o.task_id.empty() && o.kind == task_kind::job_preparation && o.job_prep_task_id == default_job_prep_task_id)
    ids.prep = o.task_id;
  if (!o.task_id.empty() && o.kind == task_kind::job_release && o.job_release_task_id == default_job_release_task_id)
    ids.release = o.task_id;
  return ids;
}

// The ids and numbers of a placement, checked in the order the errors are documented.
inline std::optional<error> check_placement(const context_options& o) noexcept {
  if (static_cast<std::size_t>(o.os) >= node_os_count) return error(error_code::invalid_os, "");
  if (static_cast<std::size_t>(o.kind) >= task_kind_count) return error(error_code::invalid_task_kind, "");
  const task_kind_row& kind = row(o.kind);
  if ((o.kind == task_kind::multi_instance_subtask) != (o.subtask != 0))
    return error(error_code::invalid_subtask, decimal(o.subtask).view());
  if (!kind.in_job) {
    for (const std::string_view id : {o.job_id, o.job_schedule_id.value_or(""), o.task_id})
      if (!id.empty()) return error(error_code::start_task_has_no_job, id);
    return std::nullopt;
  }
  if (!is_valid_id(o.job_id)) return error(error_code::invalid_job_id, o.job_id);
  if (o.job_schedule_id && !is_valid_id(*o.job_schedule_id))
    return error(error_code::invalid_job_schedule_id, *o.job_schedule_id);
  const job_task_ids ids = kind_ids(o);
  if (!is_valid_id(ids.prep)) return error(error_code::invalid_job_prep_task_id, ids.prep);
  if (!is_valid_id(ids.release)) return error(error_code::invalid_job_release_task_id, ids.release);
  // Ids are case-insensitive in Batch: "JobPreparation" names the same directory.
  if (iequals(ids.prep, ids.release)) return error(error_code::job_prep_task_id_is_job_release_task_id, ids.release);
  const bool prep = o.kind == task_kind::job_preparation, release = o.kind == task_kind::job_release;
  if (prep || release) {
    const std::string_view own = prep ? ids.prep : ids.release;
    if (!o.task_id.empty() && !iequals(o.task_id, own)) return error(error_code::task_id_is_not_kind_id, o.task_id);
    // A job release task cannot exist without a job preparation task (REST specification).
    if (o.job_has_job_prep_task == false) return error(error_code::job_has_no_job_prep_task, kind.name);
    return std::nullopt;
  }
  if (!is_valid_id(o.task_id)) return error(error_code::invalid_task_id, o.task_id);
  if (iequals(o.task_id, o.job_prep_task_id)) return error(error_code::task_id_is_job_prep_task_id, o.task_id);
  if (iequals(o.task_id, o.job_release_task_id))
    return error(error_code::task_id_is_job_release_task_id, o.task_id);
  return std::nullopt;
}

// A node root that would break or escape the container: a filesystem root (a null list
// would bind the host's / over the container's /, or onto C:\), or Linux's kernel
// filesystems, which the runtime mounts over whatever the task's data put there.
inline std::optional<error> check_root_placement(std::string_view root, node_os os) noexcept {
  if (root.size() == root_length(os)) return error(error_code::node_root_is_filesystem_root, root);
  if (os == node_os::linux_node)
    for (const std::string_view kernel : {"/proc", "/sys", "/dev"})
      if (within(root, kernel, os)) return error(error_code::node_root_in_kernel_filesystem, root);
  return std::nullopt;
}

// Writes data path `path`'s directories for `out` (its root, container root and ids set)
// to the arena and points out's views at them: host and container directory, working
// directory, and for Task the task's own directory. Every template part and every id is
// non-empty and holds no separator (ids are validated) and the root never ends in one, so
// the results stay canonical. `subtask` is out.subtask in decimal. False: the arena
// overflowed.
inline bool put_directories(context_view& out, data_path path, std::string_view subtask, arena& into) noexcept {
  const char sep = row(out.os).separator;
  const auto put_part = [&](std::string_view part) {
    into.put(sep);
    into.put(part);
  };
  const auto put_template = [&](const path_template& t) {
    for (std::size_t k = 0; k < t.size; ++k) {
      switch (t.parts[k]) {
        case template_part::literal: put_part(t.literals[k]); break;
        case template_part::job_dir:
          // "{job}/job-1", or "{schedule}/{job}" for a job created by a job schedule.
          put_part(out.job_schedule_id.value_or(out.job_id));
          put_part(out.job_schedule_id ? out.job_id : "job-1");
          break;
        case template_part::task_id: put_part(out.task_id); break;
        case template_part::job_prep_task_id: put_part(out.job_prep_task_id); break;
        case template_part::job_release_task_id: put_part(out.job_release_task_id); break;
        case template_part::subtask: put_part(subtask); break;
      }
    }
  };
  const bool task = path == data_path::task;
  const std::size_t start = into.mark();
  into.put(out.node_root);
  const std::size_t i = static_cast<std::size_t>(path);
  const std::size_t k = static_cast<std::size_t>(out.kind);
  put_template(task ? templates.task_directory[k] : templates.directory[i]);
  const std::size_t size = into.since(start).size();
  std::size_t own = size;
  // The own directory and the working directory extend the directory just written: one
  // string, three views.
  if (task) {
    put_template(templates.own[k]);
    own = into.since(start).size();
  }
  put_template(templates.working[i]);
  if (into.overflowed()) return false;
  const std::string_view whole = into.since(start);
  const bool working = !row(path).working_subdirectory.empty();
  out.host_directories[i] = whole.substr(0, size);
  if (task) out.host_task_directory = whole.substr(0, own);
  if (working) out.host_working_directories[i] = whole;
  const std::string_view container = container_path_of(whole, out.os, into);
  if (into.overflowed()) return false;
  out.container_directories[i] = container.substr(0, size);
  if (working) out.container_working_directories[i] = container;
  return true;
}
}  // namespace detail

// Validates the options and builds the context in `into`. Fails with invalid_os,
// invalid_task_kind, invalid_subtask, start_task_has_no_job, invalid_*_id,
// job_prep_task_id_is_job_release_task_id, task_id_is_not_kind_id, job_has_no_job_prep_task,
// task_id_is_job_prep_task_id, task_id_is_job_release_task_id, the node root's errors
// (relative_node_root, node_root_parent_reference, invalid_node_root,
// node_root_is_filesystem_root, node_root_in_kernel_filesystem) or buffer_too_small.
inline result<context_view> make_context(const context_options& options, arena& into) noexcept {
  if (const auto broken = detail::check_placement(options)) return *broken;
  const node_os os = options.os;
  const task_kind_row& kind = row(options.kind);

  context_view out;
  out.os = os;
  out.kind = options.kind;
  out.subtask = options.subtask;
  out.job_has_job_prep_task = options.job_has_job_prep_task;
  const auto root = detail::canonical_path(options.node_root.value_or(row(os).default_node_root), os,
                                           detail::parent_references::reject, into);
  if (!root) return root.error();
  if (const auto broken = detail::check_root_placement(*root, os)) return *broken;
  out.node_root = *root;
  const auto copy = [&into](std::string_view text) {
    const std::size_t start = into.mark();
    into.put(text);
    return into.since(start);
  };
  if (kind.in_job) {
    const detail::job_task_ids ids = detail::kind_ids(options);
    out.job_id = copy(options.job_id);
    out.job_prep_task_id = copy(ids.prep);
    out.job_release_task_id = copy(ids.release);
    out.task_id = options.kind == task_kind::job_preparation ? out.job_prep_task_id
                  : options.kind == task_kind::job_release   ? out.job_release_task_id
                                                             : copy(options.task_id);
    if (options.job_schedule_id) out.job_schedule_id = copy(*options.job_schedule_id);
  }
  // Past an overflow every view is empty: stop before slicing one.
  // Built only on failure: an error carries a 120-byte copy of its value.
  const auto too_small = [] { return error(error_code::buffer_too_small, ""); };
  if (into.overflowed()) return too_small();
  out.container_node_root = detail::container_path_of(out.node_root, os, into);

  const detail::decimal subtask(out.subtask);
  for (const data_path path : all_data_paths) {
    if (path == data_path::job_prep && !kind.in_job) continue;  // a start task has no job
    if (!detail::put_directories(out, path, subtask.view(), into)) return too_small();
  }
  return out;
}

// The options a context describes: its OS, root and ids as they stand.
inline context_options options_of(const context_view& context) noexcept {
  context_options o;
  o.os = context.os;
  o.node_root = context.node_root;
  o.job_id = context.job_id;
  o.job_schedule_id = context.job_schedule_id;
  o.task_id = context.task_id;
  o.job_prep_task_id = context.job_prep_task_id;
  o.kind = context.kind;
  o.subtask = context.subtask;
  o.job_release_task_id = context.job_release_task_id;
  o.job_has_job_prep_task = context.job_has_job_prep_task;
  return o;
}

// Another task of the same job on the same node: the context make_context builds from
// options_of(base) with `task_id` for the task id, and fails as it does, but for a task,
// job manager or multi-instance task writes only the new id and the Task directories to
// `into`: the root, the other ids and the node's and job's directories are base's (whose
// storage must then outlive the result; base must come from make_context or retarget).
// Start, job preparation and job release tasks, whose directories do not name the task
// id, are built again whole.
inline result<context_view> retarget(const context_view& base, std::string_view task_id, arena& into) noexcept {
  const task_kind k = base.kind;
  if (!row(k).in_job || k == task_kind::job_preparation || k == task_kind::job_release) {
    context_options o = options_of(base);
    o.task_id = task_id;
    return make_context(o, into);
  }
  // Base's other ids are valid and distinct: only make_context's last checks, those of the
  // task id, can fail.
  if (!is_valid_id(task_id)) return error(error_code::invalid_task_id, task_id);
  if (detail::iequals(task_id, base.job_prep_task_id)) return error(error_code::task_id_is_job_prep_task_id, task_id);
  if (detail::iequals(task_id, base.job_release_task_id)) return error(error_code::task_id_is_job_release_task_id, task_id);
  context_view out = base;
  const std::size_t start = into.mark();
  into.put(task_id);
  out.task_id = into.since(start);
  if (into.overflowed() || !detail::put_directories(out, data_path::task, detail::decimal(out.subtask).view(), into))
    return error(error_code::buffer_too_small, "");
  return out;
}

// A validated placement that owns its strings (copyable); view() lends the context_view.
class node_context {
 public:
  node_context() = default;
  node_context(const node_context& other) : storage_(other.storage_), view_(other.view_) {
    rebase(other.storage_.data());
  }
  node_context(node_context&& other) noexcept : view_(other.view_) {
    const char* old = other.storage_.data();
    storage_ = std::move(other.storage_);
    rebase(old);
  }
  node_context& operator=(node_context other) noexcept {
    const char* old = other.storage_.data();
    storage_.swap(other.storage_);
    view_ = other.view_;
    rebase(old);
    return *this;
  }

  const context_view& view() const noexcept { return view_; }
  node_os os() const noexcept { return view_.os; }
  // Canonical node root, e.g. "/mnt/batch/tasks" or "D:\batch\tasks".
  std::string node_root() const { return std::string(view_.node_root); }
  std::string job_id() const { return std::string(view_.job_id); }
  std::optional<std::string> job_schedule_id() const {
    if (!view_.job_schedule_id) return std::nullopt;
    return std::string(*view_.job_schedule_id);
  }
  std::string task_id() const { return std::string(view_.task_id); }
  std::string job_prep_task_id() const { return std::string(view_.job_prep_task_id); }
  std::string job_release_task_id() const { return std::string(view_.job_release_task_id); }
  // "{job}/job-1", or "{schedule}/{job}" for a job created by a job schedule; empty for a
  // start task.
  std::string job_directory() const {
    if (view_.job_id.empty()) return {};
    return view_.job_schedule_id ? std::string(*view_.job_schedule_id) + "/" + job_id() : job_id() + "/job-1";
  }
  task_kind kind() const noexcept { return view_.kind; }
  std::uint32_t subtask() const noexcept { return view_.subtask; }
  // The running task's own directory (AZ_BATCH_TASK_DIR).
  std::string host_task_directory() const { return std::string(view_.host_task_directory); }
  // The canonical host directory of a data path, and its working directory (empty if none).
  std::string host_directory(data_path path) const { return std::string(view_.host_directory(path)); }
  std::string host_working_directory(data_path path) const {
    return std::string(view_.host_working_directory(path));
  }

  // Validates everything and builds the context, or names the first broken rule.
  friend result<node_context> make_context(const context_options& options);

 private:
  // After storage_ moved or was copied from a buffer at `old`, point the views at it.
  void rebase(const char* old) noexcept {
    const auto move = [&](std::string_view& v) {
      if (!v.empty()) v = std::string_view(storage_.data() + (v.data() - old), v.size());
    };
    for (auto* v : {&view_.node_root, &view_.container_node_root, &view_.job_id, &view_.task_id,
                    &view_.job_prep_task_id, &view_.job_release_task_id, &view_.host_task_directory})
      move(*v);
    if (view_.job_schedule_id) move(*view_.job_schedule_id);
    for (auto* list : {&view_.host_directories, &view_.container_directories, &view_.host_working_directories,
                       &view_.container_working_directories})
      for (auto& v : *list) move(v);
  }

  std::string storage_;
  context_view view_;
};

// Fails as make_context(options, arena) does (never with buffer_too_small: the storage is
// sized from the options).
inline result<node_context> make_context(const context_options& options) {
  const std::size_t ids = options.job_id.size() + options.task_id.size() + options.job_prep_task_id.size() +
                          options.job_release_task_id.size() + options.job_schedule_id.value_or("").size() + 10;
  std::size_t root = 1;  // the OS may still be invalid here: size for any default root
  for (const auto& r : os_table) root = std::max(root, r.default_node_root.size() + 1);
  if (options.node_root) root = options.node_root->size() + 1;
  node_context out;
  // Each of the 6 directories holds the root, at most 4 id-derived segments, fixed names
  // ("workitems", "applications", "job-1", "wd") and separators, twice (host, container).
  out.storage_.resize(2 * data_path_count * (root + ids + 64) + 2 * root + ids);
  arena into(&out.storage_[0], out.storage_.size());
  auto view = make_context(options, into);
  if (!view) return view.error();
  out.view_ = *view;
  return out;
}

// The owning form of retarget: base's options with another task id, built whole.
inline result<node_context> retarget(const node_context& base, std::string_view task_id) {
  context_options options = options_of(base.view());
  options.task_id = task_id;
  return make_context(options);
}

}  // namespace v1
}  // namespace batchmount

#endif
