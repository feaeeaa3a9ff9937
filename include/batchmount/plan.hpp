#ifndef BATCHMOUNT_PLAN_HPP
#define BATCHMOUNT_PLAN_HPP

// Stage 1: validate a request and decide which data paths are mounted, read-only or not,
// and the working directory. Needs no job id or node root; constexpr, noexcept and
// allocation-free, so `static_assert(make_plan(request).has_value())` works.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "batchmount/request.hpp"
#include "batchmount/result.hpp"
#include "batchmount/tables.hpp"

namespace batchmount {
inline namespace v1 {

// Why a data path is or is not in the container.
enum class selection : std::uint8_t {
  not_selected,  // isolation is on and no entry names it
  selected,      // an entry names it (first_entry says which)
  whole_root,    // the list is null: the whole node root is mounted read/write
};

struct path_selection {
  selection state = selection::not_selected;
  bool read_only = false;
  std::size_t first_entry = 0;  // meaningful when state == selected
  // One of the two names of one directory (a start task's Task and Startup, a job
  // preparation task's Task and JobPrep) that rides on the other's mount: it has none of
  // its own. Either no entry names it, or a later entry than the other's.
  bool implied = false;

  friend constexpr bool operator==(const path_selection& a, const path_selection& b) noexcept {
    return a.state == b.state && a.read_only == b.read_only && a.implied == b.implied &&
           (a.state != selection::selected || a.first_entry == b.first_entry);
  }
  friend constexpr bool operator!=(const path_selection& a, const path_selection& b) noexcept {
    return !(a == b);
  }
};

// Conditions that are allowed but probably not what the user meant.
enum class warning_code : std::uint8_t {
  read_only_task_working_directory,  // Task read-only and the working dir is the task's
  job_prep_directory_missing,        // JobPrep selected, but the job has no job preparation task
  run_options_not_judged,            // the request has containerRunOptions and was resolved through a plan
};

// The warning in words; empty for a value outside the enumeration.
constexpr std::string_view warning_text(warning_code code) noexcept {
  std::string_view text;
  switch (code) {
    case warning_code::read_only_task_working_directory:
      text = "Task is mounted read-only and workingDirectory is taskWorkingDirectory: "
             "the task can read its inputs but cannot write to its working directory";
      break;
    case warning_code::job_prep_directory_missing:
      text = "JobPrep is selected but the job has no job preparation task: the directory will not "
             "exist on the node, and a bind of a missing source fails when the container starts";
      break;
    case warning_code::run_options_not_judged:
      text = "the request has containerRunOptions, which a plan does not judge: resolve the request with "
             "resolve(request, context), or judge them with check_run_options, before the container runs";
      break;
  }
  return text;
}

// The decision for one request: per data path, in data_path order.
struct plan {
  // All a plan keeps of the kind of task it was made for: the second name of the task's own
  // directory (Startup for a start task, JobPrep for a job preparation task, none for a
  // job's other tasks), the one thing that changes what a request means. A plan resolves
  // against every context whose kind has the same second name (made for `task`, it serves a
  // job manager, a multi-instance task or a job release task alike).
  std::optional<data_path> task_second_name;
  bool whole_root = false;  // the list was null
  std::array<path_selection, data_path_count> paths{};
  working_directory working_dir = working_directory::task_working_directory;
  bool working_directory_defaulted = true;  // absent on the wire
  bool warn_read_only_task_working_directory = false;
  bool has_run_options = false;  // the request had containerRunOptions (not judged by a plan)

  constexpr const path_selection& operator[](data_path path) const noexcept {
    return paths[static_cast<std::size_t>(path)];
  }
  // Whether the container sees this data path (selected, or under the whole root).
  constexpr bool sees(data_path path) const noexcept {
    return (*this)[path].state != selection::not_selected;
  }
  // How many mounts the resolution will have (1 for the whole root).
  constexpr std::size_t mount_count() const noexcept {
    if (whole_root) return 1;
    std::size_t n = 0;
    for (const auto& p : paths) n += p.state == selection::selected && !p.implied ? 1u : 0u;
    return n;
  }

  friend constexpr bool operator==(const plan& a, const plan& b) noexcept {
    for (std::size_t i = 0; i < data_path_count; ++i)
      if (a.paths[i] != b.paths[i]) return false;
    return a.task_second_name == b.task_second_name && a.whole_root == b.whole_root && a.working_dir == b.working_dir &&
           a.working_directory_defaulted == b.working_directory_defaulted &&
           a.warn_read_only_task_working_directory == b.warn_read_only_task_working_directory &&
           a.has_run_options == b.has_run_options;
  }
  friend constexpr bool operator!=(const plan& a, const plan& b) noexcept { return !(a == b); }
};

// Validates the request for a kind of task and returns its plan, or the first broken rule:
// an entry without a source or with an unknown one (its index and text), JobPrep for a start
// task (job_prep_outside_job), duplicates that disagree on isReadOnly (the later entry's
// index), also under the two names of one directory, an unknown workingDirectory or an
// invalid kind, or a working directory that needs the task's own directory when it is not
// mounted under either of its names. Identical duplicates collapse.
constexpr result<plan> make_plan(const container_request& request, task_kind kind = task_kind::task) noexcept {
  plan out;
  if (static_cast<std::size_t>(kind) >= task_kind_count) return error(error_code::invalid_task_kind, "");
  out.has_run_options = request.run_options.has_value();
  out.task_second_name = row(kind).same_directory_as;
  if (request.working_directory) {
    const auto wd = parse_working_directory(*request.working_directory);
    if (!wd) return error(error_code::unknown_working_directory, *request.working_directory);
    out.working_dir = *wd;
    out.working_directory_defaulted = false;
  }

  if (request.bind_mounts.is_null()) {
    out.whole_root = true;
    for (auto& p : out.paths) p.state = selection::whole_root;
    return out;  // the whole root holds the task directory: any working directory works
  }

  for (std::size_t i = 0; i < request.bind_mounts.size(); ++i) {
    const bind_mount_entry& entry = request.bind_mounts[i];
    if (!entry.source) return error(error_code::missing_source, "", i);
    const auto path = parse_data_path(*entry.source);
    if (!path) return error(error_code::unknown_source, *entry.source, i);
    if (*path == data_path::job_prep && !row(kind).in_job) return error(error_code::job_prep_outside_job, *entry.source, i);
    const bool read_only = entry.is_read_only.value_or(false);
    path_selection& chosen = out.paths[static_cast<std::size_t>(*path)];
    if (chosen.state == selection::selected) {
      if (chosen.read_only != read_only)
        return error(error_code::conflicting_read_only, *entry.source, i);
      continue;  // identical duplicate: one mount, explained by the first entry
    }
    chosen = {selection::selected, read_only, i, false};
  }

  // One directory under two names: either selects the one mount, and they must agree.
  if (const auto alias = row(kind).same_directory_as) {
    path_selection& task = out.paths[static_cast<std::size_t>(data_path::task)];
    path_selection& other = out.paths[static_cast<std::size_t>(*alias)];
    if (task.state == selection::selected && other.state == selection::selected) {
      if (task.read_only != other.read_only) {
        const bool task_later = task.first_entry > other.first_entry;
        return error(error_code::conflicting_read_only, to_wire(task_later ? data_path::task : *alias),
                     task_later ? task.first_entry : other.first_entry);
      }
      // Both named: the one named later rides on the first.
      (task.first_entry > other.first_entry ? task : other).implied = true;
    } else if (task.state == selection::selected || other.state == selection::selected) {
      path_selection& named = task.state == selection::selected ? task : other;
      (&named == &task ? other : task) = {selection::selected, named.read_only, named.first_entry, true};
    }
  }

  const path_selection& task = out[data_path::task];
  if (out.working_dir == working_directory::task_working_directory) {
    if (task.state == selection::not_selected)
      return error(error_code::working_directory_requires_task,
                   out.working_directory_defaulted ? std::string_view("(absent)")
                                                   : *request.working_directory);
    out.warn_read_only_task_working_directory = task.read_only;
  }
  return out;
}

}  // namespace v1
}  // namespace batchmount

#endif
