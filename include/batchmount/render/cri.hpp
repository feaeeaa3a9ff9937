#ifndef BATCHMOUNT_RENDER_CRI_HPP
#define BATCHMOUNT_RENDER_CRI_HPP

// The part of a Kubernetes CRI ContainerConfig (runtime.v1) that batchmount decides, for a
// criCompatible pool's node agent: "mounts", "envs" and "workingDir", as proto3 JSON (the form
// `crictl create` reads and every protobuf library parses), to merge into the config it
// sends to CreateContainer.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "batchmount/detail/ascii.hpp"
#include "batchmount/environment.hpp"
#include "batchmount/render/detail/json.hpp"
#include "batchmount/render/detail/read_only.hpp"
#include "batchmount/resolution.hpp"
#include "batchmount/result.hpp"

namespace batchmount {
inline namespace v1 {

// A CRI runtime's version as CRI's Version reports it (runtime_version): containerd's
// "1.6.20~ds1" (Debian), "v2.0.0", "2.1.0-rc.1". Versions are containerd's.
struct cri_runtime_version {
  unsigned major = 2;
  unsigned minor = 0;
  unsigned patch = 0;
  bool prerelease = false;  // "-..." (semver), or "~alpha", "~beta", "~rc" (Debian's spelling)

  // Whether the runtime makes a bind recursively read-only when asked (recursive_read_only):
  // containerd 2.0 and later. A pre-release of 2.0.0 counts as before it (the field arrived
  // during 2.0's pre-releases); 1.x ignores the field without an error.
  constexpr bool recursive_read_only() const noexcept {
    if (major != 2 || minor != 0 || patch != 0) return major >= 2;
    return !prerelease;
  }
};

// Parses runtime_version: an optional 'v', MAJOR.MINOR[.PATCH] (decimal, at most six digits
// each), then nothing or a suffix that starts with '-' (a pre-release), '~' (Debian: a
// pre-release when "alpha", "beta" or "rc" follows, else a repack such as "~ds1") or '+'
// (build metadata). Fails with invalid_cri_runtime_version.
constexpr result<cri_runtime_version> parse_cri_runtime_version(std::string_view text) noexcept {
  cri_runtime_version out{0, 0, 0, false};
  std::size_t i = !text.empty() && (text[0] == 'v' || text[0] == 'V') ? 1 : 0;
  unsigned* parts[] = {&out.major, &out.minor, &out.patch};
  std::size_t count = 0;
  while (count < 3) {
    std::size_t digits = 0;
    for (; i < text.size() && detail::is_ascii_digit(text[i]); ++i, ++digits)
      *parts[count] = *parts[count] * 10 + static_cast<unsigned>(text[i] - '0');
    if (digits == 0 || digits > 6) return error(error_code::invalid_cri_runtime_version, text);
    ++count;
    if (i == text.size() || text[i] != '.' || count == 3) break;
    ++i;
  }
  if (count < 2) return error(error_code::invalid_cri_runtime_version, text);
  if (i == text.size()) return out;
  const std::string_view suffix = text.substr(i + 1);
  if (suffix.empty()) return error(error_code::invalid_cri_runtime_version, text);
  for (const char c : suffix)
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f)
      return error(error_code::invalid_cri_runtime_version, text);
  switch (text[i]) {
    case '-': out.prerelease = true; break;
    case '~':
      out.prerelease = detail::starts_with(suffix, "alpha", true) || detail::starts_with(suffix, "beta", true) ||
                       detail::starts_with(suffix, "rc", true);
      break;
    case '+': break;
    default: return error(error_code::invalid_cri_runtime_version, text);
  }
  return out;
}

// The CRI runtime the renderer writes for.
struct cri_runtime {
  std::optional<cri_runtime_version> version;  // nullopt: containerd 2.0 or later
  bool accept_non_recursive_read_only = false;

  constexpr bool recursive_read_only() const noexcept { return !version || version->recursive_read_only(); }
};

// Whether the resolution can be rendered for this runtime (the rule of
// render/detail/read_only.hpp): fails with cri_runtime_without_recursive_read_only (naming
// the first read-only mount) before containerd 2.0 unless the caller accepted non-recursive
// read-only; otherwise the warnings, one per read-only mount left non-recursive.
inline result<std::vector<std::string>> cri_runtime_warnings(const resolution& r, const cri_runtime& runtime) {
  return detail::non_recursive_read_only_warnings(r, runtime.recursive_read_only(), runtime.accept_non_recursive_read_only,
                                                  error_code::cri_runtime_without_recursive_read_only,
                                                  "this CRI runtime (before containerd 2.0)");
}

// {"mounts":[{"containerPath","hostPath","readonly","propagation":"PROPAGATION_PRIVATE"
// [,"recursiveReadOnly":true]}],"envs":[{"key","value"}],"workingDir":...}, mounts in the
// resolution's order (parents first). Linux read-only mounts set recursiveReadOnly where the
// runtime honours it (containerd 2.0+, which needs readonly and PROPAGATION_PRIVATE with it);
// Windows mounts (host D:\..., container C:\...) carry the same fields without it.
// workingDir is omitted for containerImageDefault. Fails with output_needs_utf8 or
// cri_runtime_without_recursive_read_only.
inline result<std::string> render_cri(const resolution& r, const container_environment& env,
                                      const cri_runtime& runtime = {}) {
  if (auto checked = cri_runtime_warnings(r, runtime); !checked) return checked.error();
  const bool recursive = r.os == node_os::linux_node && runtime.recursive_read_only();
  detail::json_writer out;
  out.begin_object().key("mounts").begin_array();
  for (const auto& m : r.mounts) {
    out.begin_object()
        .key("containerPath").string(m.container_path)
        .key("hostPath").string(m.host_path)
        .key("readonly").boolean(m.read_only)
        .key("propagation").string("PROPAGATION_PRIVATE");
    if (m.read_only && recursive) out.key("recursiveReadOnly").boolean(true);
    out.end_object();
  }
  out.end_array().key("envs").begin_array();
  env.for_each_variable([&](std::string_view name, std::string_view value) {
    out.begin_object().key("key").string(name).key("value").string(value).end_object();
  });
  out.end_array();
  if (r.working_directory) out.key("workingDir").string(*r.working_directory);
  out.end_object();
  return std::move(out).finish();
}

}  // namespace v1
}  // namespace batchmount

#endif
