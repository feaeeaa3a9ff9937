#ifndef BATCHMOUNT_AGENT_VERSION_HPP
#define BATCHMOUNT_AGENT_VERSION_HPP

// Whether a node agent can honour containerHostBatchBindMounts (1.11.11 or later).

#include <array>
#include <cstddef>
#include <string_view>

#include "batchmount/detail/ascii.hpp"
#include "batchmount/result.hpp"
#include "batchmount/tables.hpp"

namespace batchmount {
inline namespace v1 {

// A parsed node agent version: 1 to 4 numeric components, missing ones are 0.
struct agent_version {
  std::array<unsigned, 4> parts{};

  friend constexpr bool operator<(const agent_version& a, const agent_version& b) noexcept {
    for (std::size_t i = 0; i < a.parts.size(); ++i)
      if (a.parts[i] != b.parts[i]) return a.parts[i] < b.parts[i];
    return false;
  }
};

// Parses "1.11.11": 1 to 4 dot-separated decimal numbers of at most 9 digits each; fails
// with invalid_agent_version on anything else ("", "1..2", "v1.2", "1.2.3-beta", "1.2.").
constexpr result<agent_version> parse_agent_version(std::string_view text) noexcept {
  agent_version out;
  std::size_t part = 0, digits = 0;
  unsigned value = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '.') {
      if (digits == 0 || part == out.parts.size())
        return error(error_code::invalid_agent_version, text);
      out.parts[part++] = value;
      value = 0;
      digits = 0;
      continue;
    }
    if (!detail::is_ascii_digit(text[i]) || digits == 9)
      return error(error_code::invalid_agent_version, text);
    value = value * 10 + static_cast<unsigned>(text[i] - '0');
    ++digits;
  }
  return out;
}

// Whether a node agent of this version honours containerHostBatchBindMounts: 1.11.11 or later.
constexpr bool supports_isolation(const agent_version& version) noexcept {
  agent_version minimum;
  for (std::size_t i = 0; i < isolation_agent_version.size(); ++i)
    minimum.parts[i] = isolation_agent_version[i];
  return !(version < minimum);
}

// The same for a version as the node reports it. A malformed version is false: nothing can be
// known of what it honours (parse_agent_version says what is wrong with it), so the only safe
// answer to "does it isolate?" is no. `if (supports_isolation(v))` is true only for a yes.
constexpr bool supports_isolation(std::string_view version) noexcept {
  const auto parsed = parse_agent_version(version);
  return parsed.has_value() && supports_isolation(*parsed);
}

}  // namespace v1
}  // namespace batchmount

#endif
