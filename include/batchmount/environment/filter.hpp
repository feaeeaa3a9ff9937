#ifndef BATCHMOUNT_ENVIRONMENT_FILTER_HPP
#define BATCHMOUNT_ENVIRONMENT_FILTER_HPP

// filter_environment: a task's host environment decided variable by variable (decide.hpp)
// against a resolution, allocation-free into caller storage or as an owning
// container_environment.

#include <cstddef>
#include <string>
#include <vector>

#include "batchmount/detail/arena.hpp"
#include "batchmount/environment/decide.hpp"
#include "batchmount/environment/scope.hpp"
#include "batchmount/environment/types.hpp"
#include "batchmount/resolution/types.hpp"
#include "batchmount/result.hpp"

namespace batchmount {
inline namespace v1 {

// Filters `count` host variables into `out` (room for `capacity` decisions), scratch and
// rewritten values in `into`: no allocation. Returns the number of decisions, or the first
// variable's error (with its index), or buffer_too_small when `capacity` is less than `count`
// or `into` runs out (on Windows give `into` at least four times the longest value).
template <int = 0>
inline result<std::size_t> filter_environment(const resolution_view& r, const env_var_view* host, std::size_t count,
                                              env_decision_view* out, std::size_t capacity, arena& into,
                                              env_rule rule = env_rule::isolation_invariant) noexcept {
  if (capacity < count) return error(error_code::buffer_too_small, "");
  const detail::env_scope scope(r, rule);
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
  const detail::env_scope scope(r, rule);
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

}  // namespace v1
}  // namespace batchmount

#endif
