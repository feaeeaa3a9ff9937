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

// One bind mount. Read-only is meant recursively (submounts included: fsmounts holds
// blobfuse and NFS mounts, which a plain `ro` bind would leave writable).
struct mount_spec {
  std::optional<data_path> source;  // nullopt: the whole node root, for a null list
  std::string host_path;
  std::string container_path;
  bool read_only = false;

  friend bool operator==(const mount_spec& a, const mount_spec& b) {
    return a.source == b.source && a.host_path == b.host_path &&
           a.container_path == b.container_path && a.read_only == b.read_only;
  }
  friend bool operator!=(const mount_spec& a, const mount_spec& b) { return !(a == b); }
};

// Why one data path is or is not visible, with its host and container directories.
struct path_explanation {
  data_path path = data_path::shared;
  selection state = selection::not_selected;
  bool read_only = false;
  std::size_t entry_index = 0;  // the first entry naming it, when state == selected
  std::string host_directory;
  std::string container_directory;

  // e.g. "Task: mounted read-only because of entry #0".
  std::string text() const {
    std::string out(to_wire(path));
    switch (state) {
      case selection::selected:
        out += read_only ? ": mounted read-only" : ": mounted read/write";
        out += " because of entry #" + std::to_string(entry_index);
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

struct resolution {
  node_os os = node_os::linux_node;
  std::string node_root;  // canonical host node root
  bool whole_root = false;
  std::vector<mount_spec> mounts;  // parents before children; ties in request order
  std::optional<std::string> working_directory;  // container path; nullopt: image default
  std::optional<std::string> host_working_directory;
  std::array<path_explanation, data_path_count> explanations;  // in data_path order
  std::vector<warning_code> warnings;

  const path_explanation& explain(data_path path) const noexcept {
    return explanations[static_cast<std::size_t>(path)];
  }
};

// Materializes a valid plan for a valid context; cannot fail.
inline resolution resolve(const plan& p, const node_context& context) {
  resolution out;
  const node_os os = context.os();
  out.os = os;
  out.node_root = context.node_root();
  out.whole_root = p.whole_root;
  if (p.whole_root)
    out.mounts.push_back(
        {std::nullopt, out.node_root, detail::container_path_of(out.node_root, os), false});

  struct ordered {
    std::size_t depth;
    std::size_t entry;
    mount_spec spec;
  };
  std::vector<ordered> selected;
  for (const data_path path : all_data_paths) {
    const path_selection& choice = p[path];
    path_explanation& why = out.explanations[static_cast<std::size_t>(path)];
    why.path = path;
    why.state = choice.state;
    why.read_only = choice.read_only;
    why.entry_index = choice.first_entry;
    why.host_directory = context.host_directory(path);
    why.container_directory = detail::container_path_of(why.host_directory, os);
    if (choice.state == selection::selected)
      selected.push_back({detail::depth(why.host_directory, os), choice.first_entry,
                          {path, why.host_directory, why.container_directory, choice.read_only}});
  }
  // Parents before children (containerd #2596), ties in request order, stable (CDI #240).
  std::stable_sort(selected.begin(), selected.end(), [](const ordered& a, const ordered& b) {
    return a.depth != b.depth ? a.depth < b.depth : a.entry < b.entry;
  });
  for (auto& s : selected) out.mounts.push_back(std::move(s.spec));

  if (p.working_dir == working_directory::task_working_directory) {
    out.host_working_directory = context.host_working_directory(data_path::task);
    out.working_directory = detail::container_path_of(*out.host_working_directory, os);
  }
  if (p.warn_read_only_task_working_directory)
    out.warnings.push_back(warning_code::read_only_task_working_directory);
  return out;
}

// Plans and resolves in one call; fails with the plan's error.
inline result<resolution> resolve(const container_request& request, const node_context& context) {
  const auto p = make_plan(request);
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
