#ifndef BATCHMOUNT_ENVIRONMENT_DECIDE_HPP
#define BATCHMOUNT_ENVIRONMENT_DECIDE_HPP

// The one decision procedure for a variable, per OS (internal to the environment stage).

#include <cstddef>
#include <string_view>
#include <type_traits>

#include "batchmount/detail/arena.hpp"
#include "batchmount/detail/swar.hpp"
#include "batchmount/environment/locate.hpp"
#include "batchmount/environment/names.hpp"
#include "batchmount/environment/scope.hpp"
#include "batchmount/environment/types.hpp"
#include "batchmount/result.hpp"

namespace batchmount {
inline namespace v1 {
namespace detail {
// Whether a value (or any entry of it) could name a path under the root: it holds the
// root's last component as the OS compares names (canonicalizing only drops "." and "..",
// folds separators, case and a component's trailing dots, spaces and ":stream", and never
// makes new component text), and on Windows a ':' or a separator (an absolute path there
// starts with a drive "X:", after an optional "\\?\" that canonicalizing drops, or is one of
// the spellings windows_respelling reads; one with a double quote is always looked at).
template <class Os>
inline bool may_name_root(std::string_view value, const env_scope& scope, Os os) noexcept {
  // (A path without ':' is rooted without a drive, or a UNC path: it holds a separator.)
  if (os == node_os::windows_node) {
    if (!swar::holds_any<':', '\\', '/', '"'>(value)) return false;
    // Quotes are dropped before a value is read as a path ("D:\ta"sks"): they can join text
    // into the root's last component, so a value holding one is looked at closely.
    if (swar::holds_any<'"'>(value)) return true;
  }
  return mentions(value, scope.root_tail, os);
}

// How the rule treats a variable, by name.
enum class variable_role : unsigned char { path, path_list, other };

template <class Os>
BATCHMOUNT_ALWAYS_INLINE inline variable_role role_of(std::string_view name, const env_scope& scope, Os os) noexcept {
  // Every name the rule knows starts with A, H or P (any case on Windows, where 'ı' and 'ſ'
  // fold to I and S, never to these): other names are decided by their first byte.
  const char first = name.empty() ? '\0' : os == node_os::windows_node ? ascii_upper(name[0]) : name[0];
  if (first != 'A' && first != 'H' && first != 'P') return variable_role::other;
  // "AZ_BATCH_": its first eight bytes compared as one word (upper-cased on Windows), then
  // the '_'; a Windows name with a byte past ASCII among the eight takes fold_prefix.
  static_assert(batch_variable_prefix.size() == 9 && batch_variable_prefix[8] == '_', "one word and '_'");
  if (name.size() >= batch_variable_prefix.size()) {
    const std::uint64_t word = swar::load(name.data());
    bool batch = false;
    if (os == node_os::linux_node) {
      batch = word == swar::load(batch_variable_prefix.data()) && name[8] == '_';
    } else if (word & swar::high) {
      batch = fold_prefix(name, batch_variable_prefix, false) != std::string_view::npos;
    } else {
      batch = swar::ascii_upper_word(word) == swar::load(batch_variable_prefix.data()) && name[8] == '_';
    }
    if (batch) return variable_role::path;
  }
  if (scope.rule == env_rule::article_literal) return variable_role::other;
  static_assert(home_variable[0] == 'H' && pwd_variable[0] == 'P' && path_variable[0] == 'P', "dispatch on H and P");
  if (first == 'H') return name_is(name, home_variable, os) ? variable_role::path : variable_role::other;
  if (first != 'P') return variable_role::other;
  if (name_is(name, pwd_variable, os)) return variable_role::path;
  if (name_is(name, path_variable, os)) return variable_role::path_list;
  return variable_role::other;
}

// The OS as a compile-time constant, so that each OS gets its own compiled copy of the
// per-variable code.
template <node_os OS>
using os_constant = std::integral_constant<node_os, OS>;

// Calls f(os_constant) for the scope's OS: the one place the per-variable code turns the
// runtime OS into a constant.
template <class F>
BATCHMOUNT_ALWAYS_INLINE inline decltype(auto) with_os(node_os os, F&& f) {
  if (os == node_os::windows_node) return f(os_constant<node_os::windows_node>{});
  return f(os_constant<node_os::linux_node>{});
}

// Why a variable could not be decided (none: it was).
enum class env_failure : unsigned char { none, invalid_name, invalid_value, buffer_too_small };

// decide_into for a path list (PATH): sets d's action, reason and path, and leaves a
// rewritten list at `mark` in the arena.
template <class Os>
inline env_failure decide_path_list(const env_scope& scope, env_var_view var, arena& into, bool fast,
                                    env_decision_view& d, std::size_t mark, Os os) noexcept {
  // Entries inside unmounted data paths are dropped, the others kept in order (and
  // rewritten on Windows); with none left the variable is removed. A first pass only
  // locates: a list that keeps every entry as written (the usual PATH, outside the
  // node root) is kept without writing anything.
  const char sep = list_separator(os);
  const bool rewrites = !row(os).container_drive.empty();
  bool unchanged = true;
  d.reason = env_reason::path_list;
  // A list that cannot name anything under the root is kept as it is.
  if (fast && !may_name_root(var.value, scope, os)) return env_failure::none;
  for_each_entry(var.value, sep, [&](std::string_view entry) {
    if (!unchanged) return;
    const location at = locate(scope, entry, into, fast, os);
    into.rewind(mark);
    unchanged = at.reason != env_reason::inside_unmounted_path && !(rewrites && under_root(at.reason));
  });
  if (into.overflowed()) return env_failure::buffer_too_small;
  if (unchanged) return env_failure::none;
  std::size_t kept = 0;
  bool changed = false;
  for_each_entry(var.value, sep, [&](std::string_view entry) {
    const std::size_t entry_mark = into.mark();
    if (kept > 0) into.put(sep);
    const std::size_t body = into.mark();
    const location at = locate(scope, entry, into, fast, os);
    if (at.reason == env_reason::inside_unmounted_path) {
      if (!d.path) d.path = all_data_paths[*at.holder];
      d.reason = env_reason::path_entries_removed;
      changed = true;
      into.rewind(entry_mark);
      return;
    }
    changed |= container_value_at(at, entry, os, body, into) != entry;
    ++kept;
  });
  if (into.overflowed()) return env_failure::buffer_too_small;
  if (kept == 0) {
    d.action = env_action::removed;
    d.container_value = {};
  } else if (changed) {
    d.action = env_action::rewritten;
    d.container_value = into.since(mark);
  }
  return env_failure::none;
}

// The one decision procedure. Checks the name and value (empty, '=' or NUL in the name; NUL
// in the value) and decides into `d`; scratch and rewritten values go to the arena. No error
// object is built here: the caller builds one only for a failure. `fast` false skips every
// shortcut and canonicalizes each value (tests check that both decide alike).
// Instantiated once per OS (`os` an os_constant): every test of the OS in the procedure and
// the helpers it calls is then a constant, so the per-byte and per-word work of one OS
// carries no test for the other.
template <class Os>
BATCHMOUNT_ALWAYS_INLINE inline env_failure decide_into(const env_scope& scope, env_var_view var, arena& into, bool fast, env_decision_view& d,
                               Os os) noexcept {
  if (var.name.empty() || swar::holds_any<'=', '\0'>(var.name)) return env_failure::invalid_name;
  if (swar::holds_any<'\0'>(var.value)) return env_failure::invalid_value;
  d = {var.name, var.value, var.value, env_action::kept, env_reason::not_batch_variable, std::nullopt};
  const std::size_t mark = into.mark();

  switch (role_of(var.name, scope, os)) {
    case variable_role::path: {
      const location at = locate(scope, var.value, into, fast, os);
      if (into.overflowed()) return env_failure::buffer_too_small;
      d.reason = at.reason;
      if (at.holder) d.path = all_data_paths[*at.holder];
      if (at.reason == env_reason::inside_unmounted_path) {
        d.action = env_action::removed;
        d.container_value = {};
      } else if (under_root(at.reason) && !row(os).container_drive.empty()) {
        d.container_value = container_value_at(at, var.value, os, mark, into);
        if (into.overflowed()) return env_failure::buffer_too_small;
        if (d.container_value != d.host_value) d.action = env_action::rewritten;
        return env_failure::none;
      }
      break;
    }
    case variable_role::path_list: {
      const env_failure failure = decide_path_list(scope, var, into, fast, d, mark, os);
      if (failure != env_failure::none || d.action == env_action::rewritten) return failure;
      break;
    }
    case variable_role::other: {
      // Kept unchanged whatever it names; naming an unmounted data path earns a warning (a
      // value that cannot name anything under the root is decided at once).
      if (fast && !may_name_root(var.value, scope, os)) break;
      const auto check = [&](std::string_view text) {
        if (d.path) return;
        const location at = locate(scope, text, into, fast, os);
        into.rewind(mark);
        if (at.reason == env_reason::inside_unmounted_path) {
          d.reason = env_reason::names_unmounted_path;
          d.path = all_data_paths[*at.holder];
        }
      };
      check(var.value);
      if (var.value.find(list_separator(os)) != std::string_view::npos)
        for_each_entry(var.value, list_separator(os), check);
      if (into.overflowed()) return env_failure::buffer_too_small;
      break;
    }
  }
  into.rewind(mark);  // whatever was written was scratch
  return env_failure::none;
}

// The error for a failed decision of variable `index`.
inline error env_error(env_failure failure, env_var_view var, std::size_t index) noexcept {
  switch (failure) {
    case env_failure::invalid_name: return error(error_code::invalid_environment_name, var.name, index);
    case env_failure::invalid_value: return error(error_code::invalid_environment_value, var.value, index);
    default: return error(error_code::buffer_too_small, var.name, index);
  }
}

// Why `template <int = 0>` stands before the functions below: a template's body is compiled
// only in a file that calls it, so including the umbrella does not compile the decision
// procedure for both OSes (a measured part of the include's cost). It changes nothing for a
// caller: `filter_environment(...)` is called as written, and its address is taken as any
// overload's, by the target type (`test_environment.cpp` does both).

// decide_into for the scope's OS.
template <int = 0>
inline env_failure decide_into(const env_scope& scope, env_var_view var, arena& into, bool fast,
                               env_decision_view& d) noexcept {
  return with_os(scope.os, [&](auto os) { return decide_into(scope, var, into, fast, d, os); });
}

// decide_into as a result (tests and fuzz targets).
template <int = 0>
inline result<env_decision_view> decide(const env_scope& scope, env_var_view var, std::size_t index, arena& into,
                                        bool fast = true) noexcept {
  env_decision_view d;
  const env_failure failure = decide_into(scope, var, into, fast, d);
  if (failure != env_failure::none) return env_error(failure, var, index);
  return d;
}
}  // namespace detail

}  // namespace v1
}  // namespace batchmount

#endif
