#ifndef BATCHMOUNT_RUN_OPTIONS_JUDGE_HPP
#define BATCHMOUNT_RUN_OPTIONS_JUDGE_HPP

// containerRunOptions judged against a resolution: every bind through the judgement verify
// uses (verify/scope.hpp), every variable through filter_environment (decisions 13 and 14),
// the working directory by what the container's mounts show, and the options that open the
// host. One list of findings, used by resolve, the renderers, verify and the command line.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "batchmount/detail/arena.hpp"
#include "batchmount/detail/ascii.hpp"
#include "batchmount/detail/path.hpp"
#include "batchmount/environment/filter.hpp"
#include "batchmount/resolution/types.hpp"
#include "batchmount/result.hpp"
#include "batchmount/run_options/read.hpp"
#include "batchmount/run_options/types.hpp"
#include "batchmount/verify/scope.hpp"

namespace batchmount {
inline namespace v1 {

// What a list of run options does: the findings in option order, and the binds from
// outside the node root (your own volumes, /etc/ssl/certs), which are out of scope and never
// findings.
struct run_option_report {
  std::vector<run_option_finding> findings;
  std::vector<std::string> outside_scope;  // each option as written
};

namespace detail {
// A dangerous capability: one that reaches host files, devices or other processes.
inline bool opens_host(std::string_view capability) noexcept {
  if (starts_with(capability, "CAP_", true)) capability.remove_prefix(4);
  for (const std::string_view c : {"ALL", "SYS_ADMIN", "DAC_READ_SEARCH", "SYS_MODULE", "SYS_RAWIO", "SYS_PTRACE", "BPF"})
    if (iequals(capability, c)) return true;
  return false;
}

// A container engine's API socket or pipe: whoever holds it controls the node.
inline bool is_engine_socket(std::string_view source) noexcept {
  for (const std::string_view s : {"/var/run/docker.sock", "/run/docker.sock", "/run/containerd/containerd.sock",
                                   "/var/run/containerd/containerd.sock", "\\\\.\\pipe\\docker_engine",
                                   "//./pipe/docker_engine"})
    if (iequals(source, s)) return true;
  return false;
}

// The sentence a privilege option gets, or empty when the option opens nothing.
inline std::string privilege_of(const run_option& o) {
  const std::string v = o.value.value_or("");
  const bool on = !o.value || parse_go_bool(v).value_or(false);
  const auto shared = [&](std::string_view what) {
    if (iequals(v, "host")) return "shares the node's " + std::string(what) + " namespace with the container";
    if (starts_with(v, "container:", true)) return "shares another container's " + std::string(what) + " namespace, which may be another task's";
    return std::string();
  };
  if (o.flag == "privileged" && on) return "gives the container every capability and every host device: it can mount the node's disks";
  if (o.flag == "use-api-socket" && on) return "gives the container the Docker API socket: whoever holds it controls the node";
  if (o.flag == "device") return "gives the container the host device " + v;
  if (o.flag == "cap-add") {
    std::string opened;
    for_each_entry(v, ',', [&](std::string_view c) {
      if (opens_host(c)) (opened += opened.empty() ? "" : ", ") += std::string(c);
    });
    if (!opened.empty()) return "adds the capability " + opened + ", which reaches host files, devices or processes";
  }
  if (o.flag == "pid") return shared("PID");
  if (o.flag == "ipc") return shared("IPC");
  if (o.flag == "uts" && iequals(v, "host")) return shared("UTS");
  if (o.flag == "userns" && iequals(v, "host")) return "runs the container in the node's user namespace (no user remapping)";
  if (o.flag == "cgroupns" && iequals(v, "host")) return shared("cgroup");
  if ((o.flag == "network" || o.flag == "net") && iequals(v, "host"))
    return "shares the node's network namespace, its abstract unix sockets included (containerd-shim, CVE-2020-15257)";
  if (o.flag == "security-opt") {
    for (const std::string_view off : {"apparmor=unconfined", "apparmor:unconfined", "seccomp=unconfined",
                                       "seccomp:unconfined", "label=disable", "label:disable",
                                       "systempaths=unconfined", "systempaths:unconfined"})
      if (iequals(v, off)) return "turns confinement off (" + v + ")";
  }
  return {};
}


// The environment finding for -e NAME[=VALUE], or empty.
inline std::string environment_of(const resolution& r, const std::string& assignment) {
  const std::size_t eq = assignment.find('=');
  const std::string name = assignment.substr(0, eq);
  if (eq == std::string::npos)
    // A name the filter decides on (a Batch variable, HOME, PWD, PATH), as decide.hpp says.
    return role_of(name, env_scope(r, env_rule::isolation_invariant), r.os) != variable_role::other
               ? "passes the node agent's own " + name + ", which batchmount did not judge"
               : std::string();
  const auto decided = filter_environment(r, std::vector<env_var>{{name, assignment.substr(eq + 1)}});
  if (!decided) return "sets a variable batchmount cannot judge: " + std::string(decided.error().rule());
  const env_decision& d = decided->decisions.front();
  const std::string where = d.path ? std::string(to_wire(*d.path)) : std::string("a data path");
  if (d.action == env_action::removed) return "sets " + name + ", which batchmount removes: it names " + where + ", which is not mounted";
  if (d.reason == env_reason::path_entries_removed)
    return "sets " + name + " with entries inside " + where + ", which is not mounted (batchmount drops them)";
  if (d.reason == env_reason::names_unmounted_path) return "sets " + name + " to a path inside " + where + ", which is not mounted";
  return {};
}

// The working-directory finding for -w PATH, or empty: a place under the node root (as the
// container sees it) that no mount shows.
inline std::string working_directory_of(const resolution& r, const verify_scope& scope, const std::string& path,
                                        arena& scratch) {
  const auto c = canonical_path(path, r.os, parent_references::resolve, scratch);
  if (!c) return {};
  const std::string_view container_root = container_path_of(scope.node_root, r.os, scratch);
  if (!within(*c, container_root, r.os) && !within(*c, scope.node_root, r.os)) return {};
  for (std::size_t j = 0; j < scope.mount_count; ++j)
    if (within(*c, scope.mounts[j].container_path, r.os)) return {};
  return "starts the container in " + path + ", under the node root where no mount shows anything" +
         (r.working_directory ? std::string() : std::string(" (without Task the working directory must be the image's)"));
}
}  // namespace detail

// Judges read run options against a resolution.
inline run_option_report judge_run_options(const resolution& r, const run_option_list& options) {
  run_option_report out;
  const detail::verify_scope scope(r);
  std::string storage(4 * (r.node_root.size() + 16), '\0');
  const auto add = [&](run_option_class kind, const run_option& o, std::string message, std::optional<data_path> path = {}) {
    out.findings.push_back({kind, o.written, o.position, o.written + ": " + message, path});
  };
  for (const auto& o : options.options) {
    const std::size_t need = 4 * (r.node_root.size() + o.written.size() + 16);
    if (storage.size() < need) storage.resize(need);
    arena scratch(&storage[0], storage.size());
    if (const std::string why = detail::privilege_of(o); !why.empty()) add(run_option_class::privilege, o, why);
    if (o.flag == "volumes-from") {
      add(run_option_class::volumes_from, o, "copies every mount of container " + o.value.value_or("") + ", which may be another task's");
    } else if (o.flag == "workdir") {
      if (std::string why = detail::working_directory_of(r, scope, o.value.value_or(""), scratch); !why.empty())
        add(run_option_class::working_directory, o, why);
    } else if (o.flag == "env") {
      if (std::string why = detail::environment_of(r, o.value.value_or("")); !why.empty())
        add(run_option_class::environment, o, why);
    } else if (o.flag == "env-file") {
      add(run_option_class::environment, o, "reads variables from the host file " + o.value.value_or("") +
                                                ", which batchmount cannot see: none of them is judged");
    }
    const auto bind = bind_of(o, r.os);
    if (!bind) {
      add(run_option_class::unreadable, o, "cannot be read as a bind mount: " + std::string(bind.error().rule()));
      continue;
    }
    if (!*bind) continue;
    if (detail::is_engine_socket((*bind)->source))
      add(run_option_class::privilege, o, "gives the container the container engine's API: whoever holds it controls the node");
    const mount_view m{std::nullopt, (*bind)->source, (*bind)->target, (*bind)->read_only, (*bind)->recursive};
    const auto judged = detail::judge_mount(scope, m, scratch);
    using place = detail::mount_judgement::place;
    if (judged.where == place::outside_scope) {
      out.outside_scope.push_back(o.written);
    } else if (judged.where == place::unselected) {
      std::string what = "reaches the node root or a directory under it that the task did not select";
      if (judged.path) what = "is or holds " + std::string(to_wire(*judged.path)) + ", which the task did not select";
      add(run_option_class::mount_exposes_unselected, o, "mounts " + (*bind)->source + ", which " + what, judged.path);
    } else if (judged.weaker) {
      const std::string where = judged.path ? std::string(to_wire(*judged.path)) : std::string("the node root");
      add(run_option_class::mount_weakens_selection, o,
          *judged.weaker == violation_class::writable
              ? "mounts " + (*bind)->source + " read/write; the task asked for " + where + " read-only"
              : "mounts " + (*bind)->source + " read-only but not recursively (submounts of " + where +
                    " stay writable); use --mount ...,readonly,bind-recursive=readonly",
          judged.path);
    }
  }
  return out;
}

namespace detail {
constexpr error_code refusal_code(run_option_class c) noexcept {
  switch (c) {
    case run_option_class::mount_exposes_unselected: return error_code::run_option_exposes_unselected;
    case run_option_class::mount_weakens_selection: return error_code::run_option_weakens_selection;
    case run_option_class::volumes_from: return error_code::run_option_volumes_from;
    case run_option_class::working_directory: return error_code::run_option_working_directory;
    default: return error_code::run_options_unreadable;
  }
}
}  // namespace detail

// Reads and judges containerRunOptions against a resolution, with the policy: under
// `refuse` the first finding refused by default (refused_by_default) fails, with the error
// code of its class (run_option_exposes_unselected, run_option_weakens_selection,
// run_option_volumes_from, run_option_working_directory, run_options_unreadable) naming the
// option as written and its word position; under `accept` every finding comes back (an
// unreadable text as one run_options_unreadable finding, its list empty and not readable).
inline result<run_option_report> check_run_options(const resolution& r, std::string_view text, run_option_policy policy,
                                                  run_option_list& read) {
  auto options = read_run_options(text, r.os);
  if (!options) {
    if (policy == run_option_policy::refuse) return options.error();
    read = {std::string(text), {}, {}, false};
    run_option_report out;
    out.findings.push_back({run_option_class::unreadable, std::string(options.error().value()), options.error().index(),
                            "containerRunOptions cannot be read at \"" + std::string(options.error().value()) +
                                "\" (word #" + std::to_string(options.error().index()) +
                                "): an option that cannot be read might hide a mount; none of them is carried",
                            std::nullopt});
    return out;
  }
  read = std::move(*options);
  run_option_report report = judge_run_options(r, read);
  if (policy == run_option_policy::refuse)
    for (const auto& f : report.findings)
      if (refused_by_default(f.kind)) return error(detail::refusal_code(f.kind), f.option, f.position);
  return report;
}

}  // namespace v1
}  // namespace batchmount

#endif
