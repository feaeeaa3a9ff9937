#ifndef BATCHMOUNT_ENVIRONMENT_SCOPE_HPP
#define BATCHMOUNT_ENVIRONMENT_SCOPE_HPP

// What environment filtering needs to know of a resolution (internal to the environment
// stage): the root, each data path's state and directory, and what the shortcut in
// locate.hpp may assume about them.

#include <algorithm>
#include <array>
#include <cstddef>
#include <string_view>

#include "batchmount/detail/ascii.hpp"
#include "batchmount/detail/path.hpp"
#include "batchmount/detail/swar.hpp"
#include "batchmount/environment/types.hpp"
#include "batchmount/resolution/types.hpp"
#include "batchmount/tables.hpp"

namespace batchmount {
inline namespace v1 {
namespace detail {
// What environment filtering needs to know of a resolution.
struct env_scope {
  static constexpr std::string_view tail_of(std::string_view root, node_os os) noexcept {
    const std::size_t at = root.find_last_of(row(os).separator);
    return at == std::string_view::npos ? root : root.substr(at + 1);
  }

  node_os os = node_os::linux_node;
  env_rule rule = env_rule::isolation_invariant;
  std::string_view node_root;
  bool whole_root = false;
  std::array<selection, data_path_count> states{};
  std::array<std::string_view, data_path_count> host_directories{};  // empty: none for this kind
  std::string_view root_tail;  // the node root's last component (a root is never "/" or "X:\")
  // Built once per filtering, for the shortcut in locate_path: each data path directory
  // past the root and the separator after it ("shared", "workitems/job/job-1/task1"; empty:
  // none).
  std::array<std::string_view, data_path_count> directory_tails{};
  // Whether every data path directory is the root, a separator and more, byte for byte (as a
  // context builds them). A hand-built resolution that breaks this is decided without the
  // shortcut.
  bool tails_match_root = true;
  // Whether a value that starts with a data path's directory byte for byte, at a component
  // boundary, lies in that data path and in no data path listed before it (see tails_apart;
  // true for every context's directories).
  bool directories_apart = false;
  std::size_t shortest_directory = 0;  // the length of the shortest data path directory

  explicit env_scope(const resolution_view& r, env_rule rule_ = env_rule::isolation_invariant) noexcept
      : os(r.os), rule(rule_), node_root(r.node_root), whole_root(r.whole_root), host_directories(r.host_directories),
        root_tail(tail_of(r.node_root, r.os)) {
    for (const data_path path : all_data_paths) states[static_cast<std::size_t>(path)] = r.explain(path).state;
    build_matchers();
  }
  explicit env_scope(const resolution& r, env_rule rule_ = env_rule::isolation_invariant) noexcept
      : os(r.os), rule(rule_), node_root(r.node_root), whole_root(r.whole_root), root_tail(tail_of(r.node_root, r.os)) {
    for (const auto& why : r.explanations) {
      states[static_cast<std::size_t>(why.path)] = why.state;
      host_directories[static_cast<std::size_t>(why.path)] = why.host_directory;
    }
    build_matchers();
  }
  // Whether the root ends in a separator: only a filesystem root ("/", "X:\"), which contexts
  // refuse, but a hand-built resolution may hold one.
  bool root_has_separator() const noexcept {
    return !node_root.empty() && (node_root.back() == '/' || (os == node_os::windows_node && node_root.back() == '\\'));
  }

 private:
  void build_matchers() noexcept {
    const std::size_t skip = node_root.size() + (root_has_separator() ? 0 : 1);
    for (std::size_t i = 0; i < data_path_count; ++i) {
      const std::string_view dir = host_directories[i];
      if (dir.empty()) continue;
      if (dir.size() <= skip || !swar::equal(dir.data(), node_root.data(), node_root.size()) ||
          !(root_has_separator() || is_separator(dir[node_root.size()], os))) {
        tails_match_root = false;
        continue;
      }
      directory_tails[i] = dir.substr(skip);
    }
    shortest_directory = std::string_view::npos;
    for (const std::string_view dir : host_directories)
      if (!dir.empty()) shortest_directory = std::min(shortest_directory, dir.size());
    directories_apart = tails_match_root && tails_apart();
  }

  // Whether no data path's directory lies inside another's as the OS compares paths, so
  // that the first directory a value starts with byte for byte is the only one holding it.
  // Every tail must start with a component. On Linux, where paths compare byte for byte,
  // the first such directory in order is also the first the exact comparison finds; on
  // Windows the tails are compared pairwise under NTFS folding (two names of one data
  // directory, equal, are decided alike).
  bool tails_apart() const noexcept {
    for (const std::string_view tail : directory_tails)
      if (!tail.empty() && is_separator(tail[0], os)) return false;
    if (os == node_os::linux_node) return true;
    for (std::size_t i = 0; i < data_path_count; ++i)
      for (std::size_t j = i + 1; j < data_path_count; ++j) {
        const std::string_view a = directory_tails[i], b = directory_tails[j];
        if (a.empty() || b.empty() || host_directories[i] == host_directories[j]) continue;
        // Two ASCII first bytes that differ in upper case cannot match under folding (a byte
        // past ASCII may fold to an ASCII letter, as 'ı' does to 'I').
        const auto a0 = static_cast<unsigned char>(a[0]), b0 = static_cast<unsigned char>(b[0]);
        if (a0 < 0x80 && b0 < 0x80 && ascii_upper(a[0]) != ascii_upper(b[0])) continue;
        if (match_components(a, b, os) != std::string_view::npos ||
            match_components(b, a, os) != std::string_view::npos)
          return false;
      }
    return true;
  }
};
}  // namespace detail

// The scope was public before 1.2 and is now internal: it is built by filter_environment.
using env_scope [[deprecated("env_scope is internal since 1.2 (batchmount::detail::env_scope)")]] = detail::env_scope;

}  // namespace v1
}  // namespace batchmount

#endif
