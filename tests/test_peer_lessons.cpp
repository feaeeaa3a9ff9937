// Bugs other schedulers and runtimes shipped (docs/decisions.md, "Lessons from peers"), as tests.
#include <sstream>
#include <string>
#include <vector>

#include "batchmount/batchmount.hpp"
#include "catch.hpp"

using namespace batchmount;

namespace {
result<node_context> context(node_os os, std::string_view root, std::string_view task = "task1") {
  return make_context(context_options::job_task("job", task).on(os).with_node_root(root));
}
}  // namespace

TEST_CASE("containerd #2596 / CDI #240: parents first, stable, byte-for-byte repeatable") {
  const std::vector<bind_mount_entry> entries = {
      {"Task", true}, {"VfsMounts", true}, {"JobPrep", false}, {"Applications", true}, {"Shared", false}};
  const auto ctx = context(node_os::linux_node, "/mnt/batch/tasks");
  const auto first = resolve(container_request{entries, std::nullopt}, *ctx);
  REQUIRE(first);
  for (int run = 0; run < 50; ++run) {
    const auto again = resolve(container_request{entries, std::nullopt}, *ctx);
    REQUIRE(again->mounts == first->mounts);
  }
  std::vector<std::string> hosts;
  for (const auto& m : first->mounts) hosts.push_back(m.host_path);
  CHECK(hosts == std::vector<std::string>{"/mnt/batch/tasks/fsmounts", "/mnt/batch/tasks/applications",
                                          "/mnt/batch/tasks/shared",
                                          "/mnt/batch/tasks/workitems/job/job-1/task1",
                                          "/mnt/batch/tasks/workitems/job/job-1/jobpreparation"});
}

TEST_CASE("Nomad #6181: a read/write request is never silently made read-only") {
  const std::vector<bind_mount_entry> entries = {{"Shared", false}, {"shared", true}};
  const auto p = make_plan({entries, std::string_view("containerImageDefault")});
  REQUIRE_FALSE(p);
  CHECK(p.error().code() == error_code::conflicting_read_only);
  CHECK(p.error().index() == 1);
  CHECK(p.error().message().find("must agree on isReadOnly") != std::string::npos);
}

TEST_CASE("compose #1787 / podman #18458: '/a/' and '/a' are the same root") {
  const auto a = context(node_os::linux_node, "/srv/batch/");
  const auto b = context(node_os::linux_node, "/srv//batch");
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a->node_root() == b->node_root());
  CHECK(a->host_directory(data_path::shared) == "/srv/batch/shared");
  const auto w = context(node_os::windows_node, "d:/batch/tasks/");
  CHECK(w->host_directory(data_path::shared) == "D:\\batch\\tasks\\shared");
}

TEST_CASE("Nomad HCSEC-2026-21 / HTCondor #363: containment by whole components") {
  const std::vector<bind_mount_entry> task_only = {{"Task", false}};
  const auto r = resolve(container_request{task_only, std::nullopt},
                         *context(node_os::linux_node, "/mnt/batch/tasks", "slot1"));
  REQUIRE(r);
  const auto env = filter_environment(
      *r, {{"AZ_BATCH_A", "/mnt/batch/tasks/workitems/job/job-1/slot10"},
           {"AZ_BATCH_B", "/mnt/batch/tasks/workitems/job/job-1/slot1/x"},
           {"AZ_BATCH_C", "/mnt/batch/tasks/sharedfoo"},
           {"AZ_BATCH_D", "/mnt/batch/tasks/shared/foo"}});
  REQUIRE(env);
  CHECK_FALSE(env->decisions[0].path.has_value());  // slot10 is not inside slot1
  CHECK(env->decisions[1].path == data_path::task);
  CHECK(env->decisions[2].action == env_action::kept);
  CHECK(env->decisions[3].action == env_action::removed);
}

TEST_CASE("moby #27587: Windows case and separators do not hide a data path") {
  const std::vector<bind_mount_entry> task_only = {{"Task", false}};
  const auto r = resolve(container_request{task_only, std::nullopt},
                         *context(node_os::windows_node, "d:\\Batch\\Tasks"));
  REQUIRE(r);
  const auto env = filter_environment(*r, {{"Az_Batch_Node_Startup_Dir", "D:/BATCH/TASKS/STARTUP/"},
                                           {"AZ_BATCH_X", "d:\\batch\\tasks\\startup\\\\wd"}});
  REQUIRE(env);
  CHECK(env->removed_names() == std::vector<std::string>{"Az_Batch_Node_Startup_Dir", "AZ_BATCH_X"});
}

TEST_CASE("CVE-2017-1002101 / CVE-2021-30465: ids that try to leave their directory") {
  const std::vector<std::string> attempts = {"..", ".", "../../etc", "a/b", "a\\b", "c:", std::string("a\0", 2),
                                             std::string(65, 'x'), "", "tab\t", "%2e%2e"};
  for (const auto& id : attempts) {
    INFO(id);
    const auto as_task = make_context(context_options::job_task("job", id));
    REQUIRE_FALSE(as_task);
    CHECK(as_task.error().code() == error_code::invalid_task_id);
    const auto as_job = make_context(context_options::job_task(id, "t").on(node_os::windows_node));
    REQUIRE_FALSE(as_job);
    CHECK(as_job.error().code() == error_code::invalid_job_id);
    const auto as_prep = make_context(context_options::job_task("j", "t").with_job_prep_task_id(id));
    CHECK(as_prep.error().code() == error_code::invalid_job_prep_task_id);
    const auto as_schedule =
        make_context(context_options::job_task("j", "t").with_job_schedule_id(std::string_view(id)));
    CHECK(as_schedule.error().code() == error_code::invalid_job_schedule_id);
  }
  CHECK(make_context(context_options::job_task("job", std::string(64, 'x'))));
}

TEST_CASE("runc CVE-2024-21626: the working directory is absolute and inside a mount") {
  for (const node_os os : {node_os::linux_node, node_os::windows_node}) {
    for (const auto& entries : std::vector<std::vector<bind_mount_entry>>{{{"Task", true}},
                                                                          {{"Shared", false}, {"Task", false}}}) {
      const auto r = resolve(container_request{entries, std::nullopt}, *context(os, row(os).default_node_root));
      REQUIRE(r);
      REQUIRE(r->working_directory);
      const auto& wd = *r->working_directory;
      CHECK((os == node_os::linux_node ? wd.front() == '/' : wd.rfind("C:\\", 0) == 0));
      bool inside = false;
      const char sep = row(os).separator;
      for (const auto& m : r->mounts) inside = inside || wd.rfind(m.container_path + sep, 0) == 0;
      CHECK(inside);
    }
  }
}

TEST_CASE("cctools #1832: nothing points at a path the container does not have") {
  const auto ctx = context(node_os::linux_node, "/mnt/batch/tasks");
  const std::vector<bind_mount_entry> entries = {{"Shared", true}, {"Task", false}};
  const auto r = resolve(container_request{entries, std::nullopt}, *ctx);
  const auto env = filter_environment(*r, *standard_environment(*ctx, {{"app", std::nullopt}}));
  REQUIRE(env);
  // Every path under the node root, whole value or one entry of PATH, must be visible.
  for (const auto& v : env->variables()) {
    std::stringstream list(v.value);
    for (std::string entry; std::getline(list, entry, ':');) {
      if (entry.rfind("/mnt/batch/tasks/", 0) != 0) continue;
      bool visible = false;
      for (const auto& m : r->mounts)
        visible = visible || entry == m.container_path || entry.rfind(m.container_path + "/", 0) == 0;
      INFO(v.name << "=" << v.value);
      CHECK(visible);
    }
  }
}

TEST_CASE("Nomad #2948: host and container values are both kept") {
  const std::vector<bind_mount_entry> entries = {{"Shared", false}, {"Task", false}};
  const auto ctx = context(node_os::windows_node, "D:\\batch\\tasks");
  const auto r = resolve(container_request{entries, std::nullopt}, *ctx);
  const auto env = filter_environment(*r, {{"AZ_BATCH_NODE_SHARED_DIR", "D:\\batch\\tasks\\shared"}});
  REQUIRE(env);
  CHECK(env->decisions[0].host_value == "D:\\batch\\tasks\\shared");
  CHECK(env->decisions[0].container_value == "C:\\batch\\tasks\\shared");
  CHECK(r->host_working_directory != r->working_directory);
}
