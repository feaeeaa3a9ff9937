#ifndef BATCHMOUNT_ENVIRONMENT_LOCATE_HPP
#define BATCHMOUNT_ENVIRONMENT_LOCATE_HPP

// Where one environment value points: not a path, outside the node root, or inside which
// data path (internal to the environment stage; decide.hpp asks it).

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <optional>
#include <string_view>

#include "batchmount/detail/arena.hpp"
#include "batchmount/detail/ascii.hpp"
#include "batchmount/detail/path.hpp"
#include "batchmount/environment/names.hpp"
#include "batchmount/environment/scope.hpp"
#include "batchmount/environment/types.hpp"
#include "batchmount/tables.hpp"

namespace batchmount {
inline namespace v1 {
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

// The one containment procedure for environment values. `fast` false always takes the
// exact procedure, which canonicalizes the value (tests and a fuzz target check that both
// decide alike).
template <class Os>
inline location locate_path(const env_scope& scope, std::string_view value, arena& into, bool fast, Os os) noexcept {
  location at;
  at.canonical = value;
  const std::string_view root = scope.node_root;
  if (fast && scope.tails_match_root && value == root) {
    // The node root itself, byte for byte: canonical, and in no data path (each directory
    // is the root, a separator and more: tails_match_root).
    at.in_place = true;
    return with_reason(scope, at);
  }
  if (fast && scope.directories_apart && value.size() >= scope.shortest_directory) {
    // A shortcut for a value that starts with a data path's directory byte for byte (as a
    // node agent sets them), then ends or goes on with a separator and clean components: it
    // is already canonical there (on Windows but for '/' and case after the directory) and
    // lies in that data path, which the exact procedure below would also find
    // (directories_apart). Comparing each directory's last eight bytes first rules most
    // directories out at once.
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
      if (is_separator(value[n], os)) break;  // inside it, but not clean: decided below
    }
  }
  if (fast && clean_absolute(value, os) && !within(value, root, os)) {
    // Already canonical and not under the root: outside it (/usr/bin). Canonicalizing would
    // only copy it to find the same components.
    at.reason = env_reason::outside_node_root;
    return at;
  }
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
  return with_reason(scope, at);
}

// Whether a located value lies under the node root (and so has a container path).
constexpr bool under_root(env_reason reason) noexcept {
  return reason != env_reason::not_a_path && reason != env_reason::outside_node_root;
}

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
//   which keeps C:\Windows from being canonicalized).
// Written at the arena's end; the canonicalization then reads it.
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
  const auto sep = [](char c) { return is_separator(c, node_os::windows_node); };
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
  const auto sep = [](char c) { return is_separator(c, node_os::windows_node); };
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
}  // namespace detail

}  // namespace v1
}  // namespace batchmount

#endif
