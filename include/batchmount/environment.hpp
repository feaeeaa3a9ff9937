#ifndef BATCHMOUNT_ENVIRONMENT_HPP
#define BATCHMOUNT_ENVIRONMENT_HPP

// Stage 4: the container's environment. Every AZ_BATCH_* variable whose value is a path
// inside an unmounted data path's directory is removed; path values that stay are
// rewritten to container paths (Windows); everything else passes unchanged. Each decision
// keeps the host and the container value and says why.

#include <array>
#include <cstddef>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "batchmount/context.hpp"
#include "batchmount/detail/arena.hpp"
#include "batchmount/detail/ascii.hpp"
#include "batchmount/detail/path.hpp"
#include "batchmount/resolution.hpp"
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

enum class env_reason : unsigned char {
  not_batch_variable,      // the name does not start with AZ_BATCH_
  not_a_path,              // the value is not an absolute path for this OS
  outside_node_root,       // a path, but not under the node root
  inside_node_root,        // under the node root, in no data path's directory
  inside_whole_root,       // the list is null: the whole node root is mounted
  inside_mounted_path,     // inside a mounted data path's directory
  inside_unmounted_path,   // inside an unmounted data path's directory: removed
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
};

// A host variable as views.
struct env_var_view {
  std::string_view name;
  std::string_view value;
};

// What environment filtering needs to know of a resolution.
struct env_scope {
  node_os os = node_os::linux_node;
  std::string_view node_root;
  bool whole_root = false;
  std::array<selection, data_path_count> states{};
  std::array<std::string_view, data_path_count> host_directories{};

  explicit env_scope(const resolution_view& r) noexcept
      : os(r.os), node_root(r.node_root), whole_root(r.whole_root), host_directories(r.host_directories) {
    for (const data_path path : all_data_paths) states[static_cast<std::size_t>(path)] = r.decisions[path].state;
  }
  explicit env_scope(const resolution& r) noexcept : os(r.os), node_root(r.node_root), whole_root(r.whole_root) {
    for (const auto& why : r.explanations) {
      states[static_cast<std::size_t>(why.path)] = why.state;
      host_directories[static_cast<std::size_t>(why.path)] = why.host_directory;
    }
  }
};

namespace detail {
// The one decision procedure. Checks the name and value (invalid_environment_name: empty,
// '=' or NUL; invalid_environment_value: NUL) and decides; scratch and rewritten values go
// to the arena. `fast` false forces the canonicalizing road (tests compare the two).
inline result<env_decision_view> decide(const env_scope& scope, env_var_view var, std::size_t index,
                                        arena& into, bool fast = true) noexcept {
  bool bad_name = var.name.empty();
  for (const char c : var.name) bad_name |= c == '=' || c == '\0';  // one pass, no per-char memchr
  if (bad_name) return error(error_code::invalid_environment_name, var.name, index);
  if (var.value.find('\0') != std::string_view::npos)
    return error(error_code::invalid_environment_value, var.value, index);
  env_decision_view d{var.name, var.value, var.value, env_action::kept, env_reason::not_batch_variable, std::nullopt};
  if (!starts_with(var.name, batch_variable_prefix, row(scope.os).case_insensitive)) return d;
  const node_os os = scope.os;
  const std::size_t mark = into.mark();
  std::string_view canonical = var.value;
  bool in_place = false;  // canonical views the value itself (no arena bytes used)
  std::optional<std::size_t> holder;  // index of the data path directory holding the value

  // The fast road, for a value that starts with the node root as written in the context
  // and is clean after it (the usual case): compare where it stands. Any doubt takes the
  // canonicalizing road below; both give the same decision.
  const std::string_view root = scope.node_root;
  const bool root_has_separator = is_separator(root.back(), os);  // "/" or "D:\\"
  // What follows the root, without the one separator between: canonical only if no second
  // separator follows and the value does not end in one.
  const auto rest_after_root = [&](std::string_view& rest) {
    rest = var.value.substr(root.size());
    if (rest.empty()) return true;
    if (!root_has_separator) rest.remove_prefix(1);
    return !rest.empty() && !is_separator(rest.front(), os);
  };
  std::string_view rest;
  if (fast && starts_with_components(var.value, root, os) && rest_after_root(rest) &&
      clean_components(rest, 0, os)) {
    in_place = true;
    for (std::size_t i = 0; i < data_path_count; ++i) {
      std::string_view dir = scope.host_directories[i].substr(root.size());
      if (!root_has_separator) dir.remove_prefix(1);
      if (starts_with_components(rest, dir, os)) {
        holder = i;
        break;  // data path directories never nest: at most one holds the value
      }
    }
  }
  if (!in_place) {
    const auto written = canonical_path(var.value, os, parent_references::resolve, into);
    if (into.overflowed()) return error(error_code::buffer_too_small, var.name, index);
    if (!written) {
      d.reason = env_reason::not_a_path;
      return d;
    }
    canonical = *written;
    if (!within(canonical, root, os)) {
      d.reason = env_reason::outside_node_root;
      into.rewind(mark);
      return d;
    }
    for (std::size_t i = 0; i < data_path_count; ++i)
      if (within(canonical, scope.host_directories[i], os)) {
        holder = i;
        break;  // data path directories never nest: at most one holds the value
      }
  }

  d.reason = scope.whole_root ? env_reason::inside_whole_root : env_reason::inside_node_root;
  if (holder) {
    d.path = all_data_paths[*holder];
    if (scope.states[*holder] == selection::not_selected) {
      d.action = env_action::removed;
      d.reason = env_reason::inside_unmounted_path;
      d.container_value = {};
    } else if (scope.states[*holder] == selection::selected) {
      d.reason = env_reason::inside_mounted_path;
    }
  }
  // Linux mounts each path at the same place, so only Windows values change: the canonical
  // value with the container drive.
  const auto drive = row(os).container_drive;
  if (d.action == env_action::kept && !drive.empty()) {
    if (in_place) {
      into.put(canonical);
      if (into.overflowed()) return error(error_code::buffer_too_small, var.name, index);
      char* out = into.at(mark);
      for (std::size_t k = 0; k < canonical.size(); ++k)
        if (out[k] == '/') out[k] = '\\';
    }
    std::memcpy(into.at(mark), drive.data(), drive.size());
    d.container_value = into.since(mark);
    if (d.container_value != d.host_value) d.action = env_action::rewritten;
    return d;
  }
  into.rewind(mark);  // a canonical copy was scratch
  return d;
}
}  // namespace detail

// Filters `count` host variables into `out` (room for `count`), scratch and rewritten values
// in `into`: no allocation. Returns the number of decisions, or the first variable's error
// (with its index) or buffer_too_small.
inline result<std::size_t> filter_environment(const resolution_view& r, const env_var_view* host, std::size_t count,
                                              env_decision_view* out, arena& into) noexcept {
  const env_scope scope(r);
  for (std::size_t i = 0; i < count; ++i) {
    auto d = detail::decide(scope, host[i], i, into);
    if (!d) return d.error();
    out[i] = *d;
  }
  return count;
}

// Filters a task's host environment for its container. Fails with
// invalid_environment_name (empty, '=' or NUL) or invalid_environment_value (NUL), naming
// the variable's index.
inline result<container_environment> filter_environment(const resolution& r, const std::vector<env_var>& host) {
  const env_scope scope(r);
  container_environment out;
  out.decisions.reserve(host.size());
  std::string scratch;
  for (std::size_t i = 0; i < host.size(); ++i) {
    const env_var& var = host[i];
    if (scratch.size() < var.value.size() + 1) scratch.resize(var.value.size() + 1);
    arena into(&scratch[0], scratch.size());
    const auto d = detail::decide(scope, {var.name, var.value}, i, into);
    if (!d) return d.error();
    out.decisions.push_back({var.name, var.value, std::string(d->container_value), d->action, d->reason, d->path});
  }
  return out;
}

// An application package deployed to the node; no version means the default version.
struct application_package {
  std::string_view id;
  std::optional<std::string_view> version;
};

constexpr bool is_valid_application_version(std::string_view version) noexcept {
  if (version.empty() || version.size() > 64) return false;
  for (const char c : version)
    if (!(detail::is_ascii_alpha(c) || detail::is_ascii_digit(c) || c == '-' || c == '_' ||
          c == '.'))
      return false;
  return true;
}

// The AZ_BATCH_* environment the node agent sets for a task in this context, so tests and
// simulators need not hand-write it. Application package folders are named
// "{id}#{version}" (or "{id}") under applications: the agent's real folder names are not
// documented. Linux names flatten '.', '-' and '#' to '_' and come upper-case and
// case-preserved; Windows names are AZ_BATCH_APP_PACKAGE_{id}#{version}.
// Fails with invalid_application_id or invalid_application_version (package index).
inline result<std::vector<env_var>> standard_environment(
    const node_context& context, const std::vector<application_package>& packages = {}) {
  const node_os os = context.os();
  std::vector<env_var> out;
  out.push_back({std::string(node_root_variable), context.node_root()});
  for (const data_path path : all_data_paths) {
    const auto& r = row(path);
    if (!r.directory_variable.empty())
      out.push_back({std::string(r.directory_variable), context.host_directory(path)});
    if (!r.working_directory_variable.empty())
      out.push_back(
          {std::string(r.working_directory_variable), context.host_working_directory(path)});
  }
  if (os == node_os::linux_node) {
    std::string certs = context.host_directory(data_path::task);
    (certs += row(os).separator) += "certs";
    out.push_back({"AZ_BATCH_CERTIFICATES_DIR", std::move(certs)});
  }
  out.push_back({"AZ_BATCH_JOB_ID", context.job_id()});
  out.push_back({"AZ_BATCH_TASK_ID", context.task_id()});

  const std::string_view prefix = row(data_path::applications).variable_prefix;
  for (std::size_t i = 0; i < packages.size(); ++i) {
    const auto& package = packages[i];
    if (!is_valid_id(package.id))
      return error(error_code::invalid_application_id, package.id, i);
    if (package.version && !is_valid_application_version(*package.version))
      return error(error_code::invalid_application_version, *package.version, i);
    std::string suffix(package.id);
    if (package.version) (suffix += '#') += *package.version;
    std::string folder = context.host_directory(data_path::applications);
    (folder += row(os).separator) += suffix;
    if (os == node_os::windows_node) {
      out.push_back({std::string(prefix) + suffix, std::move(folder)});
      continue;
    }
    std::string preserved(prefix), upper(prefix);
    for (const char c : suffix) {
      const char flat = (c == '.' || c == '-' || c == '#') ? '_' : c;
      preserved += flat;
      upper += detail::ascii_upper(flat);
    }
    out.push_back({upper, folder});
    if (preserved != upper) out.push_back({std::move(preserved), std::move(folder)});
  }
  return out;
}

}  // namespace v1
}  // namespace batchmount

#endif
