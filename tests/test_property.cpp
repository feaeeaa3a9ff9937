// Exhaustive property test: both OSes x null / every subset of data paths (in two orders)
// x every read-only assignment x working directory absent / task / containerImageDefault,
// plus identical and conflicting duplicates. The oracle below is written from
// docs/decisions.md (the facts) by hand and never calls the library.
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "batchmount/batchmount.hpp"
#include "catch.hpp"
#include "request_shapes.hpp"

namespace oracle {

using entry = shapes::entry;

struct path_fact {
  std::string name;
  bool job_level;  // under workitems/{job}/job-1: two levels deeper than the node-level ones
  std::string linux_dir;
  std::string windows_host_dir;
  std::string windows_container_dir;
};

// docs/decisions.md, directories and variables: job "job", task "task1", default job preparation task id.
const std::vector<path_fact>& facts() {
  static const std::vector<path_fact> table = {
      {"Shared", false, "/mnt/batch/tasks/shared", "D:\\batch\\tasks\\shared", "C:\\batch\\tasks\\shared"},
      {"Applications", false, "/mnt/batch/tasks/applications", "D:\\batch\\tasks\\applications",
       "C:\\batch\\tasks\\applications"},
      {"Startup", false, "/mnt/batch/tasks/startup", "D:\\batch\\tasks\\startup", "C:\\batch\\tasks\\startup"},
      {"VfsMounts", false, "/mnt/batch/tasks/fsmounts", "D:\\batch\\tasks\\fsmounts",
       "C:\\batch\\tasks\\fsmounts"},
      {"JobPrep", true, "/mnt/batch/tasks/workitems/job/job-1/jobpreparation",
       "D:\\batch\\tasks\\workitems\\job\\job-1\\jobpreparation",
       "C:\\batch\\tasks\\workitems\\job\\job-1\\jobpreparation"},
      {"Task", true, "/mnt/batch/tasks/workitems/job/job-1/task1",
       "D:\\batch\\tasks\\workitems\\job\\job-1\\task1", "C:\\batch\\tasks\\workitems\\job\\job-1\\task1"},
  };
  return table;
}

const path_fact& fact(const std::string& name) {
  for (const auto& f : facts())
    if (f.name == name) return f;
  throw std::logic_error("oracle: unknown name " + name);
}

struct host_var {
  std::string name;
  std::string linux_value;
  std::string windows_value;
  std::string owner;  // the data path whose directory holds the value; "" for none
};

// A realistic task environment, with lookalikes that must survive.
const std::vector<host_var>& host_environment() {
  static const std::vector<host_var> env = {
      {"AZ_BATCH_NODE_ROOT_DIR", "/mnt/batch/tasks", "D:\\batch\\tasks", ""},
      {"AZ_BATCH_NODE_SHARED_DIR", "/mnt/batch/tasks/shared", "D:\\batch\\tasks\\shared", "Shared"},
      {"AZ_BATCH_NODE_STARTUP_DIR", "/mnt/batch/tasks/startup", "D:\\batch\\tasks\\startup", "Startup"},
      {"AZ_BATCH_NODE_STARTUP_WORKING_DIR", "/mnt/batch/tasks/startup/wd", "D:\\batch\\tasks\\startup\\wd",
       "Startup"},
      {"AZ_BATCH_NODE_MOUNTS_DIR", "/mnt/batch/tasks/fsmounts", "D:\\batch\\tasks\\fsmounts", "VfsMounts"},
      {"AZ_BATCH_JOB_PREP_DIR", "/mnt/batch/tasks/workitems/job/job-1/jobpreparation",
       "D:\\batch\\tasks\\workitems\\job\\job-1\\jobpreparation", "JobPrep"},
      {"AZ_BATCH_JOB_PREP_WORKING_DIR", "/mnt/batch/tasks/workitems/job/job-1/jobpreparation/wd",
       "D:\\batch\\tasks\\workitems\\job\\job-1\\jobpreparation\\wd", "JobPrep"},
      {"AZ_BATCH_TASK_DIR", "/mnt/batch/tasks/workitems/job/job-1/task1",
       "D:\\batch\\tasks\\workitems\\job\\job-1\\task1", "Task"},
      {"AZ_BATCH_TASK_WORKING_DIR", "/mnt/batch/tasks/workitems/job/job-1/task1/wd",
       "D:\\batch\\tasks\\workitems\\job\\job-1\\task1\\wd", "Task"},
      {"AZ_BATCH_TASK_SHARED_DIR", "/mnt/batch/tasks/workitems/job/job-1/task1",
       "D:\\batch\\tasks\\workitems\\job\\job-1\\task1", "Task"},
      {"AZ_BATCH_CERTIFICATES_DIR", "/mnt/batch/tasks/workitems/job/job-1/task1/certs",
       "D:\\batch\\tasks\\workitems\\job\\job-1\\task1\\certs", "Task"},
      {"AZ_BATCH_APP_PACKAGE_blender_2_79", "/mnt/batch/tasks/applications/blender2.79",
       "D:\\batch\\tasks\\applications\\blender2.79", "Applications"},
      {"AZ_BATCH_APP_PACKAGE_ffmpeg", "/mnt/batch/tasks/applications/ffmpeg",
       "D:\\batch\\tasks\\applications\\ffmpeg", "Applications"},
      {"AZ_BATCH_JOB_ID", "job", "job", ""},
      {"AZ_BATCH_TASK_ID", "task1", "task1", ""},
      {"AZ_BATCH_LOOKALIKE", "/mnt/batch/tasks/shared2", "D:\\batch\\tasks\\shared2", ""},
      {"AZ_BATCH_OTHER_TASK", "/mnt/batch/tasks/workitems/job/job-1/task10",
       "D:\\batch\\tasks\\workitems\\job\\job-1\\task10", ""},
      {"MY_SHARED", "/mnt/batch/tasks/shared", "D:\\batch\\tasks\\shared", ""},
      {"HOME", "/root", "C:\\Users\\task", ""},
  };
  return env;
}

struct expectation {
  bool ok = true;
  std::vector<std::tuple<std::string, std::string, std::string, bool>> mounts;  // source, host, container, ro
  std::optional<std::string> working_directory;
  std::size_t warnings = 0;
  std::vector<std::pair<std::string, std::string>> container_env;
  std::vector<std::string> removed;
  std::vector<std::string> explanation_states;  // per data path in facts() order
};

// What docs/decisions.md says must happen. `entries` nullopt = null list.
expectation expect(bool windows, const std::optional<std::vector<entry>>& entries,
                   const std::optional<std::string>& wd) {
  expectation out;
  const bool image_default = wd && *wd == "containerImageDefault";
  auto selected = [&](const std::string& name) -> const entry* {
    if (!entries) return nullptr;
    for (const auto& e : *entries)
      if (e.name == name) return &e;
    return nullptr;
  };
  if (!entries) {
    out.mounts.emplace_back("", windows ? "D:\\batch\\tasks" : "/mnt/batch/tasks",
                            windows ? "C:\\batch\\tasks" : "/mnt/batch/tasks", false);
  } else {
    if (!selected("Task") && !image_default) {
      out.ok = false;
      return out;
    }
    for (const bool job_level : {false, true})
      for (const auto& e : *entries) {
        const auto& f = fact(e.name);
        if (f.job_level != job_level) continue;
        bool already = false;
        for (const auto& m : out.mounts) already = already || std::get<0>(m) == e.name;
        if (already) continue;
        out.mounts.emplace_back(e.name, windows ? f.windows_host_dir : f.linux_dir,
                                windows ? f.windows_container_dir : f.linux_dir, e.read_only);
      }
  }
  if (!image_default) {
    const auto& task = fact("Task");
    out.working_directory = windows ? task.windows_container_dir + "\\wd" : task.linux_dir + "/wd";
    if (selected("Task") && selected("Task")->read_only) out.warnings = 1;
  }
  for (const auto& v : host_environment()) {
    const std::string& value = windows ? v.windows_value : v.linux_value;
    if (entries && !v.owner.empty() && !selected(v.owner)) {
      out.removed.push_back(v.name);
      continue;
    }
    const bool under_root = v.name.rfind("AZ_BATCH_", 0) == 0 && value.rfind("D:\\batch\\tasks", 0) == 0;
    out.container_env.emplace_back(v.name, windows && under_root ? "C:" + value.substr(2) : value);
  }
  for (const auto& f : facts()) {
    if (!entries) {
      out.explanation_states.push_back("whole root");
      continue;
    }
    std::size_t index = 0;
    while (index < entries->size() && (*entries)[index].name != f.name) ++index;
    out.explanation_states.push_back(index < entries->size()
                                         ? "entry " + std::to_string(index) +
                                               ((*entries)[index].read_only ? " ro" : " rw")
                                         : "not selected");
  }
  return out;
}

}  // namespace oracle

namespace {
using namespace batchmount;

oracle::expectation actual(node_os os, const std::optional<std::vector<oracle::entry>>& entries,
                           const std::optional<std::string>& wd, error_code* failure) {
  oracle::expectation out;
  std::vector<bind_mount_entry> wire;
  const container_request request = shapes::to_request(entries, wd, wire);
  const auto context = make_context(context_options::job_task("job", "task1").on(os));
  const auto r = resolve(request, *context);
  if (!r) {
    out.ok = false;
    *failure = r.error().code();
    return out;
  }
  for (const auto& m : r->mounts)
    out.mounts.emplace_back(m.source ? std::string(to_wire(*m.source)) : std::string(), m.host_path,
                            m.container_path, m.read_only);
  out.working_directory = r->working_directory;
  out.warnings = r->warnings.size();
  std::vector<env_var> host;
  for (const auto& v : oracle::host_environment())
    host.push_back({v.name, os == node_os::windows_node ? v.windows_value : v.linux_value});
  const auto env = filter_environment(*r, host);
  for (const auto& v : env->variables()) out.container_env.emplace_back(v.name, v.value);

  // The allocation-free API gives the same answer, from caller storage.
  char storage[4096];
  arena into(storage);
  const auto view_context = make_context(context_options::job_task("job", "task1").on(os), into);
  const auto view = resolve(*make_plan(request), *view_context).value();
  const auto owned = to_owned(view);
  CHECK(owned.mounts == r->mounts);
  CHECK(owned.working_directory == r->working_directory);
  std::vector<env_var_view> host_views;
  for (const auto& v : host) host_views.push_back({v.name, v.value});
  std::vector<env_decision_view> decisions(host.size());
  const auto count = filter_environment(view, host_views.data(), host_views.size(), decisions.data(), decisions.size(), into);
  REQUIRE(count);
  for (std::size_t i = 0; i < *count; ++i) {
    CHECK(decisions[i].action == env->decisions[i].action);
    CHECK(decisions[i].container_value == env->decisions[i].container_value);
  }
  out.removed = env->removed_names();
  for (const auto& why : r->explanations)
    out.explanation_states.push_back(
        why.state == selection::whole_root     ? "whole root"
        : why.state == selection::not_selected ? "not selected"
                                               : "entry " + std::to_string(why.entry_index) +
                                                     (why.read_only ? " ro" : " rw"));
  // Windows (OCI): no destination may be nested inside another; never one reused.
  for (std::size_t i = 0; i < r->mounts.size(); ++i)
    for (std::size_t j = 0; j < r->mounts.size(); ++j) {
      if (i == j) continue;
      const auto& a = r->mounts[i].container_path;
      const auto& b = r->mounts[j].container_path;
      CHECK_FALSE((a == b || a.rfind(b + (os == node_os::windows_node ? "\\" : "/"), 0) == 0));
    }
  return out;
}

void compare(node_os os, const std::optional<std::vector<oracle::entry>>& entries,
             const std::optional<std::string>& wd) {
  const bool windows = os == node_os::windows_node;
  const auto want = oracle::expect(windows, entries, wd);
  error_code failure = error_code::missing_source;
  const auto got = actual(os, entries, wd, &failure);
  INFO((windows ? "windows " : "linux ") << shapes::describe(entries, wd));
  REQUIRE(got.ok == want.ok);
  if (!want.ok) {
    CHECK(failure == error_code::working_directory_requires_task);
    return;
  }
  CHECK(got.mounts == want.mounts);
  CHECK(got.working_directory == want.working_directory);
  CHECK(got.warnings == want.warnings);
  CHECK(got.container_env == want.container_env);
  CHECK(got.removed == want.removed);
  CHECK(got.explanation_states == want.explanation_states);
}

const std::vector<std::optional<std::string>>& working_directories() {
  static const std::vector<std::optional<std::string>> wds = {
      std::nullopt, std::string("taskWorkingDirectory"), std::string("containerImageDefault")};
  return wds;
}

// Every request shape over the six data paths: 2 x 3^6 lists.
template <class Visit>
void for_each_list(Visit&& visit) {
  std::vector<std::string> names;
  for (const auto& f : oracle::facts()) names.push_back(f.name);
  shapes::for_each_list(names, visit);
}
}  // namespace

TEST_CASE("property: every request shape on both OSes matches the documented-rules oracle") {
  std::size_t cases = 0;
  for (const node_os os : {node_os::linux_node, node_os::windows_node})
    for (const auto& wd : working_directories()) {
      compare(os, std::nullopt, wd);
      ++cases;
      for_each_list([&](const std::vector<oracle::entry>& list) {
        compare(os, list, wd);
        ++cases;
      });
    }
  CHECK(cases == 2 * 3 * (1 + 2 * 729));
}

TEST_CASE("property: identical duplicates change nothing; a conflicting one is an error") {
  for (const node_os os : {node_os::linux_node, node_os::windows_node})
    for_each_list([&](const std::vector<oracle::entry>& list) {
      if (list.empty()) return;
      auto doubled = list;
      doubled.insert(doubled.end(), list.begin(), list.end());
      compare(os, doubled, std::string("containerImageDefault"));
      compare(os, doubled, std::nullopt);

      auto conflicting = doubled;
      conflicting.push_back({list.back().name, !list.back().read_only});
      std::vector<bind_mount_entry> wire;
      for (const auto& e : conflicting) wire.push_back({std::string_view(e.name), e.read_only});
      const auto p = make_plan({bind_mount_list(wire.data(), wire.size()),
                                std::string_view("containerImageDefault")});
      REQUIRE_FALSE(p.has_value());
      CHECK(p.error().code() == error_code::conflicting_read_only);
      CHECK(p.error().index() == conflicting.size() - 1);
      CHECK(p.error().value() == list.back().name);
    });
}
