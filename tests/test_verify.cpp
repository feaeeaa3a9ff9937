// verify: a container against its resolution. Every class of violation, exactly; what is out
// of scope; and the invariant that a container built from batchmount's own resolution
// verifies clean, for every kind of task and request shape on both OSes.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "batchmount/batchmount.hpp"
#include "batchmount/render/docker_engine.hpp"
#include "batchmount/verify.hpp"
#include "catch.hpp"

using namespace batchmount;

namespace {
struct fixture {
  node_context context;
  resolution r;
  container_environment env;
};

fixture make(node_os os, std::vector<bind_mount_entry> entries, std::optional<std::string_view> wd = std::nullopt,
             bool null_list = false, task_kind kind = task_kind::task) {
  context_options o;
  o.os = os;
  o.kind = kind;
  if (kind != task_kind::start) o.job_id = "job";
  if (kind == task_kind::task || kind == task_kind::job_manager || kind == task_kind::multi_instance_primary ||
      kind == task_kind::multi_instance_subtask)
    o.task_id = "task1";
  if (kind == task_kind::multi_instance_subtask) o.subtask = 2;
  auto context = make_context(o);
  REQUIRE(context);
  container_request request;
  if (!null_list) request.bind_mounts = bind_mount_list(entries.data(), entries.size());
  request.working_directory = wd;
  auto r = resolve(request, *context);
  REQUIRE(r);
  auto host = standard_environment(*context, {{"app", std::string_view("1")}});
  host->push_back({"MY_INPUT", os == node_os::linux_node ? "/mnt/batch/tasks/shared/in" : "D:\\batch\\tasks\\shared\\in"});
  auto env = filter_environment(*r, *host);
  REQUIRE(env);
  return {std::move(*context), std::move(*r), std::move(*env)};
}

std::vector<violation_class> classes(const verification& v) {
  std::vector<violation_class> out;
  for (const auto& x : v.violations) out.push_back(x.kind);
  return out;
}
}  // namespace

TEST_CASE("verify: a container built from its own resolution conforms, for every kind and request shape") {
  static const char* const names[] = {"Shared", "Applications", "Startup", "VfsMounts", "JobPrep", "Task"};
  std::size_t cases = 0;
  for (std::size_t k = 0; k < task_kind_count; ++k)
    for (const node_os os : {node_os::linux_node, node_os::windows_node})
      for (unsigned subset = 0; subset < 64; ++subset)
        for (const bool ro : {false, true}) {
          const auto kind = static_cast<task_kind>(k);
          std::vector<bind_mount_entry> entries;
          for (unsigned i = 0; i < 6; ++i)
            if (subset & (1u << i)) entries.push_back({std::string_view(names[i]), ro && (i % 2 == 0)});
          if (kind == task_kind::start && (subset & 16u)) continue;  // a start task has no JobPrep
          const auto p = make_plan({bind_mount_list(entries.data(), entries.size()), std::string_view("containerImageDefault")}, kind);
          if (!p) continue;  // the two names of one directory disagree
          const auto f = make(os, entries, std::string_view("containerImageDefault"), subset == 0 && ro, kind);
          const auto v = verify(f.r, f.env, expected_container(f.r, f.env));
          INFO(to_wire(kind) << " " << to_wire(os) << " subset " << subset);
          CHECK(v.conforms());
          CHECK(v.outside_scope.empty());
          ++cases;
        }
  CHECK(cases > 1500);
}

TEST_CASE("verify: each broken container is flagged with exactly its class") {
  const auto f = make(node_os::linux_node, {{"Task", true}, {"VfsMounts", true}, {"Shared", false}});
  const auto good = expected_container(f.r, f.env);
  const auto flagged = [&](container_record c) { return verify(f.r, f.env, c); };

  auto root = good;  // the node root mounted somewhere
  root.mounts.push_back({"/mnt/batch/tasks", "/node", false, false});
  auto v = flagged(root);
  REQUIRE(classes(v) == std::vector<violation_class>{violation_class::exposes_unselected});
  CHECK(!v.violations[0].path);
  CHECK(v.violations[0].text() == "mount /mnt/batch/tasks -> /node exposes the node root or a directory under it, which the task did not select");

  auto other = good;  // another task's directory, and an unselected data path
  other.mounts.push_back({"/mnt/batch/tasks/workitems/job/job-1/task2", "/t2", true, true});
  other.mounts.push_back({"/mnt/batch/tasks/startup/wd", "/s", true, true});
  v = flagged(other);
  REQUIRE(classes(v) == std::vector<violation_class>{violation_class::exposes_unselected, violation_class::exposes_unselected});
  CHECK(!v.violations[0].path);
  CHECK(v.violations[1].path == data_path::startup);
  CHECK(v.violations[1].text() == "mount /mnt/batch/tasks/startup/wd -> /s exposes Startup, which the task did not select");

  auto writable = good;  // a read-only path read/write
  for (auto& m : writable.mounts)
    if (m.host_path.find("fsmounts") != std::string::npos) m.read_only = m.recursive = false;
  v = flagged(writable);
  REQUIRE(classes(v) == std::vector<violation_class>{violation_class::writable});
  CHECK(v.violations[0].path == data_path::vfs_mounts);
  CHECK(v.violations[0].text().find("is read/write; the task asked for VfsMounts read-only") != std::string::npos);

  auto shallow = good;  // ro without rro
  for (auto& m : shallow.mounts)
    if (m.host_path.find("fsmounts") != std::string::npos) m.recursive = false;
  v = flagged(shallow);
  REQUIRE(classes(v) == std::vector<violation_class>{violation_class::read_only_not_recursive});
  CHECK(v.violations[0].text().find("not recursively: submounts of VfsMounts") != std::string::npos);

  auto missing = good;  // a selected path not mounted, and one at another container path
  missing.mounts.erase(missing.mounts.begin());  // VfsMounts comes first (depth 1, entry #1)
  missing.mounts[0].container_path = "/elsewhere";  // Shared
  v = flagged(missing);
  REQUIRE(classes(v) == std::vector<violation_class>{violation_class::missing, violation_class::missing});
  CHECK(v.violations[0].observed == "/elsewhere");
  CHECK(v.violations[0].text() == "Shared (/mnt/batch/tasks/shared) is not mounted at its container path; it is at /elsewhere");
  CHECK(v.violations[1].path == data_path::vfs_mounts);
  CHECK(v.violations[1].text() == "VfsMounts (/mnt/batch/tasks/fsmounts) is not mounted");

  auto leaked = good;  // a variable naming an unmounted path; PATH with one such entry
  leaked.environment.push_back({"AZ_BATCH_NODE_STARTUP_DIR", "/mnt/batch/tasks/startup"});
  leaked.environment.push_back({"EXTRA", "/opt:/mnt/batch/tasks/applications/app1"});
  v = flagged(leaked);
  REQUIRE(classes(v) == std::vector<violation_class>{violation_class::leaked_variable, violation_class::leaked_variable});
  CHECK(v.violations[0].path == data_path::startup);
  CHECK(v.violations[1].path == data_path::applications);
  CHECK(v.violations[0].text() == "AZ_BATCH_NODE_STARTUP_DIR=/mnt/batch/tasks/startup names Startup, which the container cannot see");

  auto values = good;  // a missing and a wrong variable
  values.environment.erase(values.environment.begin());
  values.environment[0].value = "/wrong";
  v = flagged(values);
  REQUIRE(classes(v) == std::vector<violation_class>{violation_class::wrong_value, violation_class::missing_variable});
  CHECK(v.violations[1].text() == "AZ_BATCH_NODE_ROOT_DIR is not set; the resolution sets it to /mnt/batch/tasks");
  CHECK(v.violations[0].text().find(" is /wrong; the resolution sets it to ") != std::string::npos);

  auto cwd = good;  // another working directory, and none
  cwd.working_directory = "/";
  v = flagged(cwd);
  REQUIRE(classes(v) == std::vector<violation_class>{violation_class::working_directory});
  CHECK(v.violations[0].text() ==
        "the working directory is /; the resolution says /mnt/batch/tasks/workitems/job/job-1/task1/wd");
  cwd.working_directory.reset();
  CHECK(flagged(cwd).violations.at(0).text().find("is the image's default") != std::string::npos);
  // Untidy spellings of the same paths are the same paths.
  auto untidy = good;
  untidy.working_directory = "/mnt//batch/tasks/workitems/job/job-1/task1/wd/";
  untidy.mounts[0].container_path += "/";
  CHECK(flagged(untidy).conforms());
  // The user's own variable naming an unmounted path is expected (kept, warned): not a leak.
  const auto g = make(node_os::linux_node, {{"Task", false}});
  const auto with_user = expected_container(g.r, g.env);
  bool kept = false;
  for (const auto& e : with_user.environment) kept = kept || e.name == "MY_INPUT";
  CHECK(kept);
  CHECK(g.env.warnings().size() == 1);
  CHECK(verify(g.r, g.env, with_user).conforms());
}

TEST_CASE("verify: mounts outside the node root are out of scope; the whole root verifies as such") {
  const auto f = make(node_os::linux_node, {{"Task", false}});
  auto c = expected_container(f.r, f.env);
  c.mounts.push_back({"/etc/ssl/certs", "/etc/ssl/certs", true, false});
  c.mounts.push_back({"myvolume", "/data", false, false});
  c.mounts.push_back({"/mnt/batch/tasks/workitems/job/job-1/task1/wd/sub", "/sub", false, false});  // inside Task
  const auto v = verify(f.r, f.env, c);
  CHECK(v.conforms());
  REQUIRE(v.outside_scope.size() == 2);
  CHECK(v.outside_scope[1].host_path == "myvolume");

  const auto whole = make(node_os::linux_node, {}, std::nullopt, true);
  auto w = expected_container(whole.r, whole.env);
  REQUIRE(w.mounts.size() == 1);
  w.mounts.push_back({"/mnt/batch/tasks/shared", "/shared", false, false});
  CHECK(verify(whole.r, whole.env, w).conforms());
  w.mounts[0].read_only = true;  // more restrictive than asked is not a violation
  CHECK(verify(whole.r, whole.env, w).conforms());
  w.mounts.erase(w.mounts.begin());
  CHECK(classes(verify(whole.r, whole.env, w)) == std::vector<violation_class>{violation_class::missing});
  CHECK(verify(whole.r, whole.env, w).violations[0].text() == "a directory under the node root (/mnt/batch/tasks) is not mounted");
}

TEST_CASE("verify on Windows: container paths on C:, host paths on D: are never visible") {
  const auto f = make(node_os::windows_node, {{"Task", true}});
  auto c = expected_container(f.r, f.env);
  CHECK(verify(f.r, f.env, c).conforms());
  c.mounts[0].recursive = false;  // Windows binds have no submounts to protect
  c.mounts[0].container_path = "c:/batch/tasks/workitems/job/job-1/task1";
  CHECK(verify(f.r, f.env, c).conforms());
  c.environment.push_back({"HOST_VIEW", "D:\\batch\\tasks\\workitems\\job\\job-1\\task1"});
  c.environment.push_back({"SHARED_VIEW", "C:\\batch\\tasks\\shared"});
  c.environment.push_back({"SEEN", "C:\\batch\\tasks\\workitems\\job\\job-1\\task1\\wd"});
  c.environment.push_back({"az_batch_task_dir", "C:\\batch\\tasks\\workitems\\job\\job-1\\task1"});  // a name in any case
  const auto v = verify(f.r, f.env, c);
  REQUIRE(classes(v) == std::vector<violation_class>{violation_class::leaked_variable, violation_class::leaked_variable});
  CHECK(!v.violations[0].path);  // Task is mounted, but D: is not in the container
  CHECK(v.violations[1].path == data_path::shared);
  c.mounts[0].read_only = false;
  CHECK(classes(verify(f.r, f.env, c))[0] == violation_class::writable);
}

TEST_CASE("verify, allocation-free: caller storage, counts past the capacity, too little scratch") {
  const auto f = make(node_os::linux_node, {{"Task", true}});
  char storage[2048];
  arena into(storage);
  context_options o;
  o.job_id = "job";
  o.task_id = "task1";
  const auto context = make_context(o, into);
  static constexpr bind_mount_entry entries[] = {{"Task", true}};
  const auto view = resolve(*make_plan({entries, std::nullopt}), *context);
  const env_var_view expected[] = {{"AZ_BATCH_TASK_ID", "task1"}};
  const container_mount mounts[] = {{"/mnt/batch/tasks", "/all", false, false},
                                    {"/mnt/batch/tasks/workitems/job/job-1/task1", "/mnt/batch/tasks/workitems/job/job-1/task1", true, false}};
  const env_var_view env[] = {{"AZ_BATCH_TASK_ID", "task2"}, {"X", "/mnt/batch/tasks/shared"}};
  const container_view container{mounts, 2, env, 2, std::string_view("/")};
  violation_view found[2];
  container_mount outside[1];
  char scratch_bytes[512];
  arena scratch(scratch_bytes);
  const auto counts = verify(view, expected, 1, container, found, 2, outside, 1, scratch);
  REQUIRE(counts);
  CHECK(counts->violations == 5);  // exposes, not recursive, wrong value, leaked, working directory
  CHECK(counts->outside_scope == 0);
  CHECK(found[0].kind == violation_class::exposes_unselected);
  CHECK(found[1].kind == violation_class::read_only_not_recursive);
  char tiny_bytes[8];
  arena tiny(tiny_bytes);
  const auto failed = verify(view, expected, 1, container, found, 2, outside, 1, tiny);
  REQUIRE_FALSE(failed);
  CHECK(failed.error().code() == error_code::buffer_too_small);
  // Every class has its own name.
  for (std::size_t i = 0; i < violation_class_count; ++i) CHECK(!to_wire(static_cast<violation_class>(i)).empty());
  CHECK(to_wire(static_cast<violation_class>(violation_class_count)).empty());
  CHECK(violation{static_cast<violation_class>(violation_class_count), "", "", "", std::nullopt}.text().empty());
}

TEST_CASE("docker engines before API 1.44: refused, or accepted with warnings") {
  CHECK(parse_docker_api_version("1.41")->minor == 41);
  CHECK(parse_docker_api_version("1.44")->major == 1);
  for (const std::string_view bad : {"", "1", "1.", ".4", "a.b", "1.4x", "12345.1", "1.12345"})
    CHECK(parse_docker_api_version(bad).error().code() == error_code::invalid_docker_api_version);
  const auto f = make(node_os::linux_node, {{"Task", true}, {"Shared", false}});
  docker_engine old{docker_api_version{1, 41}, false};
  CHECK_FALSE(old.recursive_read_only());
  CHECK(docker_engine{docker_api_version{2, 0}, false}.recursive_read_only());
  CHECK(docker_engine{}.recursive_read_only());
  const auto refused = docker_engine_warnings(f.r, old);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code() == error_code::docker_api_without_recursive_read_only);
  old.accept_non_recursive_read_only = true;
  const auto warned = docker_engine_warnings(f.r, old);
  REQUIRE(warned);
  REQUIRE(warned->size() == 1);
  CHECK(warned->front().find("not recursively") != std::string::npos);
  // What such an engine gives verifies as not recursive.
  auto c = expected_container(f.r, f.env);
  for (auto& m : c.mounts) m.recursive = false;
  CHECK(classes(verify(f.r, f.env, c)) == std::vector<violation_class>{violation_class::read_only_not_recursive});
  const auto w = make(node_os::windows_node, {{"Task", true}});
  CHECK(docker_engine_warnings(w.r, docker_engine{docker_api_version{1, 24}, false})->empty());
}
