#ifndef BATCHMOUNT_ENVIRONMENT_HPP
#define BATCHMOUNT_ENVIRONMENT_HPP

// Stage 4: the container's environment. The isolation invariant: nothing in the container's
// environment names a host directory the container cannot see. Every AZ_BATCH_* variable,
// HOME and PWD whose value is a path inside an unmounted data path's directory is removed;
// PATH loses the entries inside unmounted data paths; path values that stay are rewritten
// to container paths (Windows). Any other variable that names a path inside an unmounted
// data path is kept unchanged, with a warning. Each decision keeps the host and the
// container value and says why.

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
  // The fast road's matchers, built once per filtering: the root and each data path
  // directory past the root and the separator after it ("shared", "workitems/job/job-1/task1";
  // empty: none). On Windows, when root and directories are ASCII and fit, they are stored
  // folded (upper case, '\' separators), so a comparison folds only the value's side.
  std::string_view match_root;
  std::array<std::string_view, data_path_count> directory_tails{};
  bool prefolded = false;
  // Whether every data path directory is the root, a separator and more, byte for byte (as a
  // context builds them); a hand-built resolution that breaks this takes the canonicalizing
  // road for every value.
  bool tails_match_root = true;
  // Whether a value that starts with a data path's directory byte for byte, at a
  // component boundary, is held by the first such data path, as the road through the root
  // and the tails would find (see tails_apart; true for every context's directories).
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
  // The matchers may view the scope's own storage: a copy builds its own.
  env_scope(const env_scope& other) noexcept
      : os(other.os), rule(other.rule), node_root(other.node_root), whole_root(other.whole_root),
        states(other.states), host_directories(other.host_directories), root_tail(other.root_tail) {
    build_matchers();
  }
  env_scope& operator=(const env_scope& other) noexcept {
    if (this != &other) {
      os = other.os;
      rule = other.rule;
      node_root = other.node_root;
      whole_root = other.whole_root;
      states = other.states;
      host_directories = other.host_directories;
      root_tail = other.root_tail;
      directory_tails = {};
      prefolded = false;
      tails_match_root = true;
      build_matchers();
    }
    return *this;
  }

  // Whether the root ends in a separator: only a filesystem root ("/", "X:\"), which contexts
  // refuse, but a hand-built resolution may hold one.
  bool root_has_separator() const noexcept {
    return !node_root.empty() && (node_root.back() == '/' || (os == node_os::windows_node && node_root.back() == '\\'));
  }

 private:
  static constexpr std::size_t folded_capacity = 512;
  char folded_[folded_capacity];  // written before read, by build_matchers

  void build_matchers() noexcept {
    match_root = node_root;
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
    if (os == node_os::windows_node) prefold();
    shortest_directory = std::string_view::npos;
    for (const std::string_view dir : host_directories)
      if (!dir.empty()) shortest_directory = std::min(shortest_directory, dir.size());
    directories_apart = tails_match_root && tails_apart();
  }

  // Linux: every tail starts with a component (the road below then matches exactly the
  // tails holder_of_tail would, in the same order, as a byte prefix ending at a separator
  // is what a component-wise match is there). Windows also: the tails are folded, and no
  // two that differ match each other component-wise, so a value held by one under folding
  // is held by no other (only the first byte of two tails with the same first byte needs a
  // closer look).
  bool tails_apart() const noexcept {
    for (const std::string_view tail : directory_tails)
      if (!tail.empty() && detail::is_separator(tail[0], os)) return false;
    if (os == node_os::linux_node) return true;
    if (!prefolded) return false;
    for (std::size_t i = 0; i < data_path_count; ++i)
      for (std::size_t j = i + 1; j < data_path_count; ++j) {
        const std::string_view a = directory_tails[i], b = directory_tails[j];
        if (a.empty() || b.empty() || a[0] != b[0] || host_directories[i] == host_directories[j]) continue;
        // Folded text folds to itself: matching under folding is matching bytes, and the
        // shorter tail is the other's first components when it is its prefix before a '\\' (or
        // ends in one).
        const std::string_view shorter = a.size() < b.size() ? a : b, longer = a.size() < b.size() ? b : a;
        if (longer.substr(0, shorter.size()) == shorter &&
            (longer.size() == shorter.size() || longer[shorter.size()] == '\\' || shorter.back() == '\\'))
          return false;
      }
    return true;
  }

  // Folds the root and the tails into folded_, or leaves them as they are when a byte is not
  // ASCII (folding may then change lengths) or they do not fit.
  void prefold() noexcept {
    // Copied side by side, then folded in one pass (ASCII only: the upper case of an ASCII
    // word is exact; a byte past ASCII leaves everything as it is).
    namespace swar = detail::swar;
    std::size_t used = 0;
    const auto place = [&](std::string_view& text) {
      if (used + text.size() > folded_capacity) return false;
      if (!text.empty()) std::memcpy(folded_ + used, text.data(), text.size());
      text = std::string_view(folded_ + used, text.size());
      used += text.size();
      return true;
    };
    std::string_view root = match_root;
    std::array<std::string_view, data_path_count> tails = directory_tails;
    bool ok = place(root);
    for (auto& tail : tails) ok = ok && place(tail);
    const std::string_view all(folded_, used);
    if (!ok || swar::any_word<8>(all, 'a', [](std::uint64_t w) { return (w & swar::high) != 0; })) return;
    swar::copy_folded_ascii(folded_, folded_, used);
    match_root = root;
    directory_tails = tails;
    prefolded = true;
  }
};

namespace detail {
// Where one value points: not a path, outside the node root, or under it (in which data
// path's directory, if any). `canonical` is the value in canonical shape: the value itself
// when `in_place` (Windows: '/' and case still as written), else a canonical copy at the
// arena mark the caller took.
struct location {
  env_reason reason = env_reason::not_a_path;
  std::optional<std::size_t> holder;  // index of the data path directory holding the value
  std::string_view canonical;
  bool in_place = false;
};

// Whether `text` is an absolute path in canonical shape (but for Windows' '/' and case):
// "/" or "X:\" followed by clean components.
template <class Os>
inline bool clean_absolute(std::string_view text, Os os) noexcept {
  const std::size_t r = root_length(os);
  if (text.size() < r || !is_separator(text[r - 1], os)) return false;
  if (os == node_os::windows_node && !(is_ascii_alpha(text[0]) && text[1] == ':')) return false;
  return text.size() == r || (!is_separator(text[r], os) && clean_components(text, r, os));
}

// Whether `text` starts as the canonicalization reads an absolute path: Linux "/", Windows
// "X:" and a separator, or two separators (a device or UNC prefix).
template <class Os>
constexpr bool starts_absolute(std::string_view text, Os os) noexcept {
  if (os == node_os::linux_node) return !text.empty() && text[0] == '/';
  return (text.size() >= 3 && is_ascii_alpha(text[0]) && text[1] == ':' && is_separator(text[2], os)) ||
         (text.size() >= 2 && is_separator(text[0], os) && is_separator(text[1], os));
}

// The first data path whose directory tail `rest` (what follows the root and its separator)
// starts with, component-wise, and how many bytes of `rest` matched it.
struct tail_match {
  std::optional<std::size_t> holder;
  std::size_t matched = 0;
};
template <class Os>
BATCHMOUNT_ALWAYS_INLINE inline tail_match holder_of_tail(const env_scope& scope, std::string_view rest, Os os) noexcept {
  for (std::size_t i = 0; i < data_path_count; ++i) {
    const std::string_view tail = scope.directory_tails[i];
    if (tail.empty() || tail.size() > rest.size()) continue;
    // A first byte that differs rules the tail out without a call; on Windows only when both
    // are ASCII, as NTFS folding maps some other characters to ASCII ones ('ı' to 'I').
    const auto r0 = static_cast<unsigned char>(rest[0]), t0 = static_cast<unsigned char>(tail[0]);
    if (os == node_os::linux_node ? r0 != t0 : (r0 < 0x80 && t0 < 0x80 && ascii_upper(rest[0]) != ascii_upper(tail[0])))
      continue;
    const std::size_t matched = match_components(rest, tail, os, scope.prefolded);
    if (matched != std::string_view::npos) return {i, matched};  // directories never nest (two names of one decide alike)
  }
  return {};
}

// The reason for a value under the node root, from the data path holding it (if any).
inline location with_reason(const env_scope& scope, location at) noexcept {
  at.reason = scope.whole_root ? env_reason::inside_whole_root : env_reason::inside_node_root;
  if (at.holder) {
    const selection state = scope.states[*at.holder];
    if (state == selection::not_selected) at.reason = env_reason::inside_unmounted_path;
    else if (state == selection::selected) at.reason = env_reason::inside_mounted_path;
  }
  return at;
}

// The one containment procedure for environment values. `fast` false forces the
// canonicalizing road (tests and a fuzz target prove both roads decide alike).
// (locate asks its first question where it is called.)
template <class Os>
inline location locate_path(const env_scope& scope, std::string_view value, arena& into, bool fast, Os os) noexcept {
  location at;
  at.canonical = value;
  const std::string_view root = scope.node_root;
  if (fast && scope.directories_apart && value.size() >= scope.shortest_directory) {
    // The direct road: a value that starts with a data path's directory byte for byte (as
    // a node agent sets them), then ends or goes on with a separator and clean components,
    // is in place and held by the first such data path: the road below would match the root
    // and then that directory's tail (equal bytes are equal under folding too), and no tail
    // before it (directories_apart). A directory's last word, compared first, rules most out
    // at once.
    for (std::size_t i = 0; i < data_path_count; ++i) {
      const std::string_view dir = scope.host_directories[i];
      const std::size_t n = dir.size();
      if (n == 0 || value.size() < n) continue;
      if (n >= 8 && swar::load(value.data() + n - 8) != swar::load(dir.data() + n - 8)) continue;
      if (!swar::equal(value.data(), dir.data(), n)) continue;
      if (value.size() == n ||
          (is_separator(value[n], os) && value.size() > n + 1 && !is_separator(value[n + 1], os) &&
           clean_components(value, n + 1, os))) {
        at.in_place = true;
        at.holder = i;
        return with_reason(scope, at);
      }
      if (is_separator(value[n], os)) break;  // inside it, but not clean: the road below decides
    }
  }
  const std::size_t matched = fast ? match_components(value, scope.match_root, os, scope.prefolded) : std::string_view::npos;
  if (matched != std::string_view::npos) {
    // The fast road, for a value that starts with the node root as written in the context
    // and is clean after it (the usual case): compare where it stands, against the tails
    // built once in the scope. Any doubt takes the canonicalizing road below. The root and
    // a data path's tail are canonical and what matched them is equal to them byte for byte
    // (on Windows under folding, which maps '.', ' ', ':' and separators only to
    // themselves and separators), so only what follows the matched tail needs the check
    // for cleanliness: no second separator after the one that ends the tail, and no empty,
    // "." or ".." component (on Windows no ':' or trailing dot or space) after it.
    std::string_view rest = value.substr(matched);
    if (!rest.empty() && !scope.root_has_separator()) rest.remove_prefix(1);  // the one separator
    if (value.size() == matched) {
      at.in_place = true;
    } else if (!rest.empty() && !is_separator(rest.front(), os)) {
      const tail_match held = holder_of_tail(scope, rest, os);
      const std::string_view after = rest.substr(held.matched);  // empty, or a separator and more
      if (held.holder ? after.empty() || (after.size() > 1 && !is_separator(after[1], os) && clean_components(after, 1, os))
                      : clean_components(rest, 0, os)) {
        at.in_place = true;
        at.holder = held.holder;
      }
    }
  } else if (fast && clean_absolute(value, os)) {
    // Already in canonical shape and not starting with the root: outside it. The
    // canonicalizing road would copy it only to find the same components (/usr/bin).
    at.reason = env_reason::outside_node_root;
    return at;
  }
  if (!at.in_place) {
    const auto written = canonical_path(value, os, parent_references::resolve, into);
    if (!written) return at;  // not_a_path (or an overflow the caller sees)
    at.canonical = *written;
    if (!within(at.canonical, root, os)) {
      at.reason = env_reason::outside_node_root;
      return at;
    }
    for (std::size_t i = 0; i < data_path_count; ++i)
      if (!scope.host_directories[i].empty() && within(at.canonical, scope.host_directories[i], os)) {
        at.holder = i;
        break;  // data path directories never nest (two names of one are decided alike)
      }
  }
  return with_reason(scope, at);
}

// Whether a located value lies under the node root (and so has a container path).
constexpr bool under_root(env_reason reason) noexcept {
  return reason != env_reason::not_a_path && reason != env_reason::outside_node_root;
}

template <class Os>
inline bool mentions(std::string_view text, std::string_view word, Os os) noexcept;  // below

// Windows spellings of a node path that do not start with the host root's drive, written
// here as the plain drive path they name (decision 31), or nullopt for a value spelled
// plainly (the usual case):
// - double quotes are dropped (cmd.exe and the search of PATH ignore them in an entry);
// - a UNC path to an administrative share, `\\server\D$\rest` or `\\?\UNC\server\D$\rest`,
//   names `D:\rest` (any server: the node's own name is not known here, and reading another
//   machine's share as this one's can only remove or warn more);
// - a rooted path without a drive, `\rest`, is on the current drive, which in the container is
//   its C:: it names the container path `C:\rest`, whose host path has the root's drive;
// - a path on the container's drive under the node root's container path (`C:\batch\tasks\x`
//   for a root `D:\batch\tasks`) names the container path of the host's `D:\batch\tasks\x` (a
//   value on C: without the root's last component cannot be under it and is left as it is,
//   which keeps C:\Windows off the canonicalizing road).
// Written at the arena's end; the canonicalizing road then reads it.
// The spellings every Windows reader shares (environment filtering and verify): the value
// without double quotes and, where it is a UNC path to an administrative share or a path
// rooted without a drive (on `current_drive`), the plain drive path; written at the arena's
// end when anything changed.
struct windows_spelling {
  std::string_view text;
  bool unquoted = false;  // quotes were dropped
  bool mapped = false;    // a UNC share or a drive-less path became a drive path
};
inline windows_spelling windows_drive_spelling(std::string_view value, char current_drive, arena& into) noexcept {
  const auto sep = [](char c) { return c == '\\' || c == '/'; };
  windows_spelling out{value};
  if (value.find('"') != std::string_view::npos) {
    const std::size_t start = into.mark();
    for (const char c : value)
      if (c != '"') into.put(c);
    out = {into.since(start), true, false};
  }
  const std::string_view t = out.text;
  const std::size_t start = into.mark();
  const auto as_drive_path = [&](char drive, std::string_view rest) {
    into.put(drive);
    into.put(":\\");
    into.put(rest);
    return windows_spelling{into.since(start), out.unquoted, true};
  };
  std::string_view unc;  // what follows a UNC path's leading "\\" (or "\\?\UNC\")
  const bool two = t.size() >= 2 && sep(t[0]) && sep(t[1]);
  if (two && t.size() >= 8 && t[2] == '?' && sep(t[3]) && iequals(t.substr(4, 3), "UNC") && sep(t[7])) {
    unc = t.substr(8);
  } else if (two && !(t.size() >= 4 && (t[2] == '?' || t[2] == '.') && sep(t[3]))) {
    unc = t.substr(2);
  }
  if (!unc.empty()) {
    std::size_t server_end = 0;
    while (server_end < unc.size() && !sep(unc[server_end])) ++server_end;
    const std::string_view share = unc.substr(std::min(server_end + 1, unc.size()), 2);
    const std::size_t rest = server_end + 3;
    if (server_end > 0 && share.size() == 2 && is_ascii_alpha(share[0]) && share[1] == '$' &&
        (rest >= unc.size() || sep(unc[rest])))
      return as_drive_path(share[0], rest < unc.size() ? unc.substr(rest + 1) : std::string_view());
  } else if (!t.empty() && sep(t[0]) && !two) {
    return as_drive_path(current_drive, t.substr(1));
  }
  return out;
}

template <class Os>
inline std::optional<std::string_view> windows_respelling(std::string_view value, const env_scope& scope, arena& into,
                                                          Os os) noexcept {
  const std::string_view root = scope.node_root;  // canonical: "X:\..."
  const windows_spelling plain = windows_drive_spelling(value, root[0], into);
  if (plain.mapped) return plain.text;
  const std::string_view t = plain.text;
  const std::string_view container_drive = row(node_os::windows_node).container_drive;  // "C:"
  const auto sep = [](char c) { return c == '\\' || c == '/'; };
  if (t.size() >= 3 && ascii_upper(t[0]) == ascii_upper(container_drive[0]) && t[1] == ':' && sep(t[2]) &&
      ascii_upper(root[0]) != ascii_upper(container_drive[0]) && mentions(t, scope.root_tail, os)) {
    const std::size_t start = into.mark();
    into.put(root[0]);
    into.put(t.substr(1));
    return into.since(start);
  }
  if (plain.unquoted) return t;
  return std::nullopt;
}

// locate_path, with its first question asked inline: a value that does not start like an
// absolute path ("/", "X:\", or Windows' "\\") is not one, as the canonicalization reads
// nothing else as a path (most values: "C.UTF-8", "true").
template <class Os>
BATCHMOUNT_ALWAYS_INLINE inline location locate(const env_scope& scope, std::string_view value, arena& into, bool fast,
                                                Os os) noexcept {
  if (os == node_os::windows_node) {
    const std::size_t start = into.mark();
    if (const auto plain = windows_respelling(value, scope, into, os)) {
      // The plain spelling, canonicalized; the canonical copy is then moved to where the
      // caller's mark stands, as locate_path leaves it.
      location at = locate_path(scope, *plain, into, false, os);
      if (into.overflowed()) return at;
      if (under_root(at.reason)) {
        std::memmove(into.at(start), at.canonical.data(), at.canonical.size());
        into.rewind(start + at.canonical.size());
        at.canonical = into.since(start);
      }
      return at;
    }
  }
  fast = fast && scope.tails_match_root;
  if (fast && !starts_absolute(value, os)) return {env_reason::not_a_path, std::nullopt, value, false};
  return locate_path(scope, value, into, fast, os);
}


// The container value of a located value under the node root, written at `mark` (where a
// canonical copy may already stand): Linux mounts each path at the same place, so the value
// is kept as written; Windows takes the canonical value with the container drive.
template <class Os>
inline std::string_view container_value_at(const location& at, std::string_view value, Os os, std::size_t mark,
                                           arena& into) noexcept {
  const auto drive = row(os).container_drive;
  if (drive.empty() || !under_root(at.reason)) {
    into.rewind(mark);
    into.put(value);
    return into.since(mark);
  }
  if (at.in_place) {  // copied with '\\' for '/' in one pass
    into.rewind(mark);
    char* out = into.grow(at.canonical.size());
    if (!out) return {};
    swar::copy_backslashed(out, at.canonical.data(), at.canonical.size());
  }
  std::memcpy(into.at(mark), drive.data(), drive.size());
  return into.since(mark);
}

// A name as the OS compares it: case-insensitively (NTFS folding) on Windows.
// (`wanted` is ASCII: an ASCII name compares as ASCII, case-insensitively.)
template <class Os>
inline bool name_is(std::string_view name, std::string_view wanted, Os os) noexcept {
  if (os == node_os::linux_node) return name.size() == wanted.size() && swar::equal(name.data(), wanted.data(), name.size());
  for (const char c : name)
    if (static_cast<unsigned char>(c) >= 0x80) return fold_equal(name, wanted);
  return iequals(name, wanted);
}

// The separator of path lists (PATH and the like): ':' on Linux, ';' on Windows.
constexpr char list_separator(node_os os) noexcept { return os == node_os::windows_node ? ';' : ':'; }

// Whether `text` holds `word` somewhere, as the OS compares names. An empty word: true (the
// caller then looks closer, which is never wrong).
template <class Os>
inline bool mentions(std::string_view text, std::string_view word, Os os) noexcept {
  if (word.empty()) return true;
  if (os == node_os::linux_node) {
    // string_view::find, with the second byte tested before a place is compared whole.
    if (word.size() < 2 || text.size() < word.size()) return text.find(word) != std::string_view::npos;
    const char* at = text.data();
    const char* const last = text.data() + (text.size() - word.size());  // the last place the word fits
    while ((at = static_cast<const char*>(std::memchr(at, word[0], static_cast<std::size_t>(last - at) + 1)))) {
      if (at[1] == word[1] && std::memcmp(at, word.data(), word.size()) == 0) return true;
      if (at++ == last) break;
    }
    return false;
  }
  const auto ascii = [](char c) { return static_cast<unsigned char>(c) < 0x80; };
  const char first = ascii_upper(word[0]);
  const char second = word.size() > 1 ? ascii_upper(word[1]) : '\0';
  const auto starts_at = [&](std::size_t i) {
    // An ASCII byte folds only to itself upper-cased: skip where it cannot start the word,
    // or where an ASCII first byte is followed by one that cannot continue it.
    if (ascii(text[i])) {
      if (ascii(first) && ascii_upper(text[i]) != first) return false;
      if (word.size() > 1 && i + 1 < text.size() && ascii(text[i + 1]) && ascii(second) &&
          ascii_upper(text[i + 1]) != second)
        return false;
    }
    return fold_prefix(text.substr(i), word, false) != std::string_view::npos;
  };
  // An ASCII word starts no later than its length before the end: every character that
  // folds to an ASCII one takes at least a byte (only a word's own bytes past ASCII, as 'ſ'
  // for S, may stand for text shorter than they are).
  std::size_t places = text.size();
  if (std::all_of(word.begin(), word.end(), ascii)) places = text.size() < word.size() ? 0 : text.size() - word.size() + 1;
  std::size_t i = 0;
  if (ascii(first)) {
    // Eight starting places at a time: the word at i and the word at i + 1 hold each place's
    // byte and the byte after it at the same byte index, so in ASCII words, upper-cased, one
    // test per word marks the places the byte test above lets through. Only a word with a
    // mark, or with a byte past ASCII, is looked at place by place.
    const bool pair = word.size() > 1 && ascii(second);
    for (; i + 8 <= places && i + 9 <= text.size(); i += 8) {
      const std::uint64_t here = swar::load(text.data() + i), next = swar::load(text.data() + i + 1);
      bool look = true;
      if (!((here | next) & swar::high))
        look = (swar::equal_bytes(swar::ascii_upper_word(here), first) &
                (pair ? swar::equal_bytes(swar::ascii_upper_word(next), second) : ~std::uint64_t{0})) != 0;
      if (look)
        for (std::size_t j = i; j < i + 8; ++j)
          if (starts_at(j)) return true;
    }
  }
  for (; i < places; ++i)
    if (starts_at(i)) return true;
  return false;
}

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
    const std::size_t special = value.find_first_of(":\\/\"");
    if (special == std::string_view::npos) return false;
    // Quotes are dropped before a value is read as a path ("D:\ta"sks"): they can join text
    // into the root's last component, so a value holding one is looked at closely.
    if (value.find('"', special) != std::string_view::npos) return true;
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

// The OS as a compile-time constant, for the instantiations of the hot road.
template <node_os OS>
using os_constant = std::integral_constant<node_os, OS>;

// Calls f(os_constant) for the scope's OS: the one place the hot road leaves the runtime OS.
template <class F>
BATCHMOUNT_ALWAYS_INLINE inline decltype(auto) with_os(node_os os, F&& f) {
  if (os == node_os::windows_node) return f(os_constant<node_os::windows_node>{});
  return f(os_constant<node_os::linux_node>{});
}

// Why a variable could not be decided (none: it was).
enum class env_failure : unsigned char { none, invalid_name, invalid_value, buffer_too_small };

// The one decision procedure. Checks the name and value (empty, '=' or NUL in the name; NUL
// in the value) and decides into `d`; scratch and rewritten values go to the arena. No error
// object is built here: the caller builds one only for a failure. `fast` false forces the
// canonicalizing road (tests compare the two).
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
      // Entries inside unmounted data paths are dropped, the others kept in order (and
      // rewritten on Windows); with none left the variable is removed. A first pass only
      // locates: a list that keeps every entry as written (the usual PATH, outside the
      // node root) is kept without writing anything.
      const char sep = list_separator(os);
      const bool rewrites = !row(os).container_drive.empty();
      bool unchanged = true;
      d.reason = env_reason::path_list;
      // A list that cannot name anything under the root is kept as it is.
      if (fast && !may_name_root(var.value, scope, os)) break;
      for_each_entry(var.value, sep, [&](std::string_view entry) {
        if (!unchanged) return;
        const location at = locate(scope, entry, into, fast, os);
        into.rewind(mark);
        unchanged = at.reason != env_reason::inside_unmounted_path && !(rewrites && under_root(at.reason));
      });
      if (into.overflowed()) return env_failure::buffer_too_small;
      if (unchanged) break;
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
        return env_failure::none;
      }
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

// Filters `count` host variables into `out` (room for `capacity` decisions), scratch and
// rewritten values in `into`: no allocation. Returns the number of decisions, or the first
// variable's error (with its index), or buffer_too_small when `capacity` is less than `count`
// or `into` runs out (on Windows give `into` at least four times the longest value).
template <int = 0>
inline result<std::size_t> filter_environment(const resolution_view& r, const env_var_view* host, std::size_t count,
                                              env_decision_view* out, std::size_t capacity, arena& into,
                                              env_rule rule = env_rule::isolation_invariant) noexcept {
  if (capacity < count) return error(error_code::buffer_too_small, "");
  const env_scope scope(r, rule);
  return detail::with_os(scope.os, [&](auto os) -> result<std::size_t> {
    for (std::size_t i = 0; i < count; ++i) {
      const auto failure = detail::decide_into(scope, host[i], into, true, out[i], os);
      if (failure != detail::env_failure::none) return detail::env_error(failure, host[i], i);
    }
    return count;
  });
}

// Filters a task's host environment for its container. Fails with
// invalid_environment_name (empty, '=' or NUL) or invalid_environment_value (NUL), naming
// the variable's index.
template <int = 0>
inline result<container_environment> filter_environment(const resolution& r, const std::vector<env_var>& host,
                                                       env_rule rule = env_rule::isolation_invariant) {
  const env_scope scope(r, rule);
  container_environment out;
  out.decisions.reserve(host.size());
  std::string scratch;
  for (std::size_t i = 0; i < host.size(); ++i) {
    const env_var& var = host[i];
    // A path list's kept entries plus one entry's scratch: on Windows its copy without quotes,
    // its plain spelling (two bytes longer at most) and that spelling's canonical copy.
    if (scratch.size() < 4 * var.value.size() + 8) scratch.resize(4 * var.value.size() + 8);
    arena into(&scratch[0], scratch.size());
    env_decision_view d;
    const auto failure = detail::decide_into(scope, {var.name, var.value}, into, true, d);
    if (failure != detail::env_failure::none) return detail::env_error(failure, {var.name, var.value}, i);
    out.decisions.push_back({var.name, var.value, std::string(d.container_value), d.action, d.reason, d.path});
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

// The environment the node agent sets for this kind of task in this context, so tests and
// simulators need not hand-write it (decision 12): every kind gets the node's directories,
// its own AZ_BATCH_TASK_DIR and AZ_BATCH_TASK_WORKING_DIR and (Linux) its certificates
// directory; all but the start task AZ_BATCH_JOB_ID and AZ_BATCH_TASK_ID; AZ_BATCH_JOB_PREP_*
// only where the job may have a job preparation task and the task is neither it nor the
// start task; multi-instance tasks AZ_BATCH_TASK_SHARED_DIR and the node-list variables
// (synthesized addresses 10.0.0.4 up: the primary on the first node, subtask n on node n);
// application packages; on Linux HOME and PWD (the working directory) and a PATH ending in
// the shared directory and the working directory. Application package folders follow the
// form a real node shows, the id in lower case followed by the version (the deployment
// time stamp a node appends is not known here). Linux names flatten '.', '-' and '#' to '_'
// and come lower-case and case-preserved; Windows names are AZ_BATCH_APP_PACKAGE_{id}#{version}.
// Fails with invalid_application_id or invalid_application_version (package index).
inline result<std::vector<env_var>> standard_environment(
    const node_context& context, const std::vector<application_package>& packages = {}) {
  const node_os os = context.os();
  const context_view& view = context.view();
  const task_kind_row& kind = row(context.kind());
  const char sep = row(os).separator;
  std::vector<env_var> out;
  const auto add = [&out](std::string_view name, std::string_view value) {
    out.push_back({std::string(name), std::string(value)});
  };
  const auto directories = [&](data_path path) {
    add(row(path).directory_variable, view.host_directory(path));
    add(row(path).working_directory_variable, view.host_working_directory(path));
  };
  add(node_root_variable, view.node_root);
  add(row(data_path::shared).directory_variable, view.host_directory(data_path::shared));
  directories(data_path::startup);
  add(row(data_path::vfs_mounts).directory_variable, view.host_directory(data_path::vfs_mounts));
  if (kind.gets_job_prep_variables && view.job_has_job_prep_task != false) directories(data_path::job_prep);
  const std::string_view working = view.host_working_directory(data_path::task);
  add(row(data_path::task).directory_variable, view.host_task_directory);
  add(row(data_path::task).working_directory_variable, working);
  if (kind.multi_instance) add("AZ_BATCH_TASK_SHARED_DIR", view.host_directory(data_path::task));
  if (os == node_os::linux_node) add("AZ_BATCH_CERTIFICATES_DIR", std::string(view.host_task_directory) + sep + "certs");
  if (kind.in_job) {
    add("AZ_BATCH_JOB_ID", view.job_id);
    add("AZ_BATCH_TASK_ID", view.task_id);
  }
  if (kind.multi_instance) {
    const std::uint32_t nodes = std::max<std::uint32_t>(2, view.subtask + 1);
    const auto address = [](std::uint32_t i) { return "10.0.0." + std::to_string(4 + i); };
    std::string hosts, node_list, ccp = std::to_string(nodes);
    for (std::uint32_t i = 0; i < nodes; ++i) {
      hosts += (i ? "," : "") + address(i);
      node_list += (i ? ";" : "") + address(i);
      (ccp += ' ' + address(i)) += " 1";
    }
    add("AZ_BATCH_HOST_LIST", hosts);
    add("AZ_BATCH_NODE_LIST", node_list);
    add("AZ_BATCH_MASTER_NODE", address(0) + ":6000");
    add("AZ_BATCH_IS_CURRENT_NODE_MASTER", view.subtask == 0 ? "true" : "false");
    add("CCP_NODES", ccp);
  }

  const std::string_view prefix = row(data_path::applications).variable_prefix;
  for (std::size_t i = 0; i < packages.size(); ++i) {
    const auto& package = packages[i];
    if (!is_valid_id(package.id))
      return error(error_code::invalid_application_id, package.id, i);
    if (package.version && !is_valid_application_version(*package.version))
      return error(error_code::invalid_application_version, *package.version, i);
    std::string folder(view.host_directory(data_path::applications));
    folder += sep;
    for (const char c : package.id) folder += detail::ascii_lower(c);
    folder += package.version.value_or("");
    std::string suffix(package.id);
    if (package.version) (suffix += '#') += *package.version;
    if (os == node_os::windows_node) {
      out.push_back({std::string(prefix) + suffix, std::move(folder)});
      continue;
    }
    std::string preserved(prefix), lower(prefix);
    for (const char c : suffix) {
      const char flat = (c == '.' || c == '-' || c == '#') ? '_' : c;
      preserved += flat;
      lower += detail::ascii_lower(flat);
    }
    out.push_back({lower, folder});
    if (preserved != lower) out.push_back({std::move(preserved), std::move(folder)});
  }
  if (os == node_os::linux_node) {
    add(home_variable, working);
    add(pwd_variable, working);
    std::string path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:";
    ((path += view.host_directory(data_path::shared)) += ':') += working;
    add(path_variable, path);
  }
  return out;
}

}  // namespace v1
}  // namespace batchmount

#endif
