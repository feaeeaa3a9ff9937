// The oracle: every kind of task x both OSes x a null list and every list of the six data
// paths (each absent, read-only or read/write, in two orders) x every working directory,
// plus duplicates that agree and one that disagrees, against expectations written by hand
// from docs/decisions.md (the data paths and their directories, the task-kinds table, which
// variables each kind gets, decisions 4 to 14 and 19). The oracle never calls the library:
// it works on the relative directories written below and compares strings. Each case is
// also resolved through the allocation-free API, which must give the same answer.
#include <algorithm>
#include <cstddef>
#include <optional>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "batchmount/batchmount.hpp"
#include "catch.hpp"
#include "request_shapes.hpp"

namespace kinds_oracle {

using entry = shapes::entry;

const std::vector<std::string>& names() {
  static const std::vector<std::string> all = {"Shared", "Applications", "Startup", "VfsMounts", "JobPrep", "Task"};
  return all;
}

// One kind as the table gives it, for job "job" (job-1), task "task1", subtask 3 and the
// default job preparation and release ids. Directories are relative to the node root.
struct kind_fact {
  batchmount::task_kind kind;
  std::string own;        // AZ_BATCH_TASK_DIR
  std::string task;       // what Task mounts
  std::string alias;      // the other name of the task's own directory, or ""
  bool in_job;
  bool multi_instance;
  bool job_prep_variables;
};

const std::vector<kind_fact>& kinds() {
  using batchmount::task_kind;
  static const std::vector<kind_fact> all = {
      {task_kind::task, "workitems/job/job-1/task1", "workitems/job/job-1/task1", "", true, false, true},
      {task_kind::job_manager, "workitems/job/job-1/task1", "workitems/job/job-1/task1", "", true, false, true},
      {task_kind::multi_instance_primary, "workitems/job/job-1/task1", "workitems/job/job-1/task1", "", true, true,
       true},
      {task_kind::multi_instance_subtask, "workitems/job/job-1/task1/3", "workitems/job/job-1/task1", "", true, true,
       true},
      {task_kind::job_preparation, "workitems/job/job-1/jobpreparation", "workitems/job/job-1/jobpreparation",
       "JobPrep", true, false, false},
      {task_kind::job_release, "workitems/job/job-1/jobrelease", "workitems/job/job-1/jobrelease", "", true, false,
       true},
      {task_kind::start, "startup", "startup", "Startup", false, false, false},
  };
  return all;
}

// The directory a data path names for a kind; "" where it has none (a start task's JobPrep).
std::string directory(const kind_fact& k, const std::string& name) {
  if (name == "Shared") return "shared";
  if (name == "Applications") return "applications";
  if (name == "Startup") return "startup";
  if (name == "VfsMounts") return "fsmounts";
  if (name == "JobPrep") return k.in_job ? "workitems/job/job-1/jobpreparation" : "";
  return k.task;
}

std::size_t depth(const std::string& rel) { return 1 + static_cast<std::size_t>(std::count(rel.begin(), rel.end(), '/')); }

bool inside(const std::string& rel, const std::string& dir) {
  return !dir.empty() && (rel == dir || rel.rfind(dir + "/", 0) == 0);
}

struct os_fact {
  bool windows;
  std::string host(const std::string& rel) const {
    if (!windows) return rel.empty() ? "/mnt/batch/tasks" : "/mnt/batch/tasks/" + rel;
    std::string out = "D:\\batch\\tasks";
    if (!rel.empty()) out += "\\" + rel;
    std::replace(out.begin(), out.end(), '/', '\\');
    return out;
  }
  std::string container(const std::string& rel) const {
    std::string out = host(rel);
    if (windows) out[0] = 'C';
    return out;
  }
};

// A host variable: its name and either a relative path under the node root (`rel`, with
// `under_root`) or a literal value; a PATH is a list of such parts.
struct part {
  bool under_root;
  std::string text;  // relative path, or the literal value
};
struct host_var {
  std::string name;
  std::vector<part> parts;  // more than one: a path list
  bool list = false;
  bool user = false;  // not a variable Batch sets: kept unchanged, warned about
};

// What the table says the node agent sets for this kind, plus a user's variables.
std::vector<host_var> standard(const kind_fact& k, bool windows, bool with_user_variables) {
  std::vector<host_var> out;
  const auto path = [&](const std::string& name, const std::string& rel) { out.push_back({name, {{true, rel}}}); };
  const auto text = [&](const std::string& name, const std::string& value) { out.push_back({name, {{false, value}}}); };
  path("AZ_BATCH_NODE_ROOT_DIR", "");
  path("AZ_BATCH_NODE_SHARED_DIR", "shared");
  path("AZ_BATCH_NODE_STARTUP_DIR", "startup");
  path("AZ_BATCH_NODE_STARTUP_WORKING_DIR", "startup/wd");
  path("AZ_BATCH_NODE_MOUNTS_DIR", "fsmounts");
  if (k.job_prep_variables) {
    path("AZ_BATCH_JOB_PREP_DIR", "workitems/job/job-1/jobpreparation");
    path("AZ_BATCH_JOB_PREP_WORKING_DIR", "workitems/job/job-1/jobpreparation/wd");
  }
  path("AZ_BATCH_TASK_DIR", k.own);
  path("AZ_BATCH_TASK_WORKING_DIR", k.own + "/wd");
  if (k.multi_instance) path("AZ_BATCH_TASK_SHARED_DIR", "workitems/job/job-1/task1");
  if (!windows) path("AZ_BATCH_CERTIFICATES_DIR", k.own + "/certs");
  if (k.in_job) {
    text("AZ_BATCH_JOB_ID", "job");
    text("AZ_BATCH_TASK_ID", k.kind == batchmount::task_kind::job_preparation ? "jobpreparation"
                             : k.kind == batchmount::task_kind::job_release   ? "jobrelease"
                                                                              : "task1");
  }
  if (k.multi_instance) {
    const bool subtask = k.kind == batchmount::task_kind::multi_instance_subtask;
    text("AZ_BATCH_HOST_LIST", subtask ? "10.0.0.4,10.0.0.5,10.0.0.6,10.0.0.7" : "10.0.0.4,10.0.0.5");
    text("AZ_BATCH_NODE_LIST", subtask ? "10.0.0.4;10.0.0.5;10.0.0.6;10.0.0.7" : "10.0.0.4;10.0.0.5");
    text("AZ_BATCH_MASTER_NODE", "10.0.0.4:6000");
    text("AZ_BATCH_IS_CURRENT_NODE_MASTER", subtask ? "false" : "true");
    text("CCP_NODES", subtask ? "4 10.0.0.4 1 10.0.0.5 1 10.0.0.6 1 10.0.0.7 1" : "2 10.0.0.4 1 10.0.0.5 1");
  }
  if (windows) {
    path("AZ_BATCH_APP_PACKAGE_blender#2.79", "applications/blender2.79");
  } else {
    path("AZ_BATCH_APP_PACKAGE_blender_2_79", "applications/blender2.79");
    path("HOME", k.own + "/wd");
    path("PWD", k.own + "/wd");
    out.push_back({"PATH",
                   {{false, "/usr/local/sbin"}, {false, "/usr/local/bin"}, {false, "/usr/sbin"}, {false, "/usr/bin"},
                    {false, "/sbin"}, {false, "/bin"}, {true, "shared"}, {true, k.own + "/wd"}},
                   true});
  }
  if (with_user_variables) {
    if (windows)
      out.push_back({"Path", {{false, "C:\\Windows"}, {true, "shared"}, {true, k.own + "/wd"}}, true});
    out.push_back({"MY_INPUT", {{true, "shared/input"}}, false, true});
    out.push_back({"MY_SHARED", {{true, "shared"}}, false, true});
    // Batch-named lookalikes of data paths: under the root, in none of them (a directory
    // holds only what continues it after a separator).
    out.push_back({"AZ_BATCH_LOOKALIKE", {{true, "shared2"}}});
    out.push_back({"AZ_BATCH_OTHER_TASK", {{true, "workitems/job/job-1/task10"}}});
    out.push_back({"MY_DIRS", {{false, windows ? "C:\\tools" : "/opt/tools"}, {true, "fsmounts/blob"}}, true, true});
  }
  return out;
}

std::string join(const host_var& v, const os_fact& os, bool container) {
  std::string out;
  for (std::size_t i = 0; i < v.parts.size(); ++i) {
    if (i) out += os.windows ? ';' : ':';
    const part& p = v.parts[i];
    out += !p.under_root ? p.text : container ? os.container(p.text) : os.host(p.text);
  }
  return out;
}

struct expectation {
  std::optional<batchmount::error_code> failure;
  std::vector<std::tuple<std::string, std::string, std::string, bool>> mounts;  // source, host, container, ro
  std::optional<std::string> working_directory;
  std::size_t warnings = 0;
  std::vector<std::pair<std::string, std::string>> container_env;
  std::vector<std::string> removed;
  std::size_t env_warnings = 0;
  // Per data path, in the order of names(): "whole root", "not selected", or the entry that
  // explains it with its mode, "entry 2 ro".
  std::vector<std::string> explanations;
};

expectation expect(const kind_fact& k, const os_fact& os, const std::optional<std::vector<entry>>& entries,
                   const std::optional<std::string>& wd) {
  expectation out;
  const bool image_default = wd && *wd == "containerImageDefault";
  // Selected directories: relative dir -> (first entry naming it, read-only).
  std::vector<std::tuple<std::string, std::size_t, bool>> dirs;
  if (entries) {
    for (std::size_t i = 0; i < entries->size(); ++i) {
      const entry& e = (*entries)[i];
      const std::string dir = directory(k, e.name);
      if (dir.empty()) {
        out.failure = batchmount::error_code::job_prep_outside_job;
        return out;
      }
      bool known = false;
      for (auto& d : dirs)
        if (std::get<0>(d) == dir) {
          known = true;
          if (std::get<2>(d) != e.read_only) {
            out.failure = batchmount::error_code::conflicting_read_only;
            return out;
          }
        }
      if (!known) dirs.emplace_back(dir, i, e.read_only);
    }
  }
  const auto mounted = [&](const std::string& dir) {
    if (!entries) return true;
    for (const auto& d : dirs)
      if (std::get<0>(d) == dir) return true;
    return false;
  };
  if (!image_default && !mounted(k.task)) {
    out.failure = batchmount::error_code::working_directory_requires_task;
    return out;
  }
  if (!entries) {
    out.mounts.emplace_back("", os.host(""), os.container(""), false);
  } else {
    auto order = dirs;
    std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
      return depth(std::get<0>(a)) != depth(std::get<0>(b)) ? depth(std::get<0>(a)) < depth(std::get<0>(b))
                                                            : std::get<1>(a) < std::get<1>(b);
    });
    for (const auto& d : order)
      out.mounts.emplace_back((*entries)[std::get<1>(d)].name, os.host(std::get<0>(d)), os.container(std::get<0>(d)),
                              std::get<2>(d));
  }
  // A data path is explained by the first entry naming it; one named by no entry whose
  // directory the other name mounts (decision 9), by the first entry naming that.
  for (const auto& name : names()) {
    const std::string dir = directory(k, name);
    std::string state = entries ? "not selected" : "whole root";
    const auto explained_by = [&](std::size_t i) {
      state = "entry " + std::to_string(i) + ((*entries)[i].read_only ? " ro" : " rw");
    };
    if (entries) {
      std::size_t own = entries->size(), other = entries->size();
      for (std::size_t i = entries->size(); i-- > 0;) {
        if ((*entries)[i].name == name) own = i;
        else if (!dir.empty() && directory(k, (*entries)[i].name) == dir) other = i;
      }
      if (own < entries->size()) explained_by(own);
      else if (other < entries->size()) explained_by(other);
    }
    out.explanations.push_back(state);
  }
  if (!image_default) {
    out.working_directory = os.container(k.own + "/wd");
    for (const auto& d : dirs)
      if (std::get<0>(d) == k.task && std::get<2>(d)) out.warnings = 1;
  }
  // A relative path is hidden when a data path's directory holds it and that directory is
  // not mounted under any name.
  const auto hidden = [&](const std::string& rel) {
    for (const auto& name : names()) {
      const std::string dir = directory(k, name);
      if (inside(rel, dir)) return !mounted(dir);
    }
    return false;
  };
  for (const auto& v : standard(k, os.windows, true)) {
    if (v.user) {
      bool warn = false;
      for (const auto& p : v.parts) warn = warn || (p.under_root && hidden(p.text));
      out.env_warnings += warn ? 1 : 0;
      out.container_env.emplace_back(v.name, join(v, os, false));
      continue;
    }
    host_var kept = v;
    kept.parts.clear();
    for (const auto& p : v.parts)
      if (!(p.under_root && hidden(p.text))) kept.parts.push_back(p);
    if (kept.parts.empty()) {
      out.removed.push_back(v.name);
      continue;
    }
    out.container_env.emplace_back(v.name, join(kept, os, true));
  }
  return out;
}

}  // namespace kinds_oracle

namespace {
using namespace batchmount;

context_options options_for(task_kind kind, node_os os) {
  context_options o;
  o.os = os;
  o.kind = kind;
  if (kind != task_kind::start) o.job_id = "job";
  if (row(kind).in_job && kind != task_kind::job_preparation && kind != task_kind::job_release) o.task_id = "task1";
  if (kind == task_kind::multi_instance_subtask) o.subtask = 3;
  return o;
}

std::vector<env_var> host_environment(const kinds_oracle::kind_fact& k, const kinds_oracle::os_fact& os) {
  std::vector<env_var> out;
  for (const auto& v : kinds_oracle::standard(k, os.windows, true)) out.push_back({v.name, kinds_oracle::join(v, os, false)});
  return out;
}

std::string state_of(const path_explanation& why) {
  if (why.state == selection::whole_root) return "whole root";
  if (why.state == selection::not_selected) return "not selected";
  return "entry " + std::to_string(why.entry_index) + (why.read_only ? " ro" : " rw");
}

// The allocation-free API (a plan, a context in caller storage, views) gives the owning
// API's answer.
void compare_views(const container_request& request, const context_options& options, const resolution& owned,
                   const std::vector<env_var>& host, const container_environment& env) {
  char storage[8192];
  arena into(storage);
  const auto context = make_context(options, into);
  REQUIRE(context);
  const auto plan = make_plan(request, options.kind);
  REQUIRE(plan);
  const auto view = resolve(*plan, *context);
  REQUIRE(view);
  const resolution copied = to_owned(*view);
  CHECK(copied.mounts == owned.mounts);
  CHECK(copied.working_directory == owned.working_directory);
  std::vector<env_var_view> host_views;
  for (const auto& v : host) host_views.push_back({v.name, v.value});
  std::vector<env_decision_view> decisions(host.size());
  const auto count = filter_environment(*view, host_views.data(), host_views.size(), decisions.data(), decisions.size(), into);
  REQUIRE(count);
  REQUIRE(*count == env.decisions.size());
  for (std::size_t i = 0; i < *count; ++i) {
    CHECK(decisions[i].action == env.decisions[i].action);
    CHECK(decisions[i].container_value == env.decisions[i].container_value);
  }
}

void compare(const kinds_oracle::kind_fact& k, node_os os, const std::optional<std::vector<kinds_oracle::entry>>& entries,
             const std::optional<std::string>& wd) {
  const kinds_oracle::os_fact facts{os == node_os::windows_node};
  const auto want = kinds_oracle::expect(k, facts, entries, wd);
  INFO(to_string(k.kind) << " " << to_string(os) << " " << shapes::describe(entries, wd));
  std::vector<bind_mount_entry> wire;
  const container_request request = shapes::to_request(entries, wd, wire);
  const auto context = make_context(options_for(k.kind, os));
  REQUIRE(context);
  const auto r = resolve(request, *context);
  REQUIRE(r.has_value() == !want.failure);
  if (want.failure) {
    CHECK(r.error().code() == *want.failure);
    return;
  }
  std::vector<std::tuple<std::string, std::string, std::string, bool>> mounts;
  for (const auto& m : r->mounts)
    mounts.emplace_back(m.source ? std::string(to_wire(*m.source)) : std::string(), m.host_path, m.container_path,
                        m.read_only);
  CHECK(mounts == want.mounts);
  CHECK(r->working_directory == want.working_directory);
  CHECK(r->warnings.size() == want.warnings);
  std::vector<std::string> explanations;
  for (const auto& why : r->explanations) explanations.push_back(state_of(why));
  CHECK(explanations == want.explanations);
  // No container path is another's, or inside another's (OCI on Windows forbids nesting).
  for (const auto& a : r->mounts)
    for (const auto& b : r->mounts) {
      if (&a == &b) continue;
      CHECK(a.container_path != b.container_path);
      CHECK(a.container_path.rfind(b.container_path + (facts.windows ? "\\" : "/"), 0) != 0);
    }
  const std::vector<env_var> host = host_environment(k, facts);
  const auto env = filter_environment(*r, host);
  REQUIRE(env);
  compare_views(request, options_for(k.kind, os), *r, host, *env);
  std::vector<std::pair<std::string, std::string>> container_env;
  for (const auto& v : env->variables()) container_env.emplace_back(v.name, v.value);
  CHECK(container_env == want.container_env);
  CHECK(env->removed_names() == want.removed);
  CHECK(env->warnings().size() == want.env_warnings);
}

}  // namespace

TEST_CASE("oracle: every kind, request shape and OS matches the documented rules") {
  std::size_t cases = 0;
  for (const auto& k : kinds_oracle::kinds())
    for (const node_os os : {node_os::linux_node, node_os::windows_node})
      for (const std::optional<std::string>& wd :
           {std::optional<std::string>(), std::optional<std::string>("taskWorkingDirectory"),
            std::optional<std::string>("containerImageDefault")}) {
        compare(k, os, std::nullopt, wd);
        ++cases;
        shapes::for_each_list(kinds_oracle::names(), [&](const std::vector<kinds_oracle::entry>& list) {
          compare(k, os, list, wd);
          ++cases;
        });
      }
  CHECK(cases == 7 * 2 * 3 * (1 + 2 * 729));
}

TEST_CASE("oracle: the standard environment of every kind is the table's, on both OSes") {
  for (const auto& k : kinds_oracle::kinds())
    for (const node_os os : {node_os::linux_node, node_os::windows_node}) {
      INFO(to_string(k.kind) << " " << to_string(os));
      const kinds_oracle::os_fact facts{os == node_os::windows_node};
      const auto context = make_context(options_for(k.kind, os));
      REQUIRE(context);
      const auto got = standard_environment(*context, {{"blender", std::string_view("2.79")}});
      REQUIRE(got);
      std::vector<std::pair<std::string, std::string>> want, have;
      for (const auto& v : kinds_oracle::standard(k, facts.windows, false))
        want.emplace_back(v.name, kinds_oracle::join(v, facts, false));
      // Linux lists a lower-case and a case-preserved application package name; for an id
      // in lower case they are one name, listed once.
      for (const auto& v : *got) have.emplace_back(v.name, v.value);
      std::sort(want.begin(), want.end());
      std::sort(have.begin(), have.end());
      CHECK(have == want);
    }
}

TEST_CASE("oracle: identical duplicates change nothing; one that disagrees on isReadOnly is an error") {
  for (const auto& k : kinds_oracle::kinds())
    for (const node_os os : {node_os::linux_node, node_os::windows_node})
      shapes::for_each_list(kinds_oracle::names(), [&](const std::vector<kinds_oracle::entry>& list) {
        if (list.empty()) return;
        auto doubled = list;
        doubled.insert(doubled.end(), list.begin(), list.end());
        compare(k, os, doubled, std::string("containerImageDefault"));
        compare(k, os, doubled, std::nullopt);

        auto conflicting = doubled;
        conflicting.push_back({list.back().name, !list.back().read_only});
        std::vector<bind_mount_entry> wire;
        for (const auto& e : conflicting) wire.push_back({std::string_view(e.name), e.read_only});
        const auto p = make_plan({bind_mount_list(wire.data(), wire.size()), std::string_view("containerImageDefault")});
        REQUIRE_FALSE(p.has_value());
        CHECK(p.error().code() == error_code::conflicting_read_only);
        CHECK(p.error().index() == conflicting.size() - 1);
        CHECK(p.error().value() == list.back().name);
      });
}
