// Resolves the article's example request (Task, read-only) for a Linux and a Windows node
// and prints why each data path is or is not mounted, the mounts, the environment changes
// and the working directory.
#include <cstdio>
#include <vector>

#include "batchmount/batchmount.hpp"

namespace bm = batchmount;

static int show(bm::node_os os) {
  // containerSettings.containerHostBatchBindMounts = [{"source": "Task", "isReadOnly": true}]
  static constexpr bm::bind_mount_entry entries[] = {{"Task", true}};
  const bm::container_request request{entries, std::nullopt};

  const auto context = bm::make_context(bm::context_options::job_task("myJob", "taskId").on(os));
  if (!context) return std::fprintf(stderr, "error: %s\n", context.error().message().c_str()), 1;
  const auto resolved = bm::resolve(request, *context);
  if (!resolved) return std::fprintf(stderr, "error: %s\n", resolved.error().message().c_str()), 1;
  const auto host_env = bm::standard_environment(*context, {{"blender", std::string_view("2.79")}});
  const auto env = bm::filter_environment(*resolved, *host_env);
  if (!env) return std::fprintf(stderr, "error: %s\n", env.error().message().c_str()), 1;

  std::printf("== %s node, root %s ==\n", bm::to_string(os).data(), resolved->node_root.c_str());
  std::printf("data paths:\n");
  for (const auto& why : resolved->explanations) std::printf("  %s\n", why.text().c_str());
  std::printf("mounts (in mount order):\n");
  for (const auto& m : resolved->mounts)
    std::printf("  %s -> %s (%s)\n", m.host_path.c_str(), m.container_path.c_str(),
                m.read_only ? "read-only, recursive" : "read/write");
  std::printf("environment:\n");
  for (const auto& d : env->decisions)
    if (d.action != bm::env_action::kept) std::printf("  %s\n", d.text().c_str());
  std::printf("working directory: %s\n",
              resolved->working_directory ? resolved->working_directory->c_str()
                                          : "(containerImageDefault)");
  for (const auto w : resolved->warnings)
    std::printf("warning: %s\n", bm::warning_text(w).data());
  std::printf("\n");
  return 0;
}

int main() { return show(bm::node_os::linux_node) | show(bm::node_os::windows_node); }
