// The real values in docs/decisions.md (the facts) and the article come out exactly.
#include <string>
#include <utility>
#include <vector>

#include "batchmount/batchmount.hpp"
#include "catch.hpp"

using namespace batchmount;

namespace {
std::optional<std::string> find(const std::vector<env_var>& env, std::string_view name) {
  for (const auto& v : env)
    if (v.name == name) return v.value;
  return std::nullopt;
}
}  // namespace

TEST_CASE("the Linux quickstart's printenv listing comes out of the standard environment") {
  const auto context = make_context(context_options::job_task("myJob", "myTask1"));
  REQUIRE(context);
  const auto env = standard_environment(*context);
  REQUIRE(env);
  const std::vector<std::pair<const char*, const char*>> printenv = {
      {"AZ_BATCH_NODE_ROOT_DIR", "/mnt/batch/tasks"},
      {"AZ_BATCH_NODE_SHARED_DIR", "/mnt/batch/tasks/shared"},
      {"AZ_BATCH_NODE_STARTUP_DIR", "/mnt/batch/tasks/startup"},
      {"AZ_BATCH_TASK_DIR", "/mnt/batch/tasks/workitems/myJob/job-1/myTask1"},
      {"AZ_BATCH_TASK_WORKING_DIR", "/mnt/batch/tasks/workitems/myJob/job-1/myTask1/wd"},
      {"AZ_BATCH_CERTIFICATES_DIR", "/mnt/batch/tasks/workitems/myJob/job-1/myTask1/certs"},
      {"AZ_BATCH_JOB_ID", "myJob"},
      {"AZ_BATCH_TASK_ID", "myTask1"},
  };
  for (const auto& [name, value] : printenv) {
    INFO(name);
    CHECK(find(*env, name) == std::optional<std::string>(value));
  }
  CHECK(find(*env, "AZ_BATCH_NODE_MOUNTS_DIR") == std::optional<std::string>("/mnt/batch/tasks/fsmounts"));
  CHECK(find(*env, "AZ_BATCH_JOB_PREP_WORKING_DIR") ==
        std::optional<std::string>("/mnt/batch/tasks/workitems/myJob/job-1/jobpreparation/wd"));
}

TEST_CASE("the article's Windows table, JobPrep rows corrected (host D:, container C:)") {
  const auto context = make_context(context_options::job_task("myJob", "myTask1").on(node_os::windows_node));
  REQUIRE(context);
  std::vector<bind_mount_entry> all;
  for (const auto path : all_data_paths) all.push_back(bind_mount_entry::of(path, false));
  const auto r = resolve(container_request{all, std::nullopt}, *context);
  REQUIRE(r);
  const auto env = standard_environment(*context, {{"app", std::nullopt}});
  REQUIRE(env);
  const auto filtered = filter_environment(*r, *env);
  REQUIRE(filtered);
  // {workitemname}\{jobname}\{taskname} = myJob\job-1\myTask1; job prep task: jobpreparation.
  const std::vector<std::tuple<const char*, const char*, const char*>> table = {
      {"AZ_BATCH_APP_PACKAGE_app", "D:\\batch\\tasks\\applications\\app", "C:\\batch\\tasks\\applications\\app"},
      {"AZ_BATCH_NODE_SHARED_DIR", "D:\\batch\\tasks\\shared", "C:\\batch\\tasks\\shared"},
      {"AZ_BATCH_NODE_STARTUP_DIR", "D:\\batch\\tasks\\startup", "C:\\batch\\tasks\\startup"},
      {"AZ_BATCH_NODE_MOUNTS_DIR", "D:\\batch\\tasks\\fsmounts", "C:\\batch\\tasks\\fsmounts"},
      {"AZ_BATCH_NODE_STARTUP_WORKING_DIR", "D:\\batch\\tasks\\startup\\wd", "C:\\batch\\tasks\\startup\\wd"},
      {"AZ_BATCH_JOB_PREP_DIR", "D:\\batch\\tasks\\workitems\\myJob\\job-1\\jobpreparation",
       "C:\\batch\\tasks\\workitems\\myJob\\job-1\\jobpreparation"},
      {"AZ_BATCH_JOB_PREP_WORKING_DIR", "D:\\batch\\tasks\\workitems\\myJob\\job-1\\jobpreparation\\wd",
       "C:\\batch\\tasks\\workitems\\myJob\\job-1\\jobpreparation\\wd"},
      {"AZ_BATCH_TASK_DIR", "D:\\batch\\tasks\\workitems\\myJob\\job-1\\myTask1",
       "C:\\batch\\tasks\\workitems\\myJob\\job-1\\myTask1"},
      {"AZ_BATCH_TASK_WORKING_DIR", "D:\\batch\\tasks\\workitems\\myJob\\job-1\\myTask1\\wd",
       "C:\\batch\\tasks\\workitems\\myJob\\job-1\\myTask1\\wd"},
  };
  for (const auto& [name, host, container] : table) {
    INFO(name);
    CHECK(find(*env, name) == std::optional<std::string>(host));
    CHECK(find(filtered->variables(), name) == std::optional<std::string>(container));
  }
  // The mount points are the directories of the same table.
  std::vector<std::pair<std::string, std::string>> mounts;
  for (const auto& m : r->mounts) mounts.emplace_back(m.host_path, m.container_path);
  CHECK(mounts == std::vector<std::pair<std::string, std::string>>{
                      {"D:\\batch\\tasks\\shared", "C:\\batch\\tasks\\shared"},
                      {"D:\\batch\\tasks\\applications", "C:\\batch\\tasks\\applications"},
                      {"D:\\batch\\tasks\\startup", "C:\\batch\\tasks\\startup"},
                      {"D:\\batch\\tasks\\fsmounts", "C:\\batch\\tasks\\fsmounts"},
                      {"D:\\batch\\tasks\\workitems\\myJob\\job-1\\jobpreparation",
                       "C:\\batch\\tasks\\workitems\\myJob\\job-1\\jobpreparation"},
                      {"D:\\batch\\tasks\\workitems\\myJob\\job-1\\myTask1",
                       "C:\\batch\\tasks\\workitems\\myJob\\job-1\\myTask1"}});
}

TEST_CASE("the article's request on Linux: Task read-only, everything else hidden") {
  static constexpr bind_mount_entry article[] = {{"Task", true}};
  STATIC_REQUIRE(make_plan({article, std::nullopt}).has_value());
  const auto context = make_context(context_options::job_task("myJob", "taskId"));
  const auto r = resolve(container_request{article, std::nullopt}, *context);
  REQUIRE(r);
  REQUIRE(r->mounts.size() == 1);
  CHECK(r->mounts[0] == mount{data_path::task, "/mnt/batch/tasks/workitems/myJob/job-1/taskId",
                                   "/mnt/batch/tasks/workitems/myJob/job-1/taskId", true, true});  // read-only, recursively
  CHECK(r->working_directory == "/mnt/batch/tasks/workitems/myJob/job-1/taskId/wd");
  CHECK(r->warnings == std::vector<warning_code>{warning_code::read_only_task_working_directory});
  const auto filtered = filter_environment(*r, *standard_environment(*context));
  REQUIRE(filtered);
  CHECK(filtered->removed_names() ==
        std::vector<std::string>{"AZ_BATCH_NODE_SHARED_DIR", "AZ_BATCH_NODE_STARTUP_DIR",
                                 "AZ_BATCH_NODE_STARTUP_WORKING_DIR", "AZ_BATCH_NODE_MOUNTS_DIR",
                                 "AZ_BATCH_JOB_PREP_DIR", "AZ_BATCH_JOB_PREP_WORKING_DIR"});
}

TEST_CASE("the specification's duplicate-source example is accepted as one mount") {
  static constexpr bind_mount_entry duplicates[] = {{"Task", true}, {"Task", true}};
  constexpr auto p = make_plan({duplicates, std::nullopt});
  STATIC_REQUIRE(p.has_value());
  STATIC_REQUIRE(p->mount_count() == 1);
}
