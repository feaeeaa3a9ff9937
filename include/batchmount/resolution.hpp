#ifndef BATCHMOUNT_RESOLUTION_HPP
#define BATCHMOUNT_RESOLUTION_HPP

// Stage 3: a plan materialized against a context (resolution/types.hpp says what comes
// out), and a request resolved in one call, its containerRunOptions judged on the way.

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

#include "batchmount/context.hpp"
#include "batchmount/detail/path.hpp"
#include "batchmount/plan.hpp"
#include "batchmount/request.hpp"
#include "batchmount/resolution/types.hpp"
#include "batchmount/result.hpp"
#include "batchmount/run_options.hpp"
#include "batchmount/tables.hpp"

namespace batchmount {
inline namespace v1 {

// Materializes a valid plan for a context: no allocation, no copy of any path. Fails with
// plan_for_other_kind (naming the context's kind) where the plan would mean something else
// there (plan_fits).
inline result<resolution_view> resolve(const plan& p, const context_view& context) noexcept {
  if (!plan_fits(p, context.kind)) return error(error_code::plan_for_other_kind, to_string(context.kind));
  resolution_view out;
  const node_os os = context.os;
  out.os = os;
  out.kind = context.kind;
  out.node_root = context.node_root;
  out.whole_root = p.whole_root;
  out.host_directories = context.host_directories;
  out.container_directories = context.container_directories;
  if (p.whole_root)
    out.mounts[out.mount_count++] = {std::nullopt, context.node_root, context.container_node_root, false, false};

  std::array<std::size_t, data_path_count> depth{};
  for (const data_path path : all_data_paths) {
    const path_selection& choice = p[path];
    if (choice.state != selection::selected || choice.implied) continue;
    const std::size_t i = static_cast<std::size_t>(path);
    // Insertion keeps the order stable: parents before children (containerd #2596), ties in
    // request order (CDI #240).
    const std::size_t d = detail::depth(context.host_directories[i], os);
    std::size_t at = out.mount_count;
    while (at > 0 && (depth[at - 1] > d ||
                      (depth[at - 1] == d && p[*out.mounts[at - 1].source].first_entry > choice.first_entry))) {
      out.mounts[at] = out.mounts[at - 1];
      depth[at] = depth[at - 1];
      --at;
    }
    out.mounts[at] = {path, context.host_directories[i], context.container_directories[i], choice.read_only,
                      choice.read_only && os == node_os::linux_node};
    depth[at] = d;
    ++out.mount_count;
  }
  if (p.working_dir == working_directory::task_working_directory) {
    out.host_working_directory = context.host_working_directory(data_path::task);
    out.working_directory = context.container_working_directories[static_cast<std::size_t>(data_path::task)];
  }
  const auto alias = row(context.kind).same_directory_as;
  for (const data_path path : all_data_paths) {
    const std::size_t i = static_cast<std::size_t>(path);
    const path_selection& choice = p[path];
    auto& why = out.explanations[i];
    why = {path, choice.state, choice.read_only, choice.first_entry, context.host_directories[i],
           context.container_directories[i], std::nullopt};
    // The two names of the task's own directory, where it has two.
    if (alias && path == data_path::task) why.same_directory_as = *alias;
    if (alias && path == *alias) why.same_directory_as = data_path::task;
  }
  if (p.warn_read_only_task_working_directory) out.warnings.push_back(warning_code::read_only_task_working_directory);
  if (p.has_run_options) out.warnings.push_back(warning_code::run_options_not_judged);
  if (p[data_path::job_prep].state == selection::selected && context.job_has_job_prep_task == false)
    out.warnings.push_back(warning_code::job_prep_directory_missing);
  return out;
}

// The owning form; fails as the view form does.
inline result<resolution> resolve(const plan& p, const node_context& context) {
  const auto view = resolve(p, context.view());
  if (!view) return view.error();
  return to_owned(*view);
}

// Plans and resolves in one call, and judges the request's containerRunOptions against the
// resolution (check_run_options): fails with the plan's error, or, under the default policy,
// with the first run option that reaches past the selection; under run_option_policy::accept
// the findings come back in resolution::run_option_findings.
inline result<resolution> resolve(const container_request& request, const node_context& context,
                                  run_option_policy policy = run_option_policy::refuse) {
  container_request mounts = request;
  mounts.run_options.reset();  // judged here, not by the plan
  const auto p = make_plan(mounts, context.kind());
  if (!p) return p.error();
  auto r = resolve(*p, context);
  if (!r || !request.run_options) return r;
  auto report = check_run_options(*r, *request.run_options, policy, r->run_options);
  if (!report) return report.error();
  r->run_option_findings = std::move(report->findings);
  r->run_options_outside_scope = std::move(report->outside_scope);
  return r;
}

// The same for an owning request (parsed JSON, command lines).
inline result<resolution> resolve(const owned_request& request, const node_context& context,
                                  run_option_policy policy = run_option_policy::refuse) {
  return request.with_view(
      [&](const container_request& view) { return resolve(view, context, policy); });
}

}  // namespace v1
}  // namespace batchmount

#endif
