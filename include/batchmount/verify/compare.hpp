#ifndef BATCHMOUNT_VERIFY_COMPARE_HPP
#define BATCHMOUNT_VERIFY_COMPARE_HPP

// verify's algorithm (internal): a container compared with its expected side in named
// steps: the mounts, the environment (its names paired, then its values and leaks) and the
// working directory.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "batchmount/detail/arena.hpp"
#include "batchmount/detail/fold.hpp"
#include "batchmount/detail/path.hpp"
#include "batchmount/detail/swar.hpp"
#include "batchmount/environment/locate.hpp"
#include "batchmount/environment/names.hpp"
#include "batchmount/environment/types.hpp"
#include "batchmount/result.hpp"
#include "batchmount/tables.hpp"
#include "batchmount/verify/record.hpp"
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

// The expected variables, paired with a container's names as the OS compares them (on
// Windows under folding). When every expected name has a key (name_key) and no two share
// one, a container name is compared in full only with the expected name of its key (tried
// first just after the last match, as containers list variables in the expected order); a
// name without a key (Windows, past ASCII) is compared with each. Otherwise, or past
// `kept_keys` names, every pair is compared. The keys cost one hash a name and save
// comparing every pair: on a Windows node, where each comparison folds both names, they
// make verify_into about two and a half times faster (docs/performance.md).
class name_pairing {
 public:
  name_pairing(const env_var_view* expected, std::size_t count, node_os os) noexcept
      : expected_(expected), count_(count), os_(os), keyed_(count <= kept_keys) {
    for (std::size_t j = 0; keyed_ && j < count_; ++j) keyed_ = (keys_[j] = name_key(expected_[j].name, os_)) != 0;
    if (keyed_) {
      const auto end = static_cast<std::ptrdiff_t>(count_);
      std::array<std::uint64_t, kept_keys> sorted;
      std::copy(keys_.begin(), keys_.begin() + end, sorted.begin());
      std::sort(sorted.begin(), sorted.begin() + end);
      keyed_ = std::adjacent_find(sorted.begin(), sorted.begin() + end) == sorted.begin() + end;
    }
  }

  // The expected variable a container name matches, first in order; nullptr if none.
  const env_var_view* match(std::string_view name) noexcept {
    std::size_t j = 0;
    if (const std::uint64_t key = keyed_ ? name_key(name, os_) : 0) {
      j = next_ < count_ && keys_[next_] == key ? next_ : index_of(key);
      if (j < count_ && !same_name(expected_[j].name, name)) j = count_;
    } else {
      while (j < count_ && !same_name(expected_[j].name, name)) ++j;
    }
    if (j == count_) return nullptr;
    if (keyed_) present_[j] = true;
    next_ = j + 1;
    return &expected_[j];
  }

  // Whether some container name matched expected variable j (every match() already made).
  bool present(std::size_t j, const container_view& container) const noexcept {
    if (keyed_) return present_[j];
    for (std::size_t k = 0; k < container.environment_count; ++k)
      if (same_name(expected_[j].name, container.environment[k].name)) return true;
    return false;
  }

 private:
  static constexpr std::size_t kept_keys = 64;

  bool same_name(std::string_view a, std::string_view b) const noexcept {
    return os_ == node_os::windows_node ? fold_equal(a, b) : a == b;
  }
  std::size_t index_of(std::uint64_t key) const noexcept {
    return static_cast<std::size_t>(std::find(keys_.begin(), keys_.begin() + static_cast<std::ptrdiff_t>(count_), key) -
                                    keys_.begin());
  }

  const env_var_view* expected_;
  std::size_t count_;
  node_os os_;
  bool keyed_;
  std::array<std::uint64_t, kept_keys> keys_;  // written before read
  std::array<bool, kept_keys> present_{};
  std::size_t next_ = 0;  // where the last match ended
};

// One comparison of a container with its expected side. Each step returns false when the
// scratch arena ran out.
class comparison {
 public:
  comparison(const verify_scope& scope, const env_var_view* expected_env, std::size_t expected_count,
             const container_view& container, bounded<violation_view> violations, bounded<mount_view> outside,
             bounded<mount_view> also, arena& scratch) noexcept
      : scope_(scope), os_(scope.os), expected_env_(expected_env), expected_count_(expected_count),
        container_(container), violations_(violations), outside_(outside), also_(also), scratch_(scratch) {}

  result<verify_counts> run() noexcept {
    const std::size_t mark = scratch_.mark();
    container_root_ = container_path_of(scope_.node_root, os_, scratch_);
    base_ = scratch_.mark();  // the container root stays; each item's scratch goes
    if (!mounts()) return error(error_code::buffer_too_small, "");
    // Without a process, neither the environment nor the working directory is known.
    if (container_.process_reported && !(environment() && working_directory()))
      return error(error_code::buffer_too_small, "");
    scratch_.rewind(mark);
    return verify_counts{violations_.count, outside_.count, also_.count};
  }

 private:
  // A path in canonical form in the scratch arena; nullopt for one that is not absolute.
  std::optional<std::string_view> canonical(std::string_view text) noexcept {
    const auto c = canonical_path(text, os_, parent_references::resolve, scratch_);
    if (!c) return std::nullopt;
    return *c;
  }

  // Each container mount judged against the selection, then every selected path that no
  // mount shows at its own container path (whatever else shows it: the first other place is
  // named).
  bool mounts() noexcept {
    std::array<bool, data_path_count> matched{};
    std::array<std::string_view, data_path_count> elsewhere{};
    for (std::size_t k = 0; k < container_.mount_count; ++k) {
      scratch_.rewind(base_);
      const mount_view& m = container_.mounts[k];
      const mount_judgement judged = judge_mount(scope_, m, scratch_);
      if (scratch_.overflowed()) return false;
      if (judged.where == mount_judgement::place::outside_scope) {
        outside_.add(m);
        continue;
      }
      if (judged.where == mount_judgement::place::unselected) {
        violations_.add({violation_class::exposes_unselected, m.host_path, m.container_path, {}, judged.path});
        continue;
      }
      const mount_view& e = scope_.mounts[judged.expected];
      if (judged.same_directory) {
        const auto target = canonical(m.container_path);
        if (scratch_.overflowed()) return false;
        if (target && same_path(*target, e.container_path, os_)) {
          matched[judged.expected] = true;
        } else {
          // The selected directory a second time, somewhere else: listed, and judged only by
          // what it grants.
          also_.add(m);
          if (elsewhere[judged.expected].empty()) elsewhere[judged.expected] = m.container_path;
        }
      }
      if (judged.weaker) violations_.add({*judged.weaker, m.host_path, m.container_path, e.container_path, judged.path});
    }
    for (std::size_t j = 0; j < scope_.mount_count; ++j)
      if (!matched[j])
        violations_.add({violation_class::missing, scope_.mounts[j].host_path, elsewhere[j],
                         scope_.mounts[j].container_path, scope_.mount_paths[j]});
    return true;
  }

  // The expected variables with their values; any other variable that names a node path
  // the container cannot see has leaked; an expected one the container lacks is missing.
  bool environment() noexcept {
    name_pairing names(expected_env_, expected_count_, os_);
    for (std::size_t k = 0; k < container_.environment_count; ++k) {
      scratch_.rewind(base_);
      const env_var_view& v = container_.environment[k];
      if (const env_var_view* expected = names.match(v.name)) {
        if (expected->value != v.value)
          violations_.add({violation_class::wrong_value, v.name, v.value, expected->value, std::nullopt});
        continue;
      }
      std::optional<data_path> path;
      if (names_unseen_path(v.value, path)) violations_.add({violation_class::leaked_variable, v.name, v.value, {}, path});
      if (scratch_.overflowed()) return false;
    }
    for (std::size_t j = 0; j < expected_count_; ++j)
      if (!names.present(j, container_))
        violations_.add(
            {violation_class::missing_variable, expected_env_[j].name, {}, expected_env_[j].value, std::nullopt});
    return true;
  }

  // Whether a value (or one entry of a path list) names a place under the node root, on the
  // host or in the container, that no mount shows; `path` is then the data path concerned.
  bool names_unseen_path(std::string_view value, std::optional<data_path>& path) noexcept {
    const bool on_linux = os_ == node_os::linux_node;
    bool hidden = false;
    for_each_entry(value, list_separator(os_), [&](std::string_view entry) {
      if (hidden) return;
      // Windows spellings as a program in the container reads them (decision 31): a path
      // rooted without a drive is on the container's C:.
      if (!on_linux) entry = windows_drive_spelling(entry, row(os_).container_drive[0], scratch_).text;
      const auto c = canonical(entry);
      if (!c) return;
      const bool on_host = within(*c, scope_.node_root, os_);
      const bool in_container = within(*c, container_root_, os_);
      if (!on_host && !in_container) return;
      // Linux: host and container paths are the same. Windows: only container paths are.
      const std::size_t at = scratch_.mark();
      if (shown_by_a_mount(*c) && (on_linux || in_container)) return;
      hidden = true;
      std::string_view host = *c;
      if (!on_host) {  // a container path on Windows: the host path has the host's drive
        scratch_.put(scope_.node_root.substr(0, 2));
        scratch_.put(c->substr(2));
        host = scratch_.since(at);
      }
      path = unselected_path_of(scope_, host);
    });
    return hidden;
  }

  // Whether some container mount's container path holds the canonical path c.
  bool shown_by_a_mount(std::string_view c) noexcept {
    const std::size_t at = scratch_.mark();
    bool visible = false;
    for (std::size_t j = 0; j < container_.mount_count && !visible; ++j) {
      const auto target = canonical(container_.mounts[j].container_path);
      visible = target && within(c, *target, os_);
      scratch_.rewind(at);
    }
    return visible;
  }

  // The working directory, where the resolution names one (the image's default is whatever
  // the image says).
  bool working_directory() noexcept {
    scratch_.rewind(base_);
    if (!scope_.working_directory) return true;
    const std::string_view observed = container_.working_directory.value_or("");
    const auto c = canonical(observed);
    const auto e = canonical(*scope_.working_directory);
    if (scratch_.overflowed()) return false;
    if (!c || !e || !same_path(*c, *e, os_))
      violations_.add({violation_class::working_directory, {}, observed, *scope_.working_directory, std::nullopt});
    return true;
  }

  const verify_scope& scope_;
  node_os os_;
  const env_var_view* expected_env_;
  std::size_t expected_count_;
  const container_view& container_;
  bounded<violation_view> violations_;
  bounded<mount_view> outside_;
  bounded<mount_view> also_;
  arena& scratch_;
  std::string_view container_root_;
  std::size_t base_ = 0;
};

inline result<verify_counts> verify_with(const verify_scope& scope, const env_var_view* expected_env,
                                         std::size_t expected_count, const container_view& container,
                                         violation_view* out, std::size_t capacity, mount_view* outside,
                                         std::size_t outside_capacity, arena& scratch, mount_view* also_mounted,
                                         std::size_t also_capacity) noexcept {
  return comparison(scope, expected_env, expected_count, container, {out, capacity}, {outside, outside_capacity},
                    {also_mounted, also_capacity}, scratch)
      .run();
}
}  // namespace detail

}  // namespace v1
}  // namespace batchmount

#endif
