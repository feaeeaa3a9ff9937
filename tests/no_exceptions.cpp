// Built with -fno-exceptions -fno-rtti and the GNU dialect: the headers must compile and work
// there. Returns non-zero when a result
// differs.
#include <cstdio>
#include <string>

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
    const auto context = make_context(context_options::job_task("myJob", "myTask1").on(os));
    expect(context.has_value(), "context");
    const auto r = resolve(container_request{article, std::nullopt}, *context);
    expect(r.has_value() && r->mounts.size() == 1 && r->mounts[0].read_only, "one read-only mount");
    const auto env = filter_environment(*r, *standard_environment(*context));
    expect(env.has_value() && env->removed_names().size() == 6, "six variables removed");
  }
  // Long names and values (texts longer than eight bytes).
  const auto windows = make_context(context_options::job_task("myJob", "myTask1").on(node_os::windows_node));
  static constexpr bind_mount_entry shared[] = {{"Shared", false}, {"Task", false}};
  const auto r = resolve(container_request{shared, std::nullopt}, *windows);
  const std::string inside = "D:/batch/tasks/shared/a/long/way/down/to/a/file.txt";
  const auto kept = filter_environment(*r, {{"AZ_BATCH_SOME_LONG_VARIABLE_NAME", inside}});
  expect(kept.has_value() && kept->decisions[0].container_value == "C:\\batch\\tasks\\shared\\a\\long\\way\\down\\to\\a\\file.txt",
         "a long path rewritten on C:");
  const auto nul = filter_environment(*r, {{"AZ_BATCH_SOME_LONG_VARIABLE_NAME", inside + std::string(1, '\0') + "x"}});
  expect(!nul && nul.error().code() == error_code::invalid_environment_value, "NUL late in a long value");
  const auto equals = filter_environment(*r, {{"AZ_BATCH_SOME_LONG_VARIABLE=NAME", "x"}});
  expect(!equals && equals.error().code() == error_code::invalid_environment_name, "'=' late in a long name");
  expect(r.has_value() && r->mounts.size() == 2 && r->mounts[0].source == data_path::shared, "mounts ordered by depth");
  const auto bad = make_context(context_options::job_task("..", "t"));
  expect(!bad && bad.error().code() == error_code::invalid_job_id, "'..' rejected");
  if (failures == 0) std::puts("no-exceptions build: all checks passed");
  return failures == 0 ? 0 : 1;
}
