#ifndef BATCHMOUNT_DETAIL_PATH_HPP
#define BATCHMOUNT_DETAIL_PATH_HPP

// The one canonicalization of paths. Every comparison (containment, equality, nesting)
// goes through canonical forms and compares whole components. Resolution is lexical:
// symlinks are not followed (the node agent must open paths without following them).

#include <cstddef>
#include <string>
#include <string_view>

#include "batchmount/detail/ascii.hpp"
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

// The canonical absolute form of `text`: Linux "/a/b", Windows "X:\a\b" with an upper-case
// drive; repeated and trailing separators folded; "." dropped; on Windows both separators
// accepted and trailing dots and spaces of a component dropped (as Win32 does). Fails with
// relative_node_root, node_root_parent_reference (policy reject) or invalid_node_root.
inline result<std::string> canonical_path(std::string_view text, node_os os,
                                          parent_references policy) {
  const bool windows = os == node_os::windows_node;
  std::string out;
  std::size_t pos = 0;
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
    out += ascii_upper(text[0]);
    out += ":\\";
    pos = 3;
  } else {
    if (text.empty() || text[0] != '/') return error(error_code::relative_node_root, text);
    out += '/';
    pos = 1;
  }
  const std::size_t root = out.size();
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
      const auto last = out.find_last_of(sep);
      out.resize(last < root ? root : last);  // ".." at the root stays at the root
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
    }
    if (out.size() > root) out += sep;
    out += part;
  }
  return out;
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
  return iequals(a.substr(0, a.find(':')), b.substr(0, b.find(':')));
}

// Whether canonical path `inner` is `outer` or lies below it, component by component
// (case-insensitively on Windows): "/x/shared2" is not within "/x/shared".
constexpr bool within(std::string_view inner, std::string_view outer, node_os os) noexcept {
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

// Number of components after the root: the depth used to order mounts.
constexpr std::size_t depth(std::string_view canonical, node_os os) noexcept {
  std::size_t n = 0;
  for_each_component(canonical, os, [&n](std::string_view) { ++n; });
  return n;
}

// Appends one component (or a '/'-separated relative path) with the OS separator.
inline void append(std::string& path, std::string_view relative, node_os os) {
  const char sep = row(os).separator;
  for (std::size_t pos = 0; pos <= relative.size();) {
    std::size_t end = relative.find('/', pos);
    if (end == std::string_view::npos) end = relative.size();
    if (end > pos) {
      if (path.empty() || path.back() != sep) path += sep;
      path.append(relative.data() + pos, end - pos);
    }
    pos = end + 1;
  }
}

// The container path of a canonical host path inside the node root: Linux the same path,
// Windows the drive replaced by the container drive.
inline std::string container_path_of(std::string_view host, node_os os) {
  const auto drive = row(os).container_drive;
  if (drive.empty()) return std::string(host);
  std::string out(drive);
  out.append(host.data() + drive.size(), host.size() - drive.size());
  return out;
}

}  // namespace detail
}  // namespace v1
}  // namespace batchmount

#endif
