#include "batchmount/tables.hpp"
#include "batchmount/environment.hpp"

#include <algorithm>
#include <string_view>
#include <vector>

#include "catch.hpp"

using namespace batchmount;

TEST_CASE("wire names are written in wire spelling") {
  STATIC_REQUIRE(to_wire(data_path::shared) == "Shared");
  STATIC_REQUIRE(to_wire(data_path::applications) == "Applications");
  STATIC_REQUIRE(to_wire(data_path::startup) == "Startup");
  STATIC_REQUIRE(to_wire(data_path::vfs_mounts) == "VfsMounts");
  STATIC_REQUIRE(to_wire(data_path::job_prep) == "JobPrep");
  STATIC_REQUIRE(to_wire(data_path::task) == "Task");
  STATIC_REQUIRE(to_wire(working_directory::task_working_directory) == "taskWorkingDirectory");
  STATIC_REQUIRE(to_wire(working_directory::container_image_default) == "containerImageDefault");
  STATIC_REQUIRE(to_string(node_os::linux_node) == "linux");
  STATIC_REQUIRE(to_string(node_os::windows_node) == "windows");
}

TEST_CASE("wire names parse case-insensitively, and nothing else parses") {
  STATIC_REQUIRE(parse_data_path("Vfsmounts") == data_path::vfs_mounts);  // the article's spelling
  STATIC_REQUIRE(parse_data_path("VFSMOUNTS") == data_path::vfs_mounts);
  STATIC_REQUIRE(parse_data_path("task") == data_path::task);
  STATIC_REQUIRE(parse_data_path("jobprep") == data_path::job_prep);
  STATIC_REQUIRE_FALSE(parse_data_path("").has_value());
  STATIC_REQUIRE_FALSE(parse_data_path("Tasks").has_value());
  STATIC_REQUIRE_FALSE(parse_data_path("Task ").has_value());
  STATIC_REQUIRE_FALSE(parse_data_path("fsmounts").has_value());  // the directory, not the enum
  STATIC_REQUIRE(parse_working_directory("containerimagedefault") ==
                 working_directory::container_image_default);
  STATIC_REQUIRE(parse_working_directory("TASKWORKINGDIRECTORY") ==
                 working_directory::task_working_directory);
  STATIC_REQUIRE_FALSE(parse_working_directory("imageDefault").has_value());
  STATIC_REQUIRE(parse_os("Windows") == node_os::windows_node);
  STATIC_REQUIRE_FALSE(parse_os("macos").has_value());
}

TEST_CASE("the data path table holds the directories and variables of docs/decisions.md") {
  STATIC_REQUIRE(row(data_path::shared).directory_template == "shared");
  STATIC_REQUIRE(row(data_path::shared).directory_variable == "AZ_BATCH_NODE_SHARED_DIR");
  STATIC_REQUIRE(row(data_path::applications).directory_template == "applications");
  STATIC_REQUIRE(row(data_path::applications).variable_prefix == "AZ_BATCH_APP_PACKAGE_");
  STATIC_REQUIRE(row(data_path::startup).directory_template == "startup");
  STATIC_REQUIRE(row(data_path::startup).working_subdirectory == "wd");
  STATIC_REQUIRE(row(data_path::startup).directory_variable == "AZ_BATCH_NODE_STARTUP_DIR");
  STATIC_REQUIRE(row(data_path::startup).working_directory_variable ==
                 "AZ_BATCH_NODE_STARTUP_WORKING_DIR");
  STATIC_REQUIRE(row(data_path::vfs_mounts).directory_template == "fsmounts");
  STATIC_REQUIRE(row(data_path::vfs_mounts).directory_variable == "AZ_BATCH_NODE_MOUNTS_DIR");
  STATIC_REQUIRE(row(data_path::job_prep).directory_template ==
                 "workitems/{job_dir}/{job_prep_task_id}");
  STATIC_REQUIRE(row(data_path::job_prep).directory_variable == "AZ_BATCH_JOB_PREP_DIR");
  STATIC_REQUIRE(row(data_path::job_prep).working_directory_variable ==
                 "AZ_BATCH_JOB_PREP_WORKING_DIR");
  STATIC_REQUIRE(row(data_path::task).directory_template == "workitems/{job_dir}/{task_id}");
  STATIC_REQUIRE(row(data_path::task).directory_variable == "AZ_BATCH_TASK_DIR");
  STATIC_REQUIRE(row(data_path::task).working_directory_variable == "AZ_BATCH_TASK_WORKING_DIR");
  STATIC_REQUIRE(data_path_table.size() == 6);
  STATIC_REQUIRE(detail::tables_are_complete_and_ordered());
}

TEST_CASE("the OS table holds the default roots and the Windows drive mapping") {
  STATIC_REQUIRE(row(node_os::linux_node).default_node_root == "/mnt/batch/tasks");
  STATIC_REQUIRE(row(node_os::windows_node).default_node_root == "D:\\batch\\tasks");
  STATIC_REQUIRE(row(node_os::linux_node).container_drive.empty());
  STATIC_REQUIRE(row(node_os::windows_node).container_drive == "C:");
  STATIC_REQUIRE(row(node_os::windows_node).case_insensitive);
  STATIC_REQUIRE_FALSE(row(node_os::linux_node).case_insensitive);
  STATIC_REQUIRE(default_job_prep_task_id == "jobpreparation");
}

TEST_CASE("task kinds: names, directories and the data path each coincides with") {
  STATIC_REQUIRE(task_kind_table.size() == task_kind_count);
  STATIC_REQUIRE(to_string(task_kind::job_manager) == "job-manager");
  STATIC_REQUIRE(to_string(task_kind::start) == "start");
  STATIC_REQUIRE(parse_task_kind("Job-Preparation") == task_kind::job_preparation);
  STATIC_REQUIRE(row(task_kind::start).same_directory_as == data_path::startup);
  STATIC_REQUIRE(row(task_kind::job_preparation).same_directory_as == data_path::job_prep);
  STATIC_REQUIRE(!row(task_kind::job_release).same_directory_as);
  STATIC_REQUIRE(!row(task_kind::start).in_job);
  STATIC_REQUIRE(row(task_kind::multi_instance_subtask).own_subdirectory == "{subtask}");
  STATIC_REQUIRE(default_job_release_task_id == "jobrelease");
}

TEST_CASE("every enumeration has a to_string name, distinct within it; to_wire only for the API's spellings") {
  const auto distinct = [](std::vector<std::string_view> names) {
    for (const auto n : names) CHECK_FALSE(n.empty());
    std::sort(names.begin(), names.end());
    return std::adjacent_find(names.begin(), names.end()) == names.end();
  };
  std::vector<std::string_view> paths, kinds;
  for (const data_path p : all_data_paths) {
    paths.push_back(to_string(p));
    CHECK(to_string(p) == to_wire(p));
  }
  for (std::size_t k = 0; k < task_kind_count; ++k) kinds.push_back(to_string(static_cast<task_kind>(k)));
  CHECK(distinct(paths));
  CHECK(distinct(kinds));
  CHECK(to_string(task_kind::job_manager) == "job-manager");
  CHECK(distinct({to_string(node_os::linux_node), to_string(node_os::windows_node)}));
  CHECK(to_string(node_os::windows_node) == "windows");
  CHECK(to_string(working_directory::container_image_default) == "containerImageDefault");
  CHECK(distinct({to_string(env_action::kept), to_string(env_action::rewritten), to_string(env_action::removed)}));
  CHECK(to_string(env_action::rewritten) == "rewritten");
  CHECK(to_string(env_rule::article_literal) == "literal");
  CHECK(to_string(env_rule::isolation_invariant) == "isolation");
  CHECK(to_string(static_cast<env_rule>(9)).empty());
  CHECK(to_string(static_cast<env_action>(9)).empty());
}
