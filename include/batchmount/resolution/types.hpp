#ifndef BATCHMOUNT_RESOLUTION_TYPES_HPP
#define BATCHMOUNT_RESOLUTION_TYPES_HPP

// What a resolution is (stage 3's output): the mounts in mount order, the container working
// directory, the warnings, and why each data path is or is not there; views and owning forms.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "batchmount/plan.hpp"
#include "batchmount/run_options/types.hpp"
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
  std::array<warning_code, 3> items{};
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
  // containerRunOptions, when the request had them and was resolved by resolve(request,
  // context, policy): as read (carried by the docker renderers), and what they do (findings
  // refused by default appear only when the caller accepted them) and which binds are out of
  // scope.
  run_option_list run_options;
  std::vector<run_option_finding> run_option_findings;
  std::vector<std::string> run_options_outside_scope;

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

}  // namespace v1
}  // namespace batchmount

#endif
