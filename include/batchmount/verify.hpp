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
#include "batchmount/verify/scope.hpp"

namespace batchmount {
inline namespace v1 {

namespace detail {
// A variable name's key, for comparing names without comparing every pair: a mix of its
// size and its bytes (on Windows upper-cased), never 0, so that two names the OS takes for
// one have one key. On Windows 0 for a name with a byte past ASCII, whose folding may change
// its length: such a name is compared in full.
inline std::uint64_t name_key(std::string_view name, node_os os) noexcept {
  const bool windows = os == node_os::windows_node;
  std::uint64_t key = name.size() + 1;
  const auto mix = [&key, windows](std::uint64_t word) {
    key = (key ^ (windows ? swar::ascii_upper_word(word) : word)) * 0x9e3779b97f4a7c15ULL;
    key ^= key >> 29;
  };
  std::uint64_t seen = 0;
  if (name.size() >= 8) {  // words at 0, 8, ... and the last eight bytes (which may overlap)
    for (std::size_t i = 0; i + 8 < name.size(); i += 8) {
      const std::uint64_t word = swar::load(name.data() + i);
      seen |= word;
      mix(word);
    }
    const std::uint64_t last = swar::load(name.data() + name.size() - 8);
    seen |= last;
    mix(last);
  } else {
    std::uint64_t word = 0;
    for (std::size_t i = 0; i < name.size(); ++i)
      word |= static_cast<std::uint64_t>(static_cast<unsigned char>(name[i])) << (8 * i);
    seen = word;
    mix(word);
  }
  if (windows && (seen & swar::high)) return 0;
  return key == 0 ? 1 : key;
}

// Bounded output: writes while there is room, counts always.
template <class T>
struct bounded {
  T* out;
  std::size_t capacity;
  std::size_t count = 0;
  void add(const T& item) noexcept {
    if (count < capacity) out[count] = item;
    ++count;
  }
};
}  // namespace detail

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
                                    mount_view* also_mounted = nullptr, std::size_t also_capacity = 0) noexcept;

namespace detail {
inline result<verify_counts> verify_with(const verify_scope& scope, const env_var_view* expected_env,
                                         std::size_t expected_count, const container_view& container,
                                         violation_view* out, std::size_t capacity, mount_view* outside,
                                         std::size_t outside_capacity, arena& scratch, mount_view* also_mounted,
                                         std::size_t also_capacity) noexcept {
  const node_os os = scope.os;
  const bool on_linux = os == node_os::linux_node;
  bounded<violation_view> violations{out, capacity};
  bounded<mount_view> out_of_scope{outside, outside_capacity};
  bounded<mount_view> also{also_mounted, also_capacity};
  const std::size_t mark = scratch.mark();
  const error too_small(error_code::buffer_too_small, "");
  // A path in canonical form in the scratch arena; nullopt for one that is not absolute.
  const auto canonical = [&](std::string_view text) -> std::optional<std::string_view> {
    const auto c = canonical_path(text, os, parent_references::resolve, scratch);
    if (!c) return std::nullopt;
    return *c;
  };
  const std::string_view root = scope.node_root;
  const std::string_view container_root = container_path_of(root, os, scratch);

  // Mounts.
  std::array<bool, data_path_count> matched{};
  std::array<std::string_view, data_path_count> elsewhere{};
  const std::size_t base = scratch.mark();  // the container root stays; per item scratch goes
  for (std::size_t k = 0; k < container.mount_count; ++k) {
    scratch.rewind(base);
    const mount_view& m = container.mounts[k];
    const mount_judgement judged = judge_mount(scope, m, scratch);
    if (scratch.overflowed()) return too_small;
    if (judged.where == mount_judgement::place::outside_scope) {
      out_of_scope.add(m);
      continue;
    }
    if (judged.where == mount_judgement::place::unselected) {
      violations.add({violation_class::exposes_unselected, m.host_path, m.container_path, {}, judged.path});
      continue;
    }
    const mount_view& e = scope.mounts[judged.expected];
    if (judged.same_directory) {
      const auto target = canonical(m.container_path);
      if (scratch.overflowed()) return too_small;
      if (target && same_path(*target, e.container_path, os)) {
        matched[judged.expected] = true;
      } else {
        // The selected directory a second time, somewhere else: listed, and judged below only
        // by what it grants.
        also.add(m);
        if (elsewhere[judged.expected].empty()) elsewhere[judged.expected] = m.container_path;
      }
    }
    if (judged.weaker) violations.add({*judged.weaker, m.host_path, m.container_path, e.container_path, judged.path});
  }
  // A selected path is missing when no mount shows it at its own container path, whatever
  // else shows it (the first other place is named).
  for (std::size_t j = 0; j < scope.mount_count; ++j)
    if (!matched[j])
      violations.add({violation_class::missing, scope.mounts[j].host_path, elsewhere[j], scope.mounts[j].container_path,
                      scope.mount_paths[j]});

  if (!container.process_reported) {  // neither the environment nor the working directory is known
    scratch.rewind(mark);
    return verify_counts{violations.count, out_of_scope.count, also.count};
  }

  // Environment: the expected variables with their values; any other that names a node path
  // the container cannot see has leaked.
  const auto same_name = [os](std::string_view a, std::string_view b) {
    return os == node_os::windows_node ? fold_equal(a, b) : a == b;
  };
  // Every container name is looked for among the expected ones (on Windows under folding).
  // When every expected name has a key (name_key) and no two the same (so no two are taken
  // for one), a container name is taken for at most one of them: one with a key only for
  // the one with its key (tried first where the last match ended, as containers list
  // variables in the expected order), another (Windows, past ASCII) is compared in full with
  // each. An expected name is then present exactly when some container name matched it.
  // Otherwise (or past kept_keys names) every pair is compared.
  constexpr std::size_t kept_keys = 64;
  std::array<std::uint64_t, kept_keys> keys;  // written before read
  std::array<bool, kept_keys> present{};
  bool keyed = expected_count <= kept_keys;
  for (std::size_t j = 0; keyed && j < expected_count; ++j) keyed = (keys[j] = name_key(expected_env[j].name, os)) != 0;
  if (keyed) {
    const auto end = static_cast<std::ptrdiff_t>(expected_count);
    std::array<std::uint64_t, kept_keys> sorted;
    std::copy(keys.begin(), keys.begin() + end, sorted.begin());
    std::sort(sorted.begin(), sorted.begin() + end);
    keyed = std::adjacent_find(sorted.begin(), sorted.begin() + end) == sorted.begin() + end;
  }
  std::size_t next = 0;  // where the last match ended
  // The expected variable container variable k matches, first in order; nullptr if none.
  const auto expected_for = [&](std::size_t k) -> const env_var_view* {
    const std::string_view name = container.environment[k].name;
    std::size_t j = 0;
    if (const std::uint64_t key = keyed ? name_key(name, os) : 0) {
      j = next < expected_count && keys[next] == key
              ? next
              : static_cast<std::size_t>(std::find(keys.begin(), keys.begin() + static_cast<std::ptrdiff_t>(expected_count), key) -
                                         keys.begin());
      if (j < expected_count && !same_name(expected_env[j].name, name)) j = expected_count;
    } else {
      while (j < expected_count && !same_name(expected_env[j].name, name)) ++j;
    }
    if (j == expected_count) return nullptr;
    if (keyed) present[j] = true;
    next = j + 1;
    return &expected_env[j];
  };
  // Whether a value (or one entry of a path list) names a place under the node root, on the
  // host or in the container, that no mount shows; the data path concerned.
  const auto unseen = [&](std::string_view value, std::optional<data_path>& path) -> bool {
    bool hidden = false;
    for_each_entry(value, list_separator(os), [&](std::string_view entry) {
      if (hidden) return;
      // Windows spellings as a program in the container reads them (decision 31): a path
      // rooted without a drive is on the container's C:.
      if (!on_linux) entry = windows_drive_spelling(entry, row(os).container_drive[0], scratch).text;
      const auto c = canonical(entry);
      if (!c) return;
      const bool on_host = within(*c, root, os);
      const bool in_container = within(*c, container_root, os);
      if (!on_host && !in_container) return;
      bool visible = false;
      // Linux: host and container paths are the same. Windows: only container paths are.
      const std::size_t at = scratch.mark();
      for (std::size_t j = 0; j < container.mount_count && !visible; ++j) {
        const auto target = canonical(container.mounts[j].container_path);
        visible = target && within(*c, *target, os);
        scratch.rewind(at);
      }
      if (visible && (on_linux || in_container)) return;
      hidden = true;
      std::string_view host = *c;
      if (!on_host) {  // a container path on Windows: the host path has the host's drive
        scratch.put(root.substr(0, 2));
        scratch.put(c->substr(2));
        host = scratch.since(at);
      }
      path = unselected_path_of(scope, host);
    });
    return hidden;
  };
  for (std::size_t k = 0; k < container.environment_count; ++k) {
    scratch.rewind(base);
    const env_var_view& v = container.environment[k];
    const env_var_view* expected = expected_for(k);
    if (expected) {
      if (expected->value != v.value)
        violations.add({violation_class::wrong_value, v.name, v.value, expected->value, std::nullopt});
      continue;
    }
    std::optional<data_path> path;
    if (unseen(v.value, path)) violations.add({violation_class::leaked_variable, v.name, v.value, {}, path});
    if (scratch.overflowed()) return too_small;
  }
  for (std::size_t j = 0; j < expected_count; ++j) {
    bool found = keyed && present[j];
    if (!keyed)
      for (std::size_t k = 0; k < container.environment_count && !found; ++k)
        found = same_name(expected_env[j].name, container.environment[k].name);
    if (!found)
      violations.add({violation_class::missing_variable, expected_env[j].name, {}, expected_env[j].value, std::nullopt});
  }

  // The working directory (the image's default is whatever the image says).
  scratch.rewind(base);
  if (scope.working_directory) {
    const std::string_view observed = container.working_directory.value_or("");
    const auto c = canonical(observed);
    const auto e = canonical(*scope.working_directory);
    if (scratch.overflowed()) return too_small;
    if (!c || !e || !same_path(*c, *e, os))
      violations.add({violation_class::working_directory, {}, observed, *scope.working_directory, std::nullopt});
  }
  scratch.rewind(mark);
  return verify_counts{violations.count, out_of_scope.count, also.count};
}
}  // namespace detail

inline result<verify_counts> verify(const resolution_view& r, const env_var_view* expected_env, std::size_t expected_count,
                                    const container_view& container, violation_view* out, std::size_t capacity,
                                    mount_view* outside, std::size_t outside_capacity, arena& scratch,
                                    mount_view* also_mounted, std::size_t also_capacity) noexcept {
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
