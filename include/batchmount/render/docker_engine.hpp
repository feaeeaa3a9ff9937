#ifndef BATCHMOUNT_RENDER_DOCKER_ENGINE_HPP
#define BATCHMOUNT_RENDER_DOCKER_ENGINE_HPP

// The Docker Engine the docker renderers write for. Engines before API 1.44 (Docker 25)
// cannot make a bind recursively read-only, and the docker CLI refuses bind-recursive
// against them: the renderers then refuse a read-only Linux mount, unless the caller
// explicitly accepts non-recursive read-only (submounts stay writable), which
// docker_engine_warnings() then reports and verify() flags as read_only_not_recursive.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "batchmount/detail/ascii.hpp"
#include "batchmount/render/detail/read_only.hpp"
#include "batchmount/resolution.hpp"
#include "batchmount/result.hpp"

namespace batchmount {
inline namespace v1 {

struct docker_api_version {
  unsigned major = 1;
  unsigned minor = 44;

  friend constexpr bool operator<(docker_api_version a, docker_api_version b) noexcept {
    return a.major != b.major ? a.major < b.major : a.minor < b.minor;
  }
};

// The first API version with recursive read-only binds (ReadOnlyForceRecursive).
inline constexpr docker_api_version recursive_read_only_api{1, 44};

struct docker_engine {
  std::optional<docker_api_version> api_version;  // nullopt: 1.44 or later
  bool accept_non_recursive_read_only = false;

  constexpr bool recursive_read_only() const noexcept {
    return !api_version || !(*api_version < recursive_read_only_api);
  }
};

// Parses "1.41" (MAJOR.MINOR, as `docker version` prints the API version); fails with
// invalid_docker_api_version.
constexpr result<docker_api_version> parse_docker_api_version(std::string_view text) noexcept {
  docker_api_version out{0, 0};
  const std::size_t dot = text.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == text.size() || dot > 4 || text.size() - dot - 1 > 4)
    return error(error_code::invalid_docker_api_version, text);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i == dot) continue;
    if (!detail::is_ascii_digit(text[i])) return error(error_code::invalid_docker_api_version, text);
    unsigned& part = i < dot ? out.major : out.minor;
    part = part * 10 + static_cast<unsigned>(text[i] - '0');
  }
  return out;
}

// Whether the resolution can be rendered for this engine (the rule of
// render/detail/read_only.hpp): fails with docker_api_without_recursive_read_only (naming
// the first read-only mount) when the engine cannot make it recursively read-only and the
// caller did not accept that; otherwise the warnings, one per read-only mount left
// non-recursive.
inline result<std::vector<std::string>> docker_engine_warnings(const resolution& r, const docker_engine& engine) {
  return detail::non_recursive_read_only_warnings(r, engine.recursive_read_only(), engine.accept_non_recursive_read_only,
                                                  error_code::docker_api_without_recursive_read_only,
                                                  "this Docker Engine API (before 1.44)");
}

}  // namespace v1
}  // namespace batchmount

#endif
