#ifndef BATCHMOUNT_ENVIRONMENT_TYPES_HPP
#define BATCHMOUNT_ENVIRONMENT_TYPES_HPP

// The environment stage's types: variables, decisions and their reasons, the filtered
// container environment, and the scope a filtering works in (internal to the stage).

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "batchmount/context.hpp"
#include "batchmount/detail/arena.hpp"
#include "batchmount/detail/ascii.hpp"
#include "batchmount/detail/path.hpp"
#include "batchmount/resolution/types.hpp"
#include "batchmount/result.hpp"
#include "batchmount/tables.hpp"

namespace batchmount {
inline namespace v1 {

struct env_var {
  std::string name;
  std::string value;

  friend bool operator==(const env_var& a, const env_var& b) {
    return a.name == b.name && a.value == b.value;
  }
  friend bool operator!=(const env_var& a, const env_var& b) { return !(a == b); }
};

enum class env_action : unsigned char { kept, rewritten, removed };

// "kept", "rewritten", "removed"; empty for a value outside the enumeration.
constexpr std::string_view to_string(env_action action) noexcept {
  std::string_view text;
  switch (action) {
    case env_action::kept: text = "kept"; break;
    case env_action::rewritten: text = "rewritten"; break;
    case env_action::removed: text = "removed"; break;
  }
  return text;
}

// Which variables are filtered. The isolation invariant (the default) filters AZ_BATCH_*,
// HOME, PWD and PATH; the article's literal rule only AZ_BATCH_*. Under both, any other
// variable naming a path inside an unmounted data path is kept and warned about.
enum class env_rule : unsigned char { isolation_invariant, article_literal };

// "isolation" or "literal" (batchmount-resolve's --env-rule); empty outside the enumeration.
constexpr std::string_view to_string(env_rule rule) noexcept {
  std::string_view text;
  switch (rule) {
    case env_rule::isolation_invariant: text = "isolation"; break;
    case env_rule::article_literal: text = "literal"; break;
  }
  return text;
}

enum class env_reason : unsigned char {
  not_batch_variable,      // not a variable the rule filters, and it names no unmounted path
  not_a_path,              // the value is not an absolute path for this OS
  outside_node_root,       // a path, but not under the node root
  inside_node_root,        // under the node root, in no data path's directory
  inside_whole_root,       // the list is null: the whole node root is mounted
  inside_mounted_path,     // inside a mounted data path's directory
  inside_unmounted_path,   // inside an unmounted data path's directory: removed
  path_list,               // PATH: no entry lies inside an unmounted data path
  path_entries_removed,    // PATH: entries inside unmounted data paths dropped (all: removed)
  names_unmounted_path,    // another variable names a path inside an unmounted data path: kept, warned
};

// The reason in words; empty for a value outside the enumeration.
constexpr std::string_view reason_text(env_reason reason) noexcept {
  std::string_view text;
  switch (reason) {
    case env_reason::not_batch_variable: text = "not an AZ_BATCH_ variable"; break;
    case env_reason::not_a_path: text = "value is not an absolute path"; break;
    case env_reason::outside_node_root: text = "path outside the node root"; break;
    case env_reason::inside_node_root: text = "path under the node root, in no data path"; break;
    case env_reason::inside_whole_root: text = "path inside the whole node root mount"; break;
    case env_reason::inside_mounted_path: text = "path inside a mounted data path"; break;
    case env_reason::inside_unmounted_path: text = "path inside a data path that is not mounted"; break;
    case env_reason::path_list: text = "path list with no entry inside an unmounted data path"; break;
    case env_reason::path_entries_removed:
      text = "path list: entries inside a data path that is not mounted are dropped";
      break;
    case env_reason::names_unmounted_path:
      text = "names a path inside a data path that is not mounted (kept: not a variable Batch sets)";
      break;
  }
  return text;
}

// One variable's decision: the name, its host value, its value in the container (empty
// when removed), what happened and why, and the data path whose directory holds the value.
// env_decision owns its strings; env_decision_view (the allocation-free API) views the
// caller's input, and a rewritten value in the arena.
template <class Text>
struct basic_env_decision {
  Text name;
  Text host_value;
  Text container_value;
  env_action action = env_action::kept;
  env_reason reason = env_reason::not_batch_variable;
  std::optional<data_path> path;

  // e.g. "AZ_BATCH_TASK_DIR removed: path inside a data path that is not mounted (Task)".
  std::string text() const {
    std::string out(name);
    switch (action) {
      case env_action::kept: out += " kept: "; break;
      case env_action::rewritten: (out += " rewritten to ").append(container_value.data(), container_value.size()) += ": "; break;
      case env_action::removed: out += " removed: "; break;
    }
    out += reason_text(reason);
    if (path) ((out += " (") += to_wire(*path)) += ")";
    return out;
  }
};
using env_decision = basic_env_decision<std::string>;
using env_decision_view = basic_env_decision<std::string_view>;

struct container_environment {
  std::vector<env_decision> decisions;  // one per host variable, in input order

  // Calls f(name, container value) for each kept or rewritten variable, in order.
  template <class F>
  void for_each_variable(F&& f) const {
    for (const auto& d : decisions)
      if (d.action != env_action::removed) f(std::string_view(d.name), std::string_view(d.container_value));
  }

  // The container's environment: kept and rewritten variables with container values.
  std::vector<env_var> variables() const {
    std::vector<env_var> out;
    for (const auto& d : decisions)
      if (d.action != env_action::removed) out.push_back({d.name, d.container_value});
    return out;
  }
  std::vector<std::string> removed_names() const {
    std::vector<std::string> out;
    for (const auto& d : decisions)
      if (d.action == env_action::removed) out.push_back(d.name);
    return out;
  }
  // One sentence per kept variable that names a path the container cannot see.
  std::vector<std::string> warnings() const {
    std::vector<std::string> out;
    for (const auto& d : decisions)
      if (d.reason == env_reason::names_unmounted_path && d.path)
        out.push_back(d.name + " names a path inside " + std::string(to_wire(*d.path)) +
                      ", which is not mounted: the container cannot see it");
    return out;
  }
};

// A host variable as views.
struct env_var_view {
  std::string_view name;
  std::string_view value;
};

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
      if (dir.size() <= skip || !detail::swar::equal(dir.data(), node_root.data(), node_root.size()) ||
          !(root_has_separator() || detail::is_separator(dir[node_root.size()], os))) {
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
      if (!tail.empty() && detail::is_separator(tail[0], os)) return false;
    if (os == node_os::linux_node) return true;
    for (std::size_t i = 0; i < data_path_count; ++i)
      for (std::size_t j = i + 1; j < data_path_count; ++j) {
        const std::string_view a = directory_tails[i], b = directory_tails[j];
        if (a.empty() || b.empty() || host_directories[i] == host_directories[j]) continue;
        // Two ASCII first bytes that differ in upper case cannot match under folding (a byte
        // past ASCII may fold to an ASCII letter, as 'ı' does to 'I').
        const auto a0 = static_cast<unsigned char>(a[0]), b0 = static_cast<unsigned char>(b[0]);
        if (a0 < 0x80 && b0 < 0x80 && detail::ascii_upper(a[0]) != detail::ascii_upper(b[0])) continue;
        if (detail::match_components(a, b, os) != std::string_view::npos ||
            detail::match_components(b, a, os) != std::string_view::npos)
          return false;
      }
    return true;
  }
};

}  // namespace v1
}  // namespace batchmount

#endif
