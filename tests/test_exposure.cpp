#include "batchmount/exposure.hpp"

#include <string>
#include <vector>

#include "catch.hpp"

using namespace batchmount;

namespace {
resolution task(std::string_view task_id, std::vector<bind_mount_entry> entries, bool null_list = false) {
  const auto context = make_context(context_options::job_task("job", task_id));
  const container_request request{entries, std::string_view("containerImageDefault")};
  auto r = resolve(null_list ? container_request{} : request, *context);
  REQUIRE(r);
  return *r;
}
}  // namespace

TEST_CASE("exposure: a shared path read by all and written by one is a one-way channel") {
  const std::vector<resolution> node = {task("t1", {{"Shared", false}, {"Task", false}}),
                                        task("t2", {{"Shared", true}, {"Task", false}}),
                                        task("t3", {{"Shared", true}})};
  const auto found = analyze_exposure(node);
  REQUIRE(found.size() == 1);  // task directories are private
  CHECK(found[0].host_path == "/mnt/batch/tasks/shared");
  CHECK(found[0].writers == std::vector<std::size_t>{0});
  CHECK(found[0].readers == std::vector<std::size_t>{1, 2});
  CHECK(found[0].kind == channel::one_way);
  CHECK(to_string(found[0].kind) == "one-way");
}

TEST_CASE("exposure: two writers make a two-way channel; readers only, no channel") {
  const auto two = analyze_exposure(std::vector<resolution>{task("a", {{"Startup", false}}), task("b", {{"Startup", false}})});
  REQUIRE(two.size() == 1);
  CHECK(two[0].kind == channel::two_way);
  const auto none = analyze_exposure(std::vector<resolution>{task("a", {{"VfsMounts", true}}), task("b", {{"VfsMounts", true}})});
  REQUIRE(none.size() == 1);
  CHECK(none[0].kind == channel::read_only);
  CHECK(to_string(none[0].kind) == "read-only");
  CHECK(analyze_exposure(std::vector<resolution>{task("a", {{"Shared", false}})}).empty());
  CHECK(analyze_exposure(std::vector<resolution>{}).empty());
}

TEST_CASE("exposure: a null list reaches every other task's directories, read/write") {
  const std::vector<resolution> node = {task("legacy", {}, true), task("t1", {{"Task", true}}),
                                        task("t2", {{"Applications", true}})};
  const auto found = analyze_exposure(node);
  std::vector<std::string> paths;
  for (const auto& e : found) paths.push_back(e.host_path);
  CHECK(paths == std::vector<std::string>{"/mnt/batch/tasks/workitems/job/job-1/t1", "/mnt/batch/tasks/applications"});
  for (const auto& e : found) {
    CHECK(e.writers == std::vector<std::size_t>{0});
    CHECK(e.kind == channel::one_way);
  }
  CHECK(to_string(channel::two_way) == "two-way");
}

TEST_CASE("exposure: views analyse the same as owning resolutions") {
  char storage[8192];
  arena into(storage);
  std::vector<resolution_view> views;
  for (const char* id : {"a", "b"}) {
    const auto context = make_context(context_options::job_task("job", id).on(node_os::windows_node), into);
    static constexpr bind_mount_entry entries[] = {{"Shared", false}, {"Task", false}};
    views.push_back(resolve(*make_plan({entries, std::nullopt}), *context).value());
  }
  const auto found = analyze_exposure(views);
  REQUIRE(found.size() == 1);
  CHECK(found[0].host_path == "D:\\batch\\tasks\\shared");
  CHECK(found[0].kind == channel::two_way);
}
