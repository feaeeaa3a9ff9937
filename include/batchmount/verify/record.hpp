#ifndef BATCHMOUNT_VERIFY_RECORD_HPP
#define BATCHMOUNT_VERIFY_RECORD_HPP

// What verify compares and reports: a container as a runtime describes it (views and an
// owning record), the container a resolution describes, and the violations.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "batchmount/environment/types.hpp"
#include "batchmount/resolution/types.hpp"
#include "batchmount/tables.hpp"

namespace batchmount {
inline namespace v1 {

// A container as views (the allocation-free form).
struct container_view {
  const mount_view* mounts = nullptr;  // as the runtime reports them (source: nullopt)
  std::size_t mount_count = 0;
  const env_var_view* environment = nullptr;
  std::size_t environment_count = 0;
  std::optional<std::string_view> working_directory;  // nullopt: the image's default
  // false: the runtime's document does not say which environment and working directory the
  // container has (crictl inspect without info.runtimeSpec); verify then checks neither.
  bool process_reported = true;
};

// A container that owns its strings: what the readers return and expected_container builds.
struct container_record {
  std::vector<mount> mounts;
  std::vector<env_var> environment;
  std::optional<std::string> working_directory;
  bool process_reported = true;  // as container_view::process_reported

  // Calls f(const container_view&) and returns its result; the view lives for the call.
  template <class F>
  decltype(auto) with_view(F&& f) const {
    std::vector<mount_view> m;
    std::vector<env_var_view> e;
    for (const auto& x : mounts) m.push_back({x.source, x.host_path, x.container_path, x.read_only, x.recursive});
    for (const auto& v : environment) e.push_back({v.name, v.value});
    container_view view{m.data(), m.size(), e.data(), e.size(), std::nullopt, process_reported};
    if (working_directory) view.working_directory = *working_directory;
    return std::forward<F>(f)(static_cast<const container_view&>(view));
  }
};

// The container a resolution describes: its mounts (read-only ones recursive on Linux),
// its kept and rewritten variables with their container values, its working directory.
inline container_record expected_container(const resolution& r, const container_environment& env) {
  container_record out;
  out.mounts = r.mounts;
  out.environment = env.variables();
  out.working_directory = r.working_directory;
  return out;
}

enum class violation_class : std::uint8_t {
  exposes_unselected,       // a mount is, holds or lies in a directory under the node root not selected
  writable,                 // a path to be mounted read-only is read/write
  read_only_not_recursive,  // read-only, but submounts stay writable
  missing,                  // a selected data path not mounted, or at another container path
  leaked_variable,          // a variable names a path the container cannot see
  missing_variable,         // an expected variable is not set
  wrong_value,              // an expected variable has another value
  working_directory,        // the working directory differs
};
inline constexpr std::size_t violation_class_count = 8;

// The class's name ("exposes_unselected", ...); empty for a value outside the enumeration.
constexpr std::string_view to_string(violation_class c) noexcept {
  std::string_view text;
  switch (c) {
    case violation_class::exposes_unselected: text = "exposes_unselected"; break;
    case violation_class::writable: text = "writable"; break;
    case violation_class::read_only_not_recursive: text = "read_only_not_recursive"; break;
    case violation_class::missing: text = "missing"; break;
    case violation_class::leaked_variable: text = "leaked_variable"; break;
    case violation_class::missing_variable: text = "missing_variable"; break;
    case violation_class::wrong_value: text = "wrong_value"; break;
    case violation_class::working_directory: text = "working_directory"; break;
  }
  return text;
}

// One difference. For mounts `subject` is the host source and `observed` the destination;
// for variables `subject` is the name and `observed` the value; for the working directory
// `observed` is the container's (empty: none). `expected` is what the resolution says (empty
// where nothing is expected), `path` the data path concerned (nullopt: the node root or a
// directory in no data path). basic_violation<std::string> owns its strings.
template <class Text>
struct basic_violation {
  violation_class kind = violation_class::missing;
  Text subject;
  Text observed;
  Text expected;
  std::optional<data_path> path;

  // One sentence that explains the violation.
  std::string text() const {
    const std::string s(subject.data(), subject.size()), o(observed.data(), observed.size()),
        e(expected.data(), expected.size());
    const std::string where = path ? std::string(to_wire(*path)) : std::string("a directory under the node root");
    switch (kind) {
      case violation_class::exposes_unselected:
        return "mount " + s + " -> " + o + " exposes " + (path ? where : std::string("the node root or a directory under it")) +
               ", which the task did not select";
      case violation_class::writable:
        return "mount " + s + " -> " + o + " is read/write; the task asked for " + where + " read-only";
      case violation_class::read_only_not_recursive:
        return "mount " + s + " -> " + o + " is read-only but not recursively: submounts of " + where +
               " (blobfuse, NFS) stay writable";
      case violation_class::missing:
        return where + " (" + e + ") is not mounted" + (o.empty() ? std::string() : " at its container path; it is at " + o);
      case violation_class::leaked_variable:
        return s + "=" + o + " names " + where + ", which the container cannot see";
      case violation_class::missing_variable:
        return s + " is not set; the resolution sets it to " + e;
      case violation_class::wrong_value:
        return s + " is " + o + "; the resolution sets it to " + e;
      case violation_class::working_directory:
        return "the working directory is " + (o.empty() ? std::string("the image's default") : o) + "; the resolution says " + e;
    }
    return {};
  }
};
using violation_view = basic_violation<std::string_view>;
using violation = basic_violation<std::string>;

// What verify found: how many violations and out-of-scope mounts it wrote.
struct verify_counts {
  std::size_t violations = 0;
  std::size_t outside_scope = 0;
  std::size_t also_mounted = 0;  // selected directories mounted a second time at another container path
};

}  // namespace v1
}  // namespace batchmount

#endif
