// The README's example, kept compiling.
#include <cstdio>

#include <batchmount/batchmount.hpp>
namespace bm = batchmount;

int main() {
  // containerHostBatchBindMounts: [{"source": "Task", "isReadOnly": true}]
  static constexpr bm::bind_mount_entry entries[] = {{"Task", true}};
  static_assert(bm::make_plan({entries, std::nullopt}).has_value(), "checked at compile time");

  auto context = bm::make_context(bm::context_options::job_task("myJob", "task1"));
  auto resolved = bm::resolve(bm::container_request{entries, std::nullopt}, *context);
  if (!resolved) { std::puts(resolved.error().message().c_str()); return 1; }
  for (const auto& m : resolved->mounts)
    std::printf("%s -> %s%s\n", m.host_path.c_str(), m.container_path.c_str(), m.read_only ? " ro" : "");
  auto env = bm::filter_environment(*resolved, *bm::standard_environment(*context));
  for (const auto& name : env->removed_names()) std::printf("removed %s\n", name.c_str());

  // The README's allocation-free form.
  char storage[4096];                       // ~1 KiB is enough for a context and 40 variables
  bm::arena into(storage);
  static constexpr auto plan = *bm::make_plan({entries, std::nullopt});   // once per request shape
  auto view_context = bm::make_context(bm::context_options::job_task("myJob", "task1"), into);
  bm::resolution_view r = *bm::resolve(plan, *view_context);               // mounts, working dir: views
  const bm::env_var_view host_env[] = {{"AZ_BATCH_NODE_SHARED_DIR", "/mnt/batch/tasks/shared"}, {"PATH", "/usr/bin"}};
  bm::env_decision_view out[2];
  auto n = bm::filter_environment(r, host_env, 2, out, 2, into);           // or error buffer_too_small
  if (!n || r.mount_count != 1 || out[0].action != bm::env_action::removed) return 1;
  std::printf("allocation-free: %zu mount, %s\n", r.mount_count, out[0].text().c_str());
  return 0;
}
