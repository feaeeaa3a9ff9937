#ifndef BATCHMOUNT_RESOLUTION_HPP
#define BATCHMOUNT_RESOLUTION_HPP

// Stage 3: a plan materialized against a context: the mounts in mount order, the container
// working directory, the warnings, and why each data path is or is not there.

#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "batchmount/context.hpp"
#include "batchmount/detail/path.hpp"
#include "batchmount/plan.hpp"
#include "batchmount/request.hpp"
#include "batchmount/result.hpp"
#include "batchmount/tables.hpp"

namespace batchmount {
inline namespace v1 {

// One bind mount, wherever the library describes one: in a resolution (what batchmount
// mounts), in a container verify reads, in verify's report. `mount` owns its strings;
// `mount_view` (the allocation-free API) views them.
template <class Text>
struct basic_mount {
  // The data path it mounts; nullopt for the whole node root (a null list) and for a
  // container's mount as a runtime reports it (verify reads paths, not names).
  std::optional<data_path> source;
  Text host_path;
  Text container_path;
  bool read_only = false;
  // Read-only reaches submounts (OCI `rro`, Docker ReadOnlyForceRecursive): fsmounts holds
  // blobfuse and NFS mounts, which a plain `ro` bind would leave writable. Every read-only
  // mount batchmount resolves on Linux is recursive; Windows binds carry no submounts, and
  // this stays false there.
  bool recursive = false;

  friend bool operator==(const basic_mount& a, const basic_mount& b) {
    return a.source == b.source && a.host_path == b.host_path && a.container_path == b.container_path &&
           a.read_only == b.read_only && a.recursive == b.recursive;
  }
  friend bool operator!=(const basic_mount& a, const basic_mount& b) { return !(a == b); }
};
using mount = basic_mount<std::string>;
using mount_view = basic_mount<std::string_view>;

// Why one data path is or is not visible, with its host and container directories.
// path_explanation owns its strings; path_explanation_view (the allocation-free API) views
// the context's.
template <class Text>
struct basic_path_explanation {
  data_path path = data_path::shared;
  selection state = selection::not_selected;
  bool read_only = false;
  std::size_t entry_index = 0;  // the first entry naming it, when state == selected
  Text host_directory;          // empty: no such directory for this kind (a start task's JobPrep)
  Text container_directory;
  std::optional<data_path> same_directory_as;  // the other name of this directory, for this kind

  // e.g. "Task: mounted read-only because of entry #0".
  std::string text() const {
    std::string out(to_wire(path));
    switch (state) {
      case selection::selected:
        out += read_only ? ": mounted read-only" : ": mounted read/write";
        out += " because of entry #" + std::to_string(entry_index);
        if (same_directory_as)
          ((out += " (the same directory as ") += to_wire(*same_directory_as)) += ", one mount)";
        break;
      case selection::not_selected:
        out += ": not selected, not mounted; its environment variables are removed";
        break;
      case selection::whole_root:
        out += ": covered by the whole node root mount (containerHostBatchBindMounts is null)";
        break;
    }
    return out;
  }
};
using path_explanation = basic_path_explanation<std::string>;
using path_explanation_view = basic_path_explanation<std::string_view>;

// A resolution's warnings, each at most once, in warning_code order (the allocation-free
// form of resolution::warnings: the same size(), operator[] and iteration).
struct warning_list {
  std::array<warning_code, 2> items{};
  std::size_t count = 0;

  constexpr std::size_t size() const noexcept { return count; }
  constexpr bool empty() const noexcept { return count == 0; }
  constexpr warning_code operator[](std::size_t i) const noexcept { return items[i]; }
  constexpr const warning_code* begin() const noexcept { return items.data(); }
  constexpr const warning_code* end() const noexcept { return items.data() + count; }
  constexpr void push_back(warning_code code) noexcept {
    if (count < items.size()) items[count++] = code;
  }
};

// A resolution as views into its context (the allocation-free API): valid as long as the
// context_view's arena is.

struct resolution_view {
  node_os os = node_os::linux_node;
  task_kind kind = task_kind::task;
  std::string_view node_root;
  bool whole_root = false;
  std::array<mount_view, data_path_count> mounts{};  // the first mount_count, in mount order
  std::size_t mount_count = 0;
  std::optional<std::string_view> working_directory;  // container path; nullopt: image default
  std::optional<std::string_view> host_working_directory;
  std::array<path_explanation_view, data_path_count> explanations{};  // in data_path order
  warning_list warnings;
  std::array<std::string_view, data_path_count> host_directories{};
  std::array<std::string_view, data_path_count> container_directories{};

  constexpr const path_explanation_view& explain(data_path path) const noexcept {
    return explanations[static_cast<std::size_t>(path)];
  }
};

// Whether a plan means, for a context of this kind, what it meant for the kind it was made
// for: the task's own directory has the same second name (or none) in both.
constexpr bool plan_fits(const plan& p, task_kind kind) noexcept {
  return static_cast<std::size_t>(kind) < task_kind_count && p.task_second_name == row(kind).same_directory_as;
}

// Materializes a valid plan for a context: no allocation, no copy of any path. Fails with
// plan_for_other_kind (naming the context's kind) where the plan would mean something else
// there (plan_fits).
inline result<resolution_view> resolve(const plan& p, const context_view& context) noexcept {
  if (!plan_fits(p, context.kind)) return error(error_code::plan_for_other_kind, to_string(context.kind));
  resolution_view out;
  const node_os os = context.os;
  out.os = os;
  out.kind = context.kind;
  out.node_root = context.node_root;
  out.whole_root = p.whole_root;
  out.host_directories = context.host_directories;
  out.container_directories = context.container_directories;
  if (p.whole_root)
    out.mounts[out.mount_count++] = {std::nullopt, context.node_root, context.container_node_root, false, false};

  std::array<std::size_t, data_path_count> depth{};
  for (const data_path path : all_data_paths) {
    const path_selection& choice = p[path];
    if (choice.state != selection::selected || choice.implied) continue;
    const std::size_t i = static_cast<std::size_t>(path);
    // Insertion keeps the order stable: parents before children (containerd #2596), ties in
    // request order (CDI #240).
    const std::size_t d = detail::depth(context.host_directories[i], os);
    std::size_t at = out.mount_count;
    while (at > 0 && (depth[at - 1] > d ||
                      (depth[at - 1] == d && p[*out.mounts[at - 1].source].first_entry > choice.first_entry))) {
      out.mounts[at] = out.mounts[at - 1];
      depth[at] = depth[at - 1];
      --at;
    }
    out.mounts[at] = {path, context.host_directories[i], context.container_directories[i], choice.read_only,
                      choice.read_only && os == node_os::linux_node};
    depth[at] = d;
    ++out.mount_count;
  }
  if (p.working_dir == working_directory::task_working_directory) {
    out.host_working_directory = context.host_working_directory(data_path::task);
    out.working_directory = context.container_working_directories[static_cast<std::size_t>(data_path::task)];
  }
  const auto alias = row(context.kind).same_directory_as;
  for (const data_path path : all_data_paths) {
    const std::size_t i = static_cast<std::size_t>(path);
    const path_selection& choice = p[path];
    auto& why = out.explanations[i];
    why = {path, choice.state, choice.read_only, choice.first_entry, context.host_directories[i],
           context.container_directories[i], std::nullopt};
    // The two names of the task's own directory, where it has two.
    if (alias && path == data_path::task) why.same_directory_as = *alias;
    if (alias && path == *alias) why.same_directory_as = data_path::task;
  }
  if (p.warn_read_only_task_working_directory) out.warnings.push_back(warning_code::read_only_task_working_directory);
  if (p[data_path::job_prep].state == selection::selected && context.job_has_job_prep_task == false)
    out.warnings.push_back(warning_code::job_prep_directory_missing);
  return out;
}

// A resolution that owns its strings.
struct resolution {
  node_os os = node_os::linux_node;
  task_kind kind = task_kind::task;
  std::string node_root;  // canonical host node root
  bool whole_root = false;
  std::vector<mount> mounts;  // parents before children; ties in request order
  std::optional<std::string> working_directory;  // container path; nullopt: image default
  std::optional<std::string> host_working_directory;
  std::array<path_explanation, data_path_count> explanations;  // in data_path order
  std::vector<warning_code> warnings;

  const path_explanation& explain(data_path path) const noexcept {
    return explanations[static_cast<std::size_t>(path)];
  }
};

// The owning copy of a resolution_view.
inline resolution to_owned(const resolution_view& view) {
  resolution out;
  out.os = view.os;
  out.kind = view.kind;
  out.node_root = std::string(view.node_root);
  out.whole_root = view.whole_root;
  for (std::size_t i = 0; i < view.mount_count; ++i) {
    const auto& m = view.mounts[i];
    out.mounts.push_back({m.source, std::string(m.host_path), std::string(m.container_path), m.read_only, m.recursive});
  }
  if (view.working_directory) out.working_directory = std::string(*view.working_directory);
  if (view.host_working_directory) out.host_working_directory = std::string(*view.host_working_directory);
  for (std::size_t i = 0; i < data_path_count; ++i) {
    const path_explanation_view& why = view.explanations[i];
    out.explanations[i] = {why.path,
                           why.state,
                           why.read_only,
                           why.entry_index,
                           std::string(why.host_directory),
                           std::string(why.container_directory),
                           why.same_directory_as};
  }
  out.warnings.assign(view.warnings.begin(), view.warnings.end());
  return out;
}

// The owning form; fails as the view form does.
inline result<resolution> resolve(const plan& p, const node_context& context) {
  const auto view = resolve(p, context.view());
  if (!view) return view.error();
  return to_owned(*view);
}

// Plans and resolves in one call; fails with the plan's error.
inline result<resolution> resolve(const container_request& request, const node_context& context) {
  const auto p = make_plan(request, context.kind());
  if (!p) return p.error();
  return resolve(*p, context);
}

// The same for an owning request (parsed JSON, command lines).
inline result<resolution> resolve(const owned_request& request, const node_context& context) {
  return request.with_view(
      [&](const container_request& view) { return resolve(view, context); });
}

}  // namespace v1
}  // namespace batchmount

#endif
