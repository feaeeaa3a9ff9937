#ifndef BATCHMOUNT_RENDER_DETAIL_READ_ONLY_HPP
#define BATCHMOUNT_RENDER_DETAIL_READ_ONLY_HPP

// The one rule for a runtime that cannot make a bind recursively read-only (a Docker Engine
// API before 1.44, a CRI runtime before containerd 2.0): such a runtime leaves every submount
// below a read-only bind writable, so a read-only Linux mount is refused unless the caller
// explicitly accepted non-recursive read-only; then each such mount gets a warning, and
// verify() reports the container's mount as read_only_not_recursive.

#include <string>
#include <string_view>
#include <vector>

#include "batchmount/resolution.hpp"
#include "batchmount/result.hpp"

namespace batchmount {
inline namespace v1 {
namespace detail {

// Fails with `refusal` naming the first read-only mount's container path when the runtime
// (described as `runtime` in the warnings) cannot make it recursively read-only and the caller
// did not accept that; otherwise the warnings, one per read-only mount left non-recursive.
// Windows has no submounts to protect: nothing to refuse or warn about there.
inline result<std::vector<std::string>> non_recursive_read_only_warnings(const resolution& r, bool runtime_recursive,
                                                                        bool accepted, error_code refusal,
                                                                        std::string_view runtime) {
  std::vector<std::string> out;
  if (runtime_recursive || r.os != node_os::linux_node) return out;
  for (const auto& m : r.mounts) {
    if (!m.read_only) continue;
    if (!accepted) return error(refusal, m.container_path);
    out.push_back("mount " + m.host_path + " -> " + m.container_path + " is read-only but not recursively: " +
                  std::string(runtime) + " leaves its submounts writable");
  }
  return out;
}

}  // namespace detail
}  // namespace v1
}  // namespace batchmount

#endif
