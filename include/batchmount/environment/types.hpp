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

}  // namespace v1
}  // namespace batchmount

#endif
