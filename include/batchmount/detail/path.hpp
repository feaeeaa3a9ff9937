#ifndef BATCHMOUNT_DETAIL_PATH_HPP
#define BATCHMOUNT_DETAIL_PATH_HPP

// The one canonicalization of paths. Every comparison (containment, equality, nesting)
// goes through canonical forms and compares whole components. Resolution is lexical:
// symlinks are not followed (the node agent must open paths without following them).

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "batchmount/detail/arena.hpp"
#include "batchmount/detail/ascii.hpp"
#include "batchmount/detail/fold.hpp"
#include "batchmount/detail/swar.hpp"
#include "batchmount/result.hpp"
#include "batchmount/tables.hpp"

namespace batchmount {
inline namespace v1 {
namespace detail {

enum class parent_references : unsigned char {
  reject,   // node roots: '..' is an error
  resolve,  // environment values: '..' is applied lexically, as the value would be read
};

constexpr bool is_control(char c) noexcept {
  const auto byte = static_cast<unsigned char>(c);
  return byte < 0x20 || byte == 0x7f;
}

constexpr bool is_windows_forbidden(char c) noexcept {
  return is_control(c) || c == '<' || c == '>' || c == '"' || c == '|' || c == '?' ||
         c == '*' || c == ':';
}

// Length of the root part of a canonical path: "/" or "X:\".
constexpr std::size_t root_length(node_os os) noexcept {
  return os == node_os::windows_node ? 3 : 1;
}

constexpr bool is_separator(char c, node_os os) noexcept {
  return c == '/' || (os == node_os::windows_node && c == '\\');
}

template <class Os>
inline bool clean_components(std::string_view text, std::size_t start, Os os) noexcept;

// Whether `text` is already in the canonical form canonicalize_into would write, and passes
// the checks `policy` makes: "/" or an upper-case "X:\\", clean components (see
// clean_components), on Windows no '/', and for a node root no control character (on
// Windows none of <>"|?* either; clean components hold no ':').
inline bool already_canonical(std::string_view text, node_os os, parent_references policy) noexcept {
  const bool windows = os == node_os::windows_node;
  const std::size_t r = root_length(os);
  if (text.size() < r) return false;
  if (windows ? !(text[0] >= 'A' && text[0] <= 'Z' && text[1] == ':' && text[2] == '\\') : text[0] != '/') return false;
  if (text.size() == r) return true;
  if (is_separator(text[r], os) || !clean_components(text, r, os)) return false;
  const bool reject = policy == parent_references::reject;
  if (!windows && !reject) return true;
  return !swar::any_word(text.substr(r), 'a', [&](std::uint64_t w) {
    std::uint64_t doubtful = windows ? swar::has_byte(w, '/') : 0;
    if (reject) {
      doubtful |= swar::has_less(w, 0x20) | swar::has_byte(w, 0x7f);
      if (windows)
        doubtful |= swar::has_byte(w, '<') | swar::has_byte(w, '>') | swar::has_byte(w, '"') | swar::has_byte(w, '|') |
                    swar::has_byte(w, '?') | swar::has_byte(w, '*');
    }
    return doubtful != 0;
  });
}

// The canonical absolute form of `text`, written to `out` (room for text.size() + 1 bytes:
// canonicalization never lengthens a path); returns its length. Linux "/a/b", Windows
// "X:\a\b" with an upper-case drive; repeated and trailing separators folded; "." dropped;
// on Windows both separators accepted and a component's trailing dots and spaces dropped
// (as Win32 does). Fails with relative_node_root, node_root_parent_reference (policy
// reject) or invalid_node_root.
// `fast` false skips the copy of text already canonical (tests check that both give the
// same answer).
inline result<std::size_t> canonicalize_into(std::string_view text, node_os os, parent_references policy, char* out,
                                             bool fast = true) noexcept {
  // Text already canonical (a node root as usually written) is copied as it is: the loop
  // below would neither change nor refuse any of it.
  if (fast && already_canonical(text, os, policy)) {
    std::memcpy(out, text.data(), text.size());
    return text.size();
  }
  const bool windows = os == node_os::windows_node;
  std::size_t size = 0, pos = 0;
  if (windows) {
    const auto is_sep = [](char c) { return c == '\\' || c == '/'; };
    const bool device = text.size() >= 4 && is_sep(text[0]) && is_sep(text[1]) &&
                        (text[2] == '?' || text[2] == '.') && is_sep(text[3]);
    // A value "\\?\D:\x" names D:\x; a node root must be written plainly.
    if (device && policy == parent_references::resolve) text.remove_prefix(4);
    else if (text.size() >= 2 && is_sep(text[0]) && is_sep(text[1]))
      return error(error_code::invalid_node_root, text);  // UNC or device path
    // "D:" and "D:x" are relative to the drive's current directory.
    if (!(text.size() >= 3 && is_ascii_alpha(text[0]) && text[1] == ':' && is_sep(text[2])))
      return error(error_code::relative_node_root, text);
    out[size++] = ascii_upper(text[0]);
    out[size++] = ':';
    out[size++] = '\\';
    pos = 3;
  } else {
    if (text.empty() || text[0] != '/') return error(error_code::relative_node_root, text);
    out[size++] = '/';
    pos = 1;
  }
  const std::size_t root = size;
  const char sep = windows ? '\\' : '/';
  while (pos <= text.size()) {
    std::size_t end = pos;
    while (end < text.size() && text[end] != '/' && !(windows && text[end] == '\\')) ++end;
    std::string_view part = text.substr(pos, end - pos);
    pos = end + 1;
    // A node root must be plain; a value is read as the OS would read it, so no character
    // (an NTFS stream's ':', a newline) hides where it points.
    if (policy == parent_references::reject)
      for (const char c : part)
        if (c == '\0' || (windows ? is_windows_forbidden(c) : is_control(c)))
          return error(error_code::invalid_node_root, text);
    if (part == "..") {
      if (policy == parent_references::reject)
        return error(error_code::node_root_parent_reference, text);
      while (size > root && out[size - 1] != sep) --size;  // ".." at the root stays there
      if (size > root) --size;
      continue;
    }
    if (part.empty() || part == ".") continue;
    if (windows) {
      while (!part.empty() && (part.back() == '.' || part.back() == ' ')) part.remove_suffix(1);
      // "..." or " " name no directory of their own; a root must not be ambiguous.
      if (part.empty()) {
        if (policy == parent_references::reject) return error(error_code::invalid_node_root, text);
        continue;
      }
      // ":stream" with no name before it names nothing either (values only: a root may not
      // hold ':'); skipping it reads "D:\:\batch" as "D:\batch", the conservative way.
      if (part.front() == ':') continue;
    }
    if (size > root) out[size++] = sep;
    std::memcpy(out + size, part.data(), part.size());
    size += part.size();
  }
  return size;
}

// canonicalize_into, into a new string.
inline result<std::string> canonical_path(std::string_view text, node_os os, parent_references policy) {
  std::string out(text.size() + 1, '\0');
  const auto size = canonicalize_into(text, os, policy, &out[0]);
  if (!size) return size.error();
  out.resize(*size);
  return out;
}

// canonicalize_into, into the arena; the view is empty if the arena overflowed.
inline result<std::string_view> canonical_path(std::string_view text, node_os os, parent_references policy,
                                               arena& into) {
  const std::size_t start = into.mark();
  char* out = into.grow(text.size() + 1);
  if (!out) return std::string_view();
  const auto size = canonicalize_into(text, os, policy, out);
  into.shrink(text.size() + 1 - (size ? *size : 0));
  if (!size) return size.error();
  return into.since(start);
}

// Calls `visit(component)` for each component after the root of a canonical path.
template <class Visit>
constexpr void for_each_component(std::string_view canonical, node_os os, Visit&& visit) {
  const char sep = row(os).separator;
  std::size_t pos = root_length(os);
  while (pos < canonical.size()) {
    std::size_t end = canonical.find(sep, pos);
    if (end == std::string_view::npos) end = canonical.size();
    visit(canonical.substr(pos, end - pos));
    pos = end + 1;
  }
}

// On Windows "name:stream" is a stream of "name" (NTFS), so only what precedes ':' names the
// file; node roots and ids never hold ':', values may.
constexpr bool same_component(std::string_view a, std::string_view b, node_os os) noexcept {
  if (os == node_os::linux_node) return a == b;
  return fold_equal(a.substr(0, a.find(':')), b.substr(0, b.find(':')));
}

// Whether canonical path `inner` is `outer` or lies below it, component by component
// (case-insensitively on Windows): "/x/shared2" is not within "/x/shared".
constexpr bool within_by_components(std::string_view inner, std::string_view outer, node_os os) noexcept {
  const std::size_t r = root_length(os);
  if (inner.size() < r || outer.size() < r) return false;
  if (!same_component(inner.substr(0, r), outer.substr(0, r), os)) return false;
  const char sep = row(os).separator;
  std::size_t i = r, o = r;
  while (o < outer.size()) {
    if (i >= inner.size()) return false;  // inner has fewer components
    std::size_t oe = outer.find(sep, o), ie = inner.find(sep, i);
    if (oe == std::string_view::npos) oe = outer.size();
    if (ie == std::string_view::npos) ie = inner.size();
    if (!same_component(inner.substr(i, ie - i), outer.substr(o, oe - o), os)) return false;
    o = oe + 1;
    i = ie + 1;
  }
  return true;
}

// If `inner` starts with the whole components of `outer` (a byte match, on Windows under
// NTFS folding with '/' matching '\\', followed by a separator or the end), the number of
// bytes of `inner` that matched; otherwise npos. Both are in canonical shape: single
// separators, none trailing but a root's. An empty `outer` (the tail of a root) holds
// everything.
template <class Os>
constexpr std::size_t match_components(std::string_view inner, std::string_view outer, Os os) noexcept {
  std::size_t matched = outer.size();
  if (os == node_os::linux_node) {
    if (inner.size() < outer.size()) return std::string_view::npos;
    if (BATCHMOUNT_CONSTANT_EVALUATED() ? inner.substr(0, outer.size()) != outer
                                        : !swar::equal(inner.data(), outer.data(), outer.size()))
      return std::string_view::npos;
  } else {
    matched = fold_prefix(inner, outer, true);
    if (matched == std::string_view::npos) return matched;
  }
  if (outer.empty() || inner.size() == matched || is_separator(inner[matched], os) || is_separator(outer.back(), os))
    return matched;
  return std::string_view::npos;
}

template <class Os>
constexpr bool starts_with_components(std::string_view inner, std::string_view outer, Os os) noexcept {
  return match_components(inner, outer, os) != std::string_view::npos;
}

// within_by_components, fast: on canonical shapes a component-wise match is
// starts_with_components, so only a Windows value holding an NTFS stream (':') needs the
// slow walk.
template <class Os>
constexpr bool within(std::string_view inner, std::string_view outer, Os os) noexcept {
  if (os == node_os::windows_node && inner.find(':', 2) != std::string_view::npos)
    return within_by_components(inner, outer, os);
  return starts_with_components(inner, outer, os);
}

// Whether text[start..] is a run of clean components: each non-empty and not "." or "..",
// separated by single separators, none trailing; on Windows also without ':' or a trailing
// dot or space. Such text is already in canonical shape (but for Windows' '/' and case).
// Text of a word or more with no separator or '.' first or last, no separator or '.' next
// to a separator or '.', and on Windows no ':' or space, is clean at once, eight bytes at a
// time: no component can be empty, "." or ".." (a dot there touches a separator or an end),
// or end in a dot (nor in a space, as there is none). A dot inside a name ("app2.79",
// "scene.blend") is still judged eight bytes at a time. Anything else is judged byte by
// byte, a component at the separator (or end) closing it.
template <class Os>
inline bool clean_components(std::string_view text, std::size_t start, Os os) noexcept {
  const bool windows = os == node_os::windows_node;
  const std::size_t n = text.size();
  if (start == n) return true;
  const auto edge = [&](char c) { return c == '.' || is_separator(c, os); };
  if (n - start >= 8 && !edge(text[start]) && !edge(text[n - 1]) &&
      !swar::any_word(text.substr(start), 'a', [&](std::uint64_t w) {
        const std::uint64_t marks =
            swar::equal_bytes(w, '/') | swar::equal_bytes(w, '.') | (windows ? swar::equal_bytes(w, '\\') : 0);
        const std::uint64_t doubtful = windows ? swar::equal_bytes(w, ':') | swar::equal_bytes(w, ' ') : 0;
        return (doubtful | swar::adjacent(marks)) != 0;
      }))
    return true;
  const auto clean = [&](std::size_t begin, std::size_t end) {
    const std::size_t size = end - begin;
    if (size == 0 || (text[begin] == '.' && (size == 1 || (size == 2 && text[begin + 1] == '.')))) return false;
    return !windows || (text[end - 1] != '.' && text[end - 1] != ' ');
  };
  std::size_t begin = start;
  for (std::size_t i = start; i < n; ++i) {
    const char c = text[i];
    if (c == '/' || (windows && c == '\\')) {
      if (!clean(begin, i)) return false;
      begin = i + 1;
    } else if (windows && c == ':') {
      return false;
    }
  }
  return clean(begin, n);
}

// Number of components after the root: the depth used to order mounts. for_each_component
// visits one more than the separators past the root, or as many when the text ends in one.
constexpr std::size_t depth(std::string_view canonical, node_os os) noexcept {
  const std::size_t r = root_length(os);
  if (canonical.size() <= r) return 0;
  const char sep = row(os).separator;
  return swar::count(canonical.substr(r), sep) + (canonical.back() == sep ? 0 : 1);
}

// The container path of a canonical host path inside the node root: Linux the same view,
// Windows the drive replaced by the container drive (written to the arena).
inline std::string_view container_path_of(std::string_view host, node_os os, arena& into) noexcept {
  const auto drive = row(os).container_drive;
  if (drive.empty()) return host;
  const std::size_t start = into.mark();
  into.put(drive);
  into.put(host.substr(drive.size()));
  return into.since(start);
}

}  // namespace detail
}  // namespace v1
}  // namespace batchmount

#endif
