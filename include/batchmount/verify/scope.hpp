#ifndef BATCHMOUNT_VERIFY_SCOPE_HPP
#define BATCHMOUNT_VERIFY_SCOPE_HPP

// The expected side of verify (verify_scope: a resolution's mounts and where each data path
// is), and the one judgement of a bind mount against it that verify and the
// containerRunOptions reader share: outside the node root, in a directory the resolution
// does not mount, or in a mounted one (with a weaker mode than the resolution's, or not).

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

#include "batchmount/detail/arena.hpp"
#include "batchmount/detail/path.hpp"
#include "batchmount/resolution/types.hpp"
#include "batchmount/tables.hpp"
#include "batchmount/verify/record.hpp"

namespace batchmount {
inline namespace v1 {
namespace detail {
// The expected side as views: mounts, where each data path is and whether it is mounted.
struct verify_scope {
  node_os os = node_os::linux_node;
  std::string_view node_root;
  std::array<mount_view, data_path_count> mounts{};
  std::array<std::optional<data_path>, data_path_count> mount_paths{};
  std::size_t mount_count = 0;
  std::array<selection, data_path_count> states{};
  std::array<std::string_view, data_path_count> host_directories{};
  std::optional<std::string_view> working_directory;

  explicit verify_scope(const resolution_view& r) noexcept
      : os(r.os), node_root(r.node_root), mount_count(r.mount_count), host_directories(r.host_directories),
        working_directory(r.working_directory) {
    for (std::size_t i = 0; i < r.mount_count; ++i) {
      const auto& m = r.mounts[i];
      mounts[i] = {m.source, m.host_path, m.container_path, m.read_only, m.read_only};
      mount_paths[i] = m.source;
    }
    for (const data_path path : all_data_paths) states[static_cast<std::size_t>(path)] = r.explain(path).state;
  }
  explicit verify_scope(const resolution& r) noexcept
      : os(r.os), node_root(r.node_root) {
    // A resolution has at most one mount per data path (or the one whole-root mount).
    for (; mount_count < r.mounts.size() && mount_count < data_path_count; ++mount_count) {
      const auto& m = r.mounts[mount_count];
      mounts[mount_count] = {m.source, m.host_path, m.container_path, m.read_only, m.read_only};
      mount_paths[mount_count] = m.source;
    }
    for (const auto& why : r.explanations) {
      states[static_cast<std::size_t>(why.path)] = why.state;
      host_directories[static_cast<std::size_t>(why.path)] = why.host_directory;
    }
    if (r.working_directory) working_directory = *r.working_directory;
  }
};

// Whether two canonical paths are the same path.
constexpr bool same_path(std::string_view a, std::string_view b, node_os os) noexcept {
  return within(a, b, os) && within(b, a, os);
}


// The unselected data path whose directory holds `host` (canonical) or lies in it; nullopt
// for the node root, a directory above it, or one in no unselected data path (workitems,
// another task's directory).
inline std::optional<data_path> unselected_path_of(const verify_scope& scope, std::string_view host) noexcept {
  const node_os os = scope.os;
  if (within(scope.node_root, host, os)) return std::nullopt;
  for (std::size_t i = 0; i < data_path_count; ++i) {
    const std::string_view dir = scope.host_directories[i];
    if (!dir.empty() && scope.states[i] == selection::not_selected && (within(host, dir, os) || within(dir, host, os)))
      return all_data_paths[i];
  }
  return std::nullopt;
}

// Where a bind mount lies, judged against the resolution.
struct mount_judgement {
  enum class place : unsigned char {
    outside_scope,  // its source is neither under the node root nor holds it: not judged
    unselected,     // it is, holds or lies in a directory under the node root not mounted
    selected,       // it is or lies in the directory of the resolution's mount `expected`
  };
  place where = place::outside_scope;
  std::size_t expected = 0;        // selected: the index of the resolution's mount
  bool same_directory = false;     // selected: the source is that mount's directory itself
  std::optional<data_path> path;   // the data path concerned (unselected: nullopt for the root or another directory)
  std::optional<violation_class> weaker;  // selected: writable or read_only_not_recursive, where it grants more
};

// Judges the bind `m` (paths canonicalized lexically in `scratch`, which the caller
// rewinds). A source that is not an absolute path is outside the scope.
inline mount_judgement judge_mount(const verify_scope& scope, const mount_view& m, arena& scratch) noexcept {
  const node_os os = scope.os;
  mount_judgement out;
  const auto host = canonical_path(m.host_path, os, parent_references::resolve, scratch);
  if (!host || !(within(*host, scope.node_root, os) || within(scope.node_root, *host, os))) return out;
  std::optional<std::size_t> same, holder;
  for (std::size_t j = 0; j < scope.mount_count; ++j) {
    if (same_path(*host, scope.mounts[j].host_path, os)) same = j;
    else if (!holder && within(*host, scope.mounts[j].host_path, os)) holder = j;
  }
  if (!same && !holder) {
    out.where = mount_judgement::place::unselected;
    out.path = unselected_path_of(scope, *host);
    return out;
  }
  out.where = mount_judgement::place::selected;
  out.expected = same ? *same : *holder;
  out.same_directory = same.has_value();
  out.path = scope.mount_paths[out.expected];
  const mount_view& e = scope.mounts[out.expected];
  if (e.read_only && !m.read_only) out.weaker = violation_class::writable;
  else if (e.read_only && os == node_os::linux_node && !m.recursive) out.weaker = violation_class::read_only_not_recursive;
  return out;
}
}  // namespace detail
}  // namespace v1
}  // namespace batchmount

#endif
