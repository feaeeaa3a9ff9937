#include <batchmount/batchmount.hpp>

int main() {
  static constexpr batchmount::bind_mount_entry entries[] = {{"Task", true}};
  static_assert(batchmount::make_plan({entries, std::nullopt}).has_value(), "plans");
  const auto context = batchmount::make_context(batchmount::context_options::job_task("job", "task"));
  const auto r = batchmount::resolve(batchmount::container_request{entries, std::nullopt}, *context);
  return r && r->mounts.size() == 1 ? 0 : 1;
}
