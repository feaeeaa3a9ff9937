#ifndef BATCHMOUNT_VERIFY_HPP
#define BATCHMOUNT_VERIFY_HPP

// Render read backwards: what a running container really has (its bind mounts, environment
// and working directory, as a runtime's document describes them) against what its
// resolution says it should have. One comparison, which knows no runtime: the readers in
// adapters/nlohmann_json.hpp turn OCI config.json and `docker inspect` into a
// container_record, and expected_container() turns a resolution into the same record.
// Not included by batchmount.hpp.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "batchmount/detail/arena.hpp"
#include "batchmount/detail/path.hpp"
#include "batchmount/environment.hpp"
#include "batchmount/resolution.hpp"
#include "batchmount/result.hpp"
#include "batchmount/tables.hpp"
#include "batchmount/verify/record.hpp"
#include "batchmount/run_options/read.hpp"
#include "batchmount/verify/compare.hpp"
#include "batchmount/verify/scope.hpp"

namespace batchmount {
inline namespace v1 {

// Compares a container with its resolution and expected environment (the kept and rewritten
// variables: container_environment::variables(), or the views filter_environment wrote).
// Writes violations to `out` (room for `capacity`) and the mounts outside the node root,
// which are out of scope and never violations, to `outside` (room for `outside_capacity`),
// and the mounts of a selected directory at a container path other than its own to
// `also_mounted` (room for `also_capacity`; each is a violation only where it grants more
// than the selection: writable, or read-only but not recursive);
// paths are canonicalized lexically in `scratch`. Returns the counts, which may exceed the
// capacities (then only the first ones were written), or buffer_too_small if `scratch` is
// too small. Allocates nothing.
inline result<verify_counts> verify(const resolution_view& r, const env_var_view* expected_env, std::size_t expected_count,
                                    const container_view& container, violation_view* out, std::size_t capacity,
                                    mount_view* outside, std::size_t outside_capacity, arena& scratch,
                                    mount_view* also_mounted = nullptr, std::size_t also_capacity = 0) noexcept {
  return detail::verify_with(detail::verify_scope(r), expected_env, expected_count, container, out, capacity, outside,
                             outside_capacity, scratch, also_mounted, also_capacity);
}

// What verify found, owning its strings.
struct verification {
  std::vector<violation> violations;
  std::vector<mount> outside_scope;  // mounts outside the node root: not judged
  // Selected directories mounted a second time at another container path: listed, and
  // violations only where they grant more than the selection.
  std::vector<mount> also_mounted;
  // false when the container's document reported no environment or working directory
  // (container_record::process_reported): only its mounts were checked.
  bool process_checked = true;
  // Mounts the resolution's accepted containerRunOptions add that reach past the selection
  // (resolve with run_option_policy::accept): listed, not violations.
  std::vector<mount> accepted_exposures;

  bool conforms() const noexcept { return violations.empty(); }
};

namespace detail {
// The owning verify over one view of the container: scratch and outputs sized for the
// worst case, so the allocation-free core cannot run out.
inline void verify_owned(const resolution& r, const std::vector<env_var_view>& expected, const container_view& view,
                         verification& out) {
  std::size_t bytes = 2 * (r.node_root.size() + 8);
  for (std::size_t k = 0; k < view.mount_count; ++k)
    bytes += 2 * (view.mounts[k].host_path.size() + view.mounts[k].container_path.size() + 2);
  for (std::size_t k = 0; k < view.environment_count; ++k)
    bytes += 4 * view.environment[k].value.size() + 2 * r.node_root.size() + 16;
  bytes += 2 * (view.working_directory.value_or("").size() + r.working_directory.value_or("").size() + 2);
  std::string storage(bytes, '\0');
  arena scratch(&storage[0], storage.size());
  // At most two violations a mount (place and mode), one a variable, one a missing mount.
  std::vector<violation_view> found(2 * view.mount_count + view.environment_count + expected.size() + data_path_count + 1);
  std::vector<mount_view> outside(view.mount_count), also(view.mount_count);
  const auto counts = verify_with(verify_scope(r), expected.data(), expected.size(), view, found.data(), found.size(),
                                  outside.data(), outside.size(), scratch, also.data(), also.size());
  if (!counts) misuse();  // sized above for the worst case
  for (std::size_t i = 0; i < counts->violations; ++i) {
    const auto& v = found[i];
    out.violations.push_back({v.kind, std::string(v.subject), std::string(v.observed), std::string(v.expected), v.path});
  }
  for (std::size_t i = 0; i < counts->outside_scope; ++i)
    out.outside_scope.push_back({outside[i].source, std::string(outside[i].host_path),
                                 std::string(outside[i].container_path), outside[i].read_only, outside[i].recursive});
  for (std::size_t i = 0; i < counts->also_mounted; ++i)
    out.also_mounted.push_back(
        {also[i].source, std::string(also[i].host_path), std::string(also[i].container_path), also[i].read_only,
         also[i].recursive});
}
}  // namespace detail

namespace detail {
// Whether the container mount `m` is a bind the accepted containerRunOptions asked for that
// reaches past the selection (an accepted exposure or weakening).
inline bool accepted_by_run_options(const resolution& r, const verify_scope& scope, const mount& m) {
  std::string storage(4 * (r.node_root.size() + m.host_path.size() + m.container_path.size() + 16), '\0');
  arena scratch(&storage[0], storage.size());
  const auto judged = judge_mount(scope, {m.source, m.host_path, m.container_path, m.read_only, m.recursive}, scratch);
  if (judged.where == mount_judgement::place::outside_scope ||
      (judged.where == mount_judgement::place::selected && !judged.weaker))
    return false;
  const auto same = [&r](const std::string& a, const std::string& b) {
    const auto x = canonical_path(a, r.os, parent_references::resolve);
    const auto y = canonical_path(b, r.os, parent_references::resolve);
    return x && y && same_path(*x, *y, r.os);
  };
  for (const auto& o : r.run_options.options) {
    const auto bind = bind_of(o, r.os);
    if (bind && *bind && same((*bind)->source, m.host_path) && same((*bind)->target, m.container_path)) return true;
  }
  return false;
}
}  // namespace detail

// Compares a container with a resolution and its environment (the owning form). The
// resolution's accepted containerRunOptions count as asked for: the binds they add that
// reach past the selection are listed as accepted exposures, not violations, and their last
// -w is the working directory expected.
inline verification verify(const resolution& r, const container_environment& env, const container_record& container) {
  const std::vector<env_var> expected = env.variables();
  std::vector<env_var_view> expected_views;
  for (const auto& v : expected) expected_views.push_back({v.name, v.value});
  verification out;
  out.process_checked = container.process_reported;
  if (r.run_options.options.empty()) {
    container.with_view([&](const container_view& view) { detail::verify_owned(r, expected_views, view, out); });
    return out;
  }
  resolution asked = r;
  for (const auto& o : r.run_options.options)
    if (o.flag == "workdir" && o.value) asked.working_directory = *o.value;
  const detail::verify_scope scope(r);
  container_record judged = container;
  judged.mounts.clear();
  for (const auto& m : container.mounts)
    (detail::accepted_by_run_options(r, scope, m) ? out.accepted_exposures : judged.mounts).push_back(m);
  judged.with_view([&](const container_view& view) { detail::verify_owned(asked, expected_views, view, out); });
  return out;
}

}  // namespace v1
}  // namespace batchmount

#endif
