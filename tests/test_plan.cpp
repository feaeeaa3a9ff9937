#include "batchmount/plan.hpp"

#include "catch.hpp"

using namespace batchmount;

namespace {
constexpr bind_mount_entry article[] = {{"Task", true}};
constexpr bind_mount_entry shared_and_task[] = {{"Shared", false}, {"task", std::nullopt}};
constexpr bind_mount_entry article_twice[] = {{"Task", true}, {"task", true}};
constexpr bind_mount_entry same_twice[] = {{"Task", true}, {"Shared", true}, {"TASK", true}};
constexpr bind_mount_entry conflicting[] = {{"Task", true}, {"Shared", true}, {"Task", false}};
constexpr bind_mount_entry absent_vs_false[] = {{"Task", std::nullopt}, {"Task", false}};
constexpr bind_mount_entry missing_source[] = {{"Task", true}, {std::nullopt, true}};
constexpr bind_mount_entry unknown_source[] = {{"Task", true}, {"Shared", true}, {"Tmp", false}};
constexpr bind_mount_entry no_task[] = {{"Shared", false}, {"Startup", true}};

constexpr container_request req(bind_mount_list list,
                                std::optional<std::string_view> wd = std::nullopt) {
  return {list, wd};
}
constexpr auto image_default = std::optional<std::string_view>("containerImageDefault");
}  // namespace

TEST_CASE("the article's request plans at compile time: Task read-only, with a warning") {
  constexpr auto p = make_plan(req(article));
  STATIC_REQUIRE(p.has_value());
  STATIC_REQUIRE_FALSE(p->whole_root);
  STATIC_REQUIRE((*p)[data_path::task].state == selection::selected);
  STATIC_REQUIRE((*p)[data_path::task].read_only);
  STATIC_REQUIRE((*p)[data_path::task].first_entry == 0);
  STATIC_REQUIRE((*p)[data_path::shared].state == selection::not_selected);
  STATIC_REQUIRE(p->mount_count() == 1);
  STATIC_REQUIRE(p->working_dir == working_directory::task_working_directory);
  STATIC_REQUIRE(p->working_directory_defaulted);
  STATIC_REQUIRE(p->warn_read_only_task_working_directory);
}

TEST_CASE("isReadOnly defaults to false and sources parse case-insensitively") {
  constexpr auto p = make_plan(req(shared_and_task));
  STATIC_REQUIRE(p.has_value());
  STATIC_REQUIRE((*p)[data_path::task].state == selection::selected);
  STATIC_REQUIRE_FALSE((*p)[data_path::task].read_only);
  STATIC_REQUIRE((*p)[data_path::task].first_entry == 1);
  STATIC_REQUIRE_FALSE((*p)[data_path::shared].read_only);
  STATIC_REQUIRE_FALSE(p->warn_read_only_task_working_directory);
  STATIC_REQUIRE(p->mount_count() == 2);
}

TEST_CASE("null mounts the whole root; empty mounts nothing") {
  constexpr auto null_plan = make_plan(req(bind_mount_list::null()));
  STATIC_REQUIRE(null_plan.has_value());
  STATIC_REQUIRE(null_plan->whole_root);
  STATIC_REQUIRE(null_plan->mount_count() == 1);
  STATIC_REQUIRE((*null_plan)[data_path::job_prep].state == selection::whole_root);
  STATIC_REQUIRE(null_plan->sees(data_path::vfs_mounts));
  STATIC_REQUIRE(make_plan(req(bind_mount_list::null(), image_default)).has_value());

  constexpr auto empty_plan = make_plan(req(bind_mount_list::empty(), image_default));
  STATIC_REQUIRE(empty_plan.has_value());
  STATIC_REQUIRE(empty_plan->mount_count() == 0);
  STATIC_REQUIRE_FALSE(empty_plan->sees(data_path::shared));
  STATIC_REQUIRE_FALSE(empty_plan->working_directory_defaulted);
}

TEST_CASE("without Task the working directory must be containerImageDefault") {
  // An absent workingDirectory means taskWorkingDirectory, so an empty list alone fails.
  constexpr auto empty_absent = make_plan(req(bind_mount_list::empty()));
  STATIC_REQUIRE_FALSE(empty_absent.has_value());
  STATIC_REQUIRE(empty_absent.error().code() == error_code::working_directory_requires_task);
  STATIC_REQUIRE(empty_absent.error().value() == "(absent)");

  constexpr auto explicit_task = make_plan(req(no_task, "taskWorkingDirectory"));
  STATIC_REQUIRE(explicit_task.error().code() == error_code::working_directory_requires_task);
  STATIC_REQUIRE(explicit_task.error().value() == "taskWorkingDirectory");
  STATIC_REQUIRE(make_plan(req(no_task, "CONTAINERIMAGEDEFAULT")).has_value());
  // With containerImageDefault a read-only Task is no cause for a warning.
  STATIC_REQUIRE_FALSE(make_plan(req(article, image_default))->warn_read_only_task_working_directory);
}

TEST_CASE("identical duplicates collapse; duplicates that disagree are an error") {
  constexpr auto p = make_plan(req(same_twice));
  STATIC_REQUIRE(p.has_value());
  STATIC_REQUIRE(p->mount_count() == 2);
  STATIC_REQUIRE((*p)[data_path::task].first_entry == 0);

  constexpr auto bad = make_plan(req(conflicting));
  STATIC_REQUIRE_FALSE(bad.has_value());
  STATIC_REQUIRE(bad.error().code() == error_code::conflicting_read_only);
  STATIC_REQUIRE(bad.error().index() == 2);
  STATIC_REQUIRE(bad.error().value() == "Task");
  // An absent isReadOnly is false, so it agrees with an explicit false.
  STATIC_REQUIRE(make_plan(req(absent_vs_false)).has_value());
}

TEST_CASE("a missing or unknown source names the entry's index and value") {
  constexpr auto missing = make_plan(req(missing_source));
  STATIC_REQUIRE(missing.error().code() == error_code::missing_source);
  STATIC_REQUIRE(missing.error().index() == 1);
  constexpr auto unknown = make_plan(req(unknown_source));
  STATIC_REQUIRE(unknown.error().code() == error_code::unknown_source);
  STATIC_REQUIRE(unknown.error().index() == 2);
  STATIC_REQUIRE(unknown.error().value() == "Tmp");
  CHECK(unknown.error().message().find("entry #2: got \"Tmp\"") != std::string::npos);
}

TEST_CASE("an unknown workingDirectory is an error naming the value") {
  constexpr auto p = make_plan(req(article, "taskDir"));
  STATIC_REQUIRE(p.error().code() == error_code::unknown_working_directory);
  STATIC_REQUIRE(p.error().value() == "taskDir");
  STATIC_REQUIRE_FALSE(p.error().has_index());
}

TEST_CASE("plans compare by their decisions") {
  STATIC_REQUIRE(*make_plan(req(article)) == *make_plan(req(article_twice)));
  STATIC_REQUIRE(*make_plan(req(article)) != *make_plan(req(shared_and_task)));
  STATIC_REQUIRE(*make_plan(req(article, image_default)) != *make_plan(req(article)));
}

TEST_CASE("plans per kind at compile time: a start task's Startup alone meets the working-directory rule") {
  static constexpr bind_mount_entry startup[] = {{"Startup", false}};
  STATIC_REQUIRE(make_plan({startup, std::nullopt}, task_kind::start).has_value());
  STATIC_REQUIRE(!make_plan({startup, std::nullopt}, task_kind::task).has_value());
  STATIC_REQUIRE(make_plan({startup, std::nullopt}, task_kind::start)->mount_count() == 1);
  STATIC_REQUIRE((*make_plan({startup, std::nullopt}, task_kind::start))[data_path::task].implied);
  static constexpr bind_mount_entry both[] = {{"Task", true}, {"JobPrep", true}};
  STATIC_REQUIRE(make_plan({both, std::nullopt}, task_kind::job_preparation)->mount_count() == 1);
  STATIC_REQUIRE(make_plan({both, std::nullopt}, task_kind::task)->mount_count() == 2);
}
