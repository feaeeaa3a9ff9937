// Built with -fno-exceptions -fno-rtti and the GNU dialect: the headers must compile and
// work there. Returns non-zero when a result differs.
#include <cstdio>

#include "batchmount/batchmount.hpp"

namespace {
int failures = 0;
void expect(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "FAILED: %s\n", what);
    ++failures;
  }
}
}  // namespace

int main() {
  using namespace batchmount;
  static constexpr bind_mount_entry article[] = {{"Task", true}};
  static_assert(make_plan({article, std::nullopt}).has_value(), "the article's request plans");
  for (const node_os os : {node_os::linux_node, node_os::windows_node}) {
    const auto context = make_context({os, std::nullopt, "myJob", std::nullopt, "myTask1"});
    expect(context.has_value(), "context");
    const auto r = resolve(container_request{article, std::nullopt}, *context);
    expect(r.has_value() && r->mounts.size() == 1 && r->mounts[0].read_only, "one read-only mount");
    const auto env = filter_environment(*r, *standard_environment(*context));
    expect(env.has_value() && env->removed_names().size() == 6, "six variables removed");
  }
  const auto bad = make_context({node_os::linux_node, std::nullopt, "..", std::nullopt, "t"});
  expect(!bad && bad.error().code() == error_code::invalid_job_id, "'..' rejected");
  if (failures == 0) std::puts("no-exceptions build: all checks passed");
  return failures == 0 ? 0 : 1;
}
