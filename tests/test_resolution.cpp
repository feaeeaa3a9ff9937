#include "batchmount/resolution.hpp"

#include <string>
#include <vector>
#include <utility>

#include "catch.hpp"

using namespace batchmount;

namespace {
node_context context(node_os os) {
  return *make_context(context_options::job_task("myJob", "myTask1").on(os));
}
resolution resolved(node_os os, const std::vector<bind_mount_entry>& entries,
                    std::optional<std::string_view> wd = std::nullopt) {
  auto r = resolve(container_request{entries, wd}, context(os));
  REQUIRE(r.has_value());
  return *r;
}
}  // namespace

TEST_CASE("Linux mounts each selected path at the same place") {
  const auto r = resolved(node_os::linux_node, {{"Shared", false}, {"Task", true}});
  REQUIRE(r.mounts.size() == 2);
  CHECK(r.mounts[0] == mount{data_path::shared, "/mnt/batch/tasks/shared",
                                  "/mnt/batch/tasks/shared", false});
  CHECK(r.mounts[1] == mount{data_path::task, "/mnt/batch/tasks/workitems/myJob/job-1/myTask1",
                                  "/mnt/batch/tasks/workitems/myJob/job-1/myTask1", true, true});  // read-only, recursively
  CHECK(r.working_directory == "/mnt/batch/tasks/workitems/myJob/job-1/myTask1/wd");
  CHECK(r.host_working_directory == r.working_directory);
  // Task is read-only and the working directory is the task's: allowed, with a warning.
  CHECK(r.warnings == std::vector<warning_code>{warning_code::read_only_task_working_directory});
}

TEST_CASE("Windows mounts D:\\batch\\tasks\\X at C:\\batch\\tasks\\X") {
  const auto r = resolved(node_os::windows_node, {{"VfsMounts", true}, {"Task", false}});
  REQUIRE(r.mounts.size() == 2);
  CHECK(r.mounts[0].host_path == "D:\\batch\\tasks\\fsmounts");
  CHECK(r.mounts[0].container_path == "C:\\batch\\tasks\\fsmounts");
  CHECK(r.mounts[0].read_only);
  CHECK(r.mounts[1].container_path == "C:\\batch\\tasks\\workitems\\myJob\\job-1\\myTask1");
  CHECK(r.working_directory == "C:\\batch\\tasks\\workitems\\myJob\\job-1\\myTask1\\wd");
  CHECK(r.host_working_directory == "D:\\batch\\tasks\\workitems\\myJob\\job-1\\myTask1\\wd");
}

TEST_CASE("a null list is one read/write mount of the whole node root") {
  const auto lin = resolve(container_request{}, context(node_os::linux_node));
  REQUIRE(lin);
  REQUIRE(lin->mounts.size() == 1);
  CHECK(lin->mounts[0] == mount{std::nullopt, "/mnt/batch/tasks", "/mnt/batch/tasks", false});
  CHECK(lin->explain(data_path::startup).state == selection::whole_root);
  CHECK(lin->explain(data_path::startup).text().find("whole node root") != std::string::npos);

  const auto win = resolve(container_request{}, context(node_os::windows_node));
  REQUIRE(win);
  REQUIRE(win->mounts.size() == 1);
  CHECK(win->mounts[0] == mount{std::nullopt, "D:\\batch\\tasks", "C:\\batch\\tasks", false});
  CHECK(win->working_directory == "C:\\batch\\tasks\\workitems\\myJob\\job-1\\myTask1\\wd");
}

TEST_CASE("an empty list with containerImageDefault mounts nothing and sets no working dir") {
  const auto r = resolved(node_os::linux_node, {}, "containerImageDefault");
  CHECK(r.mounts.empty());
  CHECK_FALSE(r.working_directory.has_value());
  CHECK_FALSE(r.host_working_directory.has_value());
  for (const auto& why : r.explanations) CHECK(why.state == selection::not_selected);
}

TEST_CASE("mounts come parents before children, ties in request order") {
  const auto r = resolved(node_os::linux_node,
                          {{"Task", false}, {"Startup", false}, {"JobPrep", true}, {"Shared", true}});
  std::vector<std::optional<data_path>> order;
  for (const auto& m : r.mounts) order.push_back(m.source);
  CHECK(order == std::vector<std::optional<data_path>>{data_path::startup, data_path::shared,
                                                       data_path::task, data_path::job_prep});
}

TEST_CASE("every data path is explained") {
  const auto r = resolved(node_os::linux_node, {{"Shared", false}, {"Task", true}, {"task", true}});
  CHECK(r.explain(data_path::task).text() == "Task: mounted read-only because of entry #1");
  CHECK(r.explain(data_path::shared).text() == "Shared: mounted read/write because of entry #0");
  CHECK(r.explain(data_path::vfs_mounts).text() ==
        "VfsMounts: not selected, not mounted; its environment variables are removed");
  CHECK(r.explain(data_path::job_prep).host_directory ==
        "/mnt/batch/tasks/workitems/myJob/job-1/jobpreparation");
  REQUIRE(r.warnings.size() == 1);
  CHECK(r.warnings[0] == warning_code::read_only_task_working_directory);
  CHECK(warning_text(r.warnings[0]).find("cannot write") != std::string_view::npos);
}

TEST_CASE("the allocation-free API resolves into caller storage") {
  static constexpr bind_mount_entry entries[] = {{"Shared", false}, {"Task", true}};
  constexpr auto p = make_plan({entries, std::nullopt});
  char storage[2048];
  arena into(storage);
  const auto context = make_context(context_options::job_task("myJob", "myTask1").on(node_os::windows_node), into);
  REQUIRE(context);
  const resolution_view r = resolve(*p, *context).value();
  REQUIRE(r.mount_count == 2);
  CHECK(r.mounts[0].host_path == "D:\\batch\\tasks\\shared");
  CHECK(r.mounts[1].container_path == "C:\\batch\\tasks\\workitems\\myJob\\job-1\\myTask1");
  CHECK(r.working_directory == std::optional<std::string_view>("C:\\batch\\tasks\\workitems\\myJob\\job-1\\myTask1\\wd"));
  // Every path is a view into the caller's storage.
  CHECK(r.mounts[1].host_path.data() >= storage);
  CHECK(r.mounts[1].host_path.data() < storage + sizeof storage);
  CHECK(into.used() < 1024);
}

TEST_CASE("the allocation-free API reports a buffer that is too small") {
  for (const std::size_t size : {std::size_t{0}, std::size_t{8}, std::size_t{40}, std::size_t{200}}) {
    std::vector<char> storage(size);
    arena into(storage.data(), storage.size());
    const auto context = make_context(context_options::job_task("myJob", "myTask1").on(node_os::windows_node), into);
    REQUIRE_FALSE(context);
    CHECK(context.error().code() == error_code::buffer_too_small);
    CHECK(into.overflowed());
  }
}

TEST_CASE("an owning context stays valid when copied, moved and assigned") {
  auto original = make_context(context_options::job_task("myJob", "t").on(node_os::windows_node)
      .with_job_schedule_id(std::string_view("s")));
  REQUIRE(original);
  node_context copy = *original;
  node_context assigned;
  assigned = copy;
  node_context moved = std::move(*original);
  *original = node_context();  // the source's storage is gone
  for (const node_context* c : {&copy, &assigned, &moved}) {
    CHECK(c->host_directory(data_path::task) == "D:\\batch\\tasks\\workitems\\s\\myJob\\t");
    CHECK(c->view().container_working_directories[5] == "C:\\batch\\tasks\\workitems\\s\\myJob\\t\\wd");
    CHECK(c->job_schedule_id() == std::optional<std::string>("s"));
  }
  CHECK(copy.view().node_root.data() != moved.view().node_root.data());
}

TEST_CASE("resolving a request fails with the plan's error") {
  const std::vector<bind_mount_entry> entries = {{"Shared", false}, {"Nope", false}};
  const auto r = resolve(container_request{entries, std::nullopt}, context(node_os::linux_node));
  REQUIRE_FALSE(r);
  CHECK(r.error().code() == error_code::unknown_source);
  CHECK(r.error().index() == 1);
}

namespace {
// A context of each kind on one node, as a node agent builds them.
result<context_view> context_of_kind(task_kind kind, arena& into) {
  context_options o;
  o.kind = kind;
  if (kind != task_kind::start) {
    o.job_id = "job";
    o.task_id = kind == task_kind::job_preparation || kind == task_kind::job_release ? "" : "task1";
  }
  if (kind == task_kind::multi_instance_subtask) o.subtask = 1;
  return make_context(o, into);
}
}  // namespace

TEST_CASE("a plan resolves against every kind where it means the same; elsewhere an error, never an abort") {
  // The README's allocation-free example plans once, for the default kind (task).
  static constexpr bind_mount_entry entries[] = {{"Task", true}, {"Shared", false}};
  static constexpr auto plan_for_task = *make_plan({entries, std::nullopt});
  STATIC_REQUIRE(plan_fits(plan_for_task, task_kind::job_manager));
  STATIC_REQUIRE_FALSE(plan_fits(plan_for_task, task_kind::start));
  // Whether the task's directory has a second name is what the request's meaning hangs on:
  // written here from the documented kinds, not read from the library's table.
  const std::pair<task_kind, const char*> kinds[] = {
      {task_kind::task, ""},        {task_kind::job_manager, ""},       {task_kind::multi_instance_primary, ""},
      {task_kind::multi_instance_subtask, ""}, {task_kind::job_release, ""}, {task_kind::job_preparation, "JobPrep"},
      {task_kind::start, "Startup"}};
  for (const auto& [plan_kind, plan_second] : kinds) {
    const auto p = make_plan({entries, std::nullopt}, plan_kind);
    REQUIRE(p);
    for (const auto& [context_kind, context_second] : kinds) {
      CAPTURE(to_string(plan_kind), to_string(context_kind));
      char storage[2048];
      arena into(storage);
      const auto context = context_of_kind(context_kind, into);
      REQUIRE(context);
      const auto r = resolve(*p, *context);
      const bool same_meaning = std::string_view(plan_second) == context_second;
      CHECK(plan_fits(*p, context_kind) == same_meaning);
      REQUIRE(r.has_value() == same_meaning);
      if (same_meaning) {
        // Exactly what planning for the context's own kind gives.
        const auto own = resolve(*make_plan({entries, std::nullopt}, context_kind), *context);
        REQUIRE(own);
        REQUIRE(r->mount_count == own->mount_count);
        for (std::size_t i = 0; i < r->mount_count; ++i) CHECK(r->mounts[i].host_path == own->mounts[i].host_path);
        CHECK(r->kind == context_kind);
      } else {
        CHECK(r.error().code() == error_code::plan_for_other_kind);
        CHECK(r.error().value() == to_string(context_kind));
        CHECK(r.error().message().find("plan the request for the context's kind") != std::string::npos);
      }
      // The owning form agrees.
      const auto owned_context = make_context(options_of(*context));
      REQUIRE(owned_context);
      CHECK(resolve(*p, *owned_context).has_value() == same_meaning);
    }
  }
}

TEST_CASE("the allocation-free resolution carries the owning one's explanations and warnings under the same names") {
  // Task read-only with the task's working directory warns; JobPrep selected in a job known
  // to have no job preparation task warns too.
  static constexpr bind_mount_entry entries[] = {{"Task", true}, {"JobPrep", false}, {"Shared", false}};
  auto options = context_options::job_task("job", "task1");
  options.with_job_prep_task(false);
  char storage[2048];
  arena into(storage);
  const auto view_context = make_context(options, into);
  const auto owned_context = make_context(options);
  REQUIRE(view_context);
  REQUIRE(owned_context);
  const auto p = make_plan({entries, std::nullopt});
  REQUIRE(p);
  const auto view = resolve(*p, *view_context);
  const auto owned = resolve(*p, *owned_context);
  REQUIRE(view);
  REQUIRE(owned);
  REQUIRE(view->warnings.size() == 2);
  REQUIRE(owned->warnings.size() == 2);
  CHECK(view->warnings[0] == warning_code::read_only_task_working_directory);
  CHECK(view->warnings[1] == warning_code::job_prep_directory_missing);
  std::size_t i = 0;
  for (const warning_code w : view->warnings) CHECK(w == owned->warnings[i++]);
  for (const data_path path : all_data_paths) {
    CAPTURE(to_string(path));
    CHECK(view->explain(path).text() == owned->explain(path).text());
    CHECK(view->explain(path).state == owned->explain(path).state);
    CHECK(view->explain(path).host_directory == owned->explain(path).host_directory);
    CHECK(view->explain(path).container_directory == owned->explain(path).container_directory);
  }
  CHECK(view->explain(data_path::task).text() == "Task: mounted read-only because of entry #0");
  CHECK(view->explain(data_path::job_prep).host_directory == "/mnt/batch/tasks/workitems/job/job-1/jobpreparation");
  // A start task's two names of one directory, in the view as in the owning form.
  static constexpr bind_mount_entry startup[] = {{"Startup", false}};
  char start_storage[2048];
  arena start_arena(start_storage);
  const auto start = make_context(context_options::start_task(), start_arena);
  REQUIRE(start);
  const auto s = resolve(*make_plan({startup, std::nullopt}, task_kind::start), *start);
  REQUIRE(s);
  CHECK(s->explain(data_path::startup).same_directory_as == data_path::task);
  CHECK(s->explain(data_path::task).same_directory_as == data_path::startup);
  CHECK(s->warnings.empty());
}
