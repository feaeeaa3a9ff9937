// The README's example, kept compiling.
#include <cstdio>

#include <batchmount/batchmount.hpp>
namespace bm = batchmount;

int main() {
  // containerHostBatchBindMounts: [{"source": "Task", "isReadOnly": true}]
  static constexpr bm::bind_mount_entry entries[] = {{"Task", true}};
  static_assert(bm::make_plan({entries, std::nullopt}).has_value(), "checked at compile time");

  auto context = bm::make_context({bm::node_os::linux_node, std::nullopt, "myJob", std::nullopt, "task1"});
  auto resolved = bm::resolve(bm::container_request{entries, std::nullopt}, *context);
  if (!resolved) { std::puts(resolved.error().message().c_str()); return 1; }
  for (const auto& m : resolved->mounts)
    std::printf("%s -> %s%s\n", m.host_path.c_str(), m.container_path.c_str(), m.read_only ? " ro" : "");
  auto env = bm::filter_environment(*resolved, *bm::standard_environment(*context));
  for (const auto& name : env->removed_names()) std::printf("removed %s\n", name.c_str());
  return 0;
}
