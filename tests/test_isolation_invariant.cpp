// Task kinds' edge rules (decisions 9 to 11), the environment invariant (decisions 13 and 14),
// NTFS case folding, and node roots that would break or escape the container.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "batchmount/batchmount.hpp"
#include "catch.hpp"

using namespace batchmount;

namespace {
context_options kind_options(task_kind kind, node_os os = node_os::linux_node) {
  context_options o;
  o.os = os;
  o.kind = kind;
  if (row(kind).in_job) o.job_id = "job";
  if (kind == task_kind::task || kind == task_kind::job_manager || kind == task_kind::multi_instance_primary ||
      kind == task_kind::multi_instance_subtask)
    o.task_id = "task1";
  if (kind == task_kind::multi_instance_subtask) o.subtask = 1;
  return o;
}

result<resolution> resolve_kind(task_kind kind, std::vector<bind_mount_entry> entries,
                                std::optional<std::string_view> wd = std::nullopt, node_os os = node_os::linux_node) {
  const auto context = make_context(kind_options(kind, os));
  REQUIRE(context);
  return resolve(container_request{bind_mount_list(entries.data(), entries.size()), wd}, *context);
}

env_decision decide_one(const resolution& r, const std::string& name, const std::string& value,
                        env_rule rule = env_rule::isolation_invariant) {
  const auto env = filter_environment(r, {{name, value}}, rule);
  REQUIRE(env);
  return env->decisions.front();
}
}  // namespace

TEST_CASE("decision 9: a start task's Task and Startup are one mount under either name") {
  const auto only_startup = resolve_kind(task_kind::start, {{"Startup", false}});
  REQUIRE(only_startup);  // the working-directory rule is met by Startup
  REQUIRE(only_startup->mounts.size() == 1);
  CHECK(only_startup->mounts[0].source == data_path::startup);
  CHECK(only_startup->mounts[0].host_path == "/mnt/batch/tasks/startup");
  CHECK(only_startup->working_directory == "/mnt/batch/tasks/startup/wd");
  CHECK(only_startup->explain(data_path::task).state == selection::selected);
  CHECK(only_startup->explain(data_path::task).text() ==
        "Task: mounted read/write because of entry #0 (the same directory as Startup, one mount)");

  const auto both = resolve_kind(task_kind::start, {{"Task", true}, {"Startup", true}});
  REQUIRE(both);
  REQUIRE(both->mounts.size() == 1);
  CHECK(both->mounts[0].source == data_path::task);  // the first entry names the mount
  CHECK(both->mounts[0].read_only);
  CHECK(both->warnings == std::vector<warning_code>{warning_code::read_only_task_working_directory});

  const auto conflict = resolve_kind(task_kind::start, {{"Shared", false}, {"Startup", true}, {"Task", false}});
  REQUIRE_FALSE(conflict);
  CHECK(conflict.error().code() == error_code::conflicting_read_only);
  CHECK(conflict.error().index() == 2);
  CHECK(conflict.error().value() == "Task");

  const auto job_prep = resolve_kind(task_kind::start, {{"Startup", false}, {"JobPrep", true}});
  REQUIRE_FALSE(job_prep);
  CHECK(job_prep.error().code() == error_code::job_prep_outside_job);
  CHECK(job_prep.error().index() == 1);
}

TEST_CASE("decision 9: a job preparation task's Task and JobPrep are one mount") {
  const auto r = resolve_kind(task_kind::job_preparation, {{"JobPrep", false}, {"Shared", true}});
  REQUIRE(r);
  REQUIRE(r->mounts.size() == 2);
  CHECK(r->mounts[1].source == data_path::job_prep);
  CHECK(r->mounts[1].host_path == "/mnt/batch/tasks/workitems/job/job-1/jobpreparation");
  CHECK(r->working_directory == "/mnt/batch/tasks/workitems/job/job-1/jobpreparation/wd");
  const auto conflict = resolve_kind(task_kind::job_preparation, {{"JobPrep", false}, {"Task", true}});
  REQUIRE_FALSE(conflict);
  CHECK(conflict.error().code() == error_code::conflicting_read_only);
  CHECK(conflict.error().index() == 1);
  // An ordinary task's Startup is not its own directory: the rule still wants Task.
  const auto ordinary = resolve_kind(task_kind::task, {{"Startup", false}});
  REQUIRE_FALSE(ordinary);
  CHECK(ordinary.error().code() == error_code::working_directory_requires_task);
}

TEST_CASE("decision 10: multi-instance tasks mount the task root; each instance has its own working directory") {
  const auto sub = resolve_kind(task_kind::multi_instance_subtask, {{"Task", false}});
  REQUIRE(sub);
  REQUIRE(sub->mounts.size() == 1);
  CHECK(sub->mounts[0].host_path == "/mnt/batch/tasks/workitems/job/job-1/task1");
  CHECK(sub->working_directory == "/mnt/batch/tasks/workitems/job/job-1/task1/1/wd");
  const auto win = resolve_kind(task_kind::multi_instance_subtask, {{"Task", false}}, std::nullopt, node_os::windows_node);
  REQUIRE(win);
  CHECK(win->mounts[0].container_path == "C:\\batch\\tasks\\workitems\\job\\job-1\\task1");
  CHECK(win->working_directory == "C:\\batch\\tasks\\workitems\\job\\job-1\\task1\\1\\wd");
  auto o = kind_options(task_kind::multi_instance_subtask);
  o.subtask = 12;
  const auto context = make_context(o);
  REQUIRE(context);
  CHECK(context->host_task_directory() == "/mnt/batch/tasks/workitems/job/job-1/task1/12");
  CHECK(context->host_directory(data_path::task) == "/mnt/batch/tasks/workitems/job/job-1/task1");
}

TEST_CASE("decision 11 and the kinds' ids are checked before any path exists") {
  const auto code_of = [](const context_options& o) { return make_context(o).error().code(); };
  auto o = kind_options(task_kind::task);
  o.task_id = "JobRelease";
  CHECK(code_of(o) == error_code::task_id_is_job_release_task_id);
  o.task_id = "jobPreparation";
  CHECK(code_of(o) == error_code::task_id_is_job_prep_task_id);
  o = kind_options(task_kind::task);
  o.job_release_task_id = "JOBPREPARATION";
  CHECK(code_of(o) == error_code::job_prep_task_id_is_job_release_task_id);
  o.job_release_task_id = "bad id";
  CHECK(code_of(o) == error_code::invalid_job_release_task_id);

  o = kind_options(task_kind::job_preparation);
  o.task_id = "setup";  // names the job preparation task's id, left at its default
  REQUIRE(make_context(o));
  CHECK(make_context(o)->job_prep_task_id() == "setup");
  CHECK(make_context(o)->host_task_directory() == "/mnt/batch/tasks/workitems/job/job-1/setup");
  o.job_prep_task_id = "prep";  // named twice, differently
  CHECK(code_of(o) == error_code::task_id_is_not_kind_id);
  o.task_id = "PREP";  // the same id, ignoring case
  REQUIRE(make_context(o));
  CHECK(make_context(o)->task_id() == "prep");
  o = kind_options(task_kind::job_release);
  o.task_id = "JobPreparation";  // as the release task's id it would be the preparation task's directory
  CHECK(code_of(o) == error_code::job_prep_task_id_is_job_release_task_id);
  o = kind_options(task_kind::job_preparation);
  o.job_has_job_prep_task = false;
  CHECK(code_of(o) == error_code::job_has_no_job_prep_task);
  o = kind_options(task_kind::job_release);
  o.job_has_job_prep_task = false;
  CHECK(code_of(o) == error_code::job_has_no_job_prep_task);

  o = kind_options(task_kind::start);
  o.job_id = "job";
  CHECK(code_of(o) == error_code::start_task_has_no_job);
  o = kind_options(task_kind::start);
  o.task_id = "t";
  CHECK(code_of(o) == error_code::start_task_has_no_job);
  o = kind_options(task_kind::start);
  o.job_schedule_id = "s";
  CHECK(code_of(o) == error_code::start_task_has_no_job);

  o = kind_options(task_kind::multi_instance_subtask);
  o.subtask = 0;
  CHECK(code_of(o) == error_code::invalid_subtask);
  o = kind_options(task_kind::task);
  o.subtask = 4;
  const auto bad = make_context(o);
  CHECK(bad.error().code() == error_code::invalid_subtask);
  CHECK(bad.error().value() == "4");
  o = kind_options(task_kind::task);
  o.kind = static_cast<task_kind>(7);
  CHECK(code_of(o) == error_code::invalid_task_kind);
  CHECK(make_plan({bind_mount_list::empty(), std::nullopt}, static_cast<task_kind>(9)).error().code() ==
        error_code::invalid_task_kind);
}

TEST_CASE("a job without a job preparation task: JobPrep resolves with a warning, and no JobPrep variables") {
  auto o = kind_options(task_kind::task);
  o.job_has_job_prep_task = false;
  const auto context = make_context(o);
  REQUIRE(context);
  const std::vector<bind_mount_entry> entries = {{"JobPrep", true}, {"Task", false}};
  const auto r = resolve(container_request{entries, std::nullopt}, *context);
  REQUIRE(r);
  CHECK(r->mounts.size() == 2);
  CHECK(r->warnings == std::vector<warning_code>{warning_code::job_prep_directory_missing});
  CHECK(!warning_text(warning_code::job_prep_directory_missing).empty());
  const auto env = standard_environment(*context);
  for (const auto& v : *env) CHECK(v.name.rfind("AZ_BATCH_JOB_PREP", 0) == std::string::npos);
  // A null list mounts nothing missing: no warning.
  CHECK(resolve(container_request{}, *context)->warnings.empty());
}

TEST_CASE("decision 13: HOME and PWD inside unmounted data paths are removed; PATH loses those entries") {
  const auto r = resolve_kind(task_kind::task, {{"Shared", true}}, std::string_view("containerImageDefault"));
  REQUIRE(r);
  const auto home = decide_one(*r, "HOME", "/mnt/batch/tasks/workitems/job/job-1/task1/wd");
  CHECK(home.action == env_action::removed);
  CHECK(home.path == data_path::task);
  CHECK(decide_one(*r, "PWD", "/mnt/batch/tasks/shared/x").action == env_action::kept);
  CHECK(decide_one(*r, "HOME", "/root").reason == env_reason::outside_node_root);

  const auto path = decide_one(*r, "PATH", "/usr/bin:/mnt/batch/tasks/startup/wd::/mnt/batch/tasks/shared/bin:rel");
  CHECK(path.action == env_action::rewritten);
  CHECK(path.container_value == "/usr/bin::/mnt/batch/tasks/shared/bin:rel");  // order kept, empty entry kept
  CHECK(path.reason == env_reason::path_entries_removed);
  CHECK(path.path == data_path::startup);
  const auto all_gone = decide_one(*r, "PATH", "/mnt/batch/tasks/startup:/mnt/batch/tasks/fsmounts/x");
  CHECK(all_gone.action == env_action::removed);
  const auto untouched = decide_one(*r, "PATH", "/usr/bin:/mnt/batch/tasks/shared");
  CHECK(untouched.action == env_action::kept);
  CHECK(untouched.reason == env_reason::path_list);
  // Case matters on Linux: "Path" is another variable, kept and warned about.
  const auto other = decide_one(*r, "Path", "/mnt/batch/tasks/startup");
  CHECK(other.action == env_action::kept);
  CHECK(other.reason == env_reason::names_unmounted_path);

  // The article's literal rule filters AZ_BATCH_* only.
  CHECK(decide_one(*r, "HOME", "/mnt/batch/tasks/workitems/job/job-1/task1/wd", env_rule::article_literal).action ==
        env_action::kept);
  const auto literal_path = decide_one(*r, "PATH", "/mnt/batch/tasks/startup:/usr/bin", env_rule::article_literal);
  CHECK(literal_path.action == env_action::kept);
  CHECK(literal_path.reason == env_reason::names_unmounted_path);
  CHECK(decide_one(*r, "AZ_BATCH_TASK_DIR", "/mnt/batch/tasks/workitems/job/job-1/task1", env_rule::article_literal)
            .action == env_action::removed);
}

TEST_CASE("decision 13 on Windows: PATH by any case, ';'-separated, kept entries on C:") {
  const auto r = resolve_kind(task_kind::task, {{"Task", false}}, std::nullopt, node_os::windows_node);
  REQUIRE(r);
  const auto path = decide_one(*r, "pAtH", "C:\\Windows;d:/batch/tasks/shared;D:\\batch\\tasks\\workitems\\job\\job-1\\task1\\wd");
  CHECK(path.action == env_action::rewritten);
  CHECK(path.container_value == "C:\\Windows;C:\\batch\\tasks\\workitems\\job\\job-1\\task1\\wd");
  const auto kept = decide_one(*r, "PATH", "C:\\Windows;D:\\batch\\tasks\\workitems\\job\\job-1\\task1");
  CHECK(kept.action == env_action::rewritten);
  CHECK(kept.reason == env_reason::path_list);
  CHECK(kept.container_value == "C:\\Windows;C:\\batch\\tasks\\workitems\\job\\job-1\\task1");
  CHECK(decide_one(*r, "home", "D:\\batch\\tasks\\shared").action == env_action::removed);
  CHECK(decide_one(*r, "Home", "D:\\batch\\tasks\\workitems\\job\\job-1\\task1\\wd").container_value ==
        "C:\\batch\\tasks\\workitems\\job\\job-1\\task1\\wd");
}

TEST_CASE("decision 14: other variables naming unmounted paths are kept unchanged, with a warning") {
  const auto r = resolve_kind(task_kind::task, {{"Task", false}}, std::nullopt, node_os::windows_node);
  REQUIRE(r);
  const auto env = filter_environment(*r, {{"INPUTS", "C:\\data;D:\\batch\\tasks\\shared\\in"},
                                           {"OUTPUT", "D:\\batch\\tasks\\workitems\\job\\job-1\\task1\\wd\\out"},
                                           {"TOOLS", "C:\\tools"}});
  REQUIRE(env);
  CHECK(env->decisions[0].action == env_action::kept);
  CHECK(env->decisions[0].container_value == "C:\\data;D:\\batch\\tasks\\shared\\in");
  CHECK(env->decisions[0].path == data_path::shared);
  // A user variable inside a mounted path is not rewritten either: only Batch's are.
  CHECK(env->decisions[1].container_value == "D:\\batch\\tasks\\workitems\\job\\job-1\\task1\\wd\\out");
  CHECK(env->decisions[1].reason == env_reason::not_batch_variable);
  REQUIRE(env->warnings().size() == 1);
  CHECK(env->warnings()[0] == "INPUTS names a path inside Shared, which is not mounted: the container cannot see it");
  CHECK(env->decisions[0].text() ==
        "INPUTS kept: names a path inside a data path that is not mounted (kept: not a variable Batch sets) (Shared)");
  const auto lin = resolve_kind(task_kind::task, {{"Task", false}});
  // On Linux ':' separates the entries; ';' is part of a path.
  CHECK(decide_one(*lin, "DATA", "/opt:/mnt/batch/tasks/fsmounts/blob").path == data_path::vfs_mounts);
  CHECK(!decide_one(*lin, "DATA", "/opt;/mnt/batch/tasks/fsmounts").path);
}

TEST_CASE("NTFS case folding: paths and names compare as Windows sees them") {
  auto o = kind_options(task_kind::task, node_os::windows_node);
  o.node_root = "D:\\Bâtch\\ſhared-ıd";
  const auto context = make_context(o);
  REQUIRE(context);
  const std::vector<bind_mount_entry> entries = {{"Task", false}};
  const auto r = resolve(container_request{entries, std::nullopt}, *context);
  REQUIRE(r);
  // 'Â' is 'â' upper-cased; 'S' and 'I' are what NTFS upcases 'ſ' and 'ı' to.
  const auto shared = decide_one(*r, "AZ_BATCH_NODE_SHARED_DIR", "D:\\BÂTCH\\SHARED-ID\\shared");
  CHECK(shared.action == env_action::removed);
  const auto task = decide_one(*r, "AZ_BATCH_TASK_DIR", "d:/bÂtch/SHARED-Id/workitems/job/job-1/TASK1");
  CHECK(task.action == env_action::rewritten);
  CHECK(task.container_value == "C:\\bÂtch\\SHARED-Id\\workitems\\job\\job-1\\TASK1");
  // Canonicalization (for a doubled separator) decides the same.
  CHECK(decide_one(*r, "AZ_BATCH_X", "D:\\\\BÂTCH\\SHARED-ID\\shared\\x").action == env_action::removed);
  // A user's variable is found naming the unmounted Shared however the root is spelled.
  CHECK(decide_one(*r, "MY_INPUT", "C:\\x;D:\\BÂTCH\\SHARED-ID\\shared\\in").path == data_path::shared);
  CHECK(!decide_one(*r, "MY_INPUT", "C:\\x;D:\\BATCH\\other\\shared\\in").path);
  // Outside the BMP nothing folds, and invalid UTF-8 compares byte for byte.
  CHECK(detail::fold_equal("\xF0\x90\x90\xA8", "\xF0\x90\x90\x80") == false);  // U+10428 vs U+10400
  CHECK(detail::fold_equal("a\xC3", "A\xC3"));
  CHECK_FALSE(detail::fold_equal("a\xC3", "A\xC4"));
  CHECK_FALSE(detail::fold_equal("\xC3", "\xC3\xA2"));
  // An invalid byte is not the code point of the same value: "\xC9" is not "É" (U+00C9), nor
  // "é" (U+00E9, which upcases to it), nor "\xE9" the same as "É"; in every position.
  for (const char* valid : {"\xC3\x89", "\xC3\xA9", "\xC3\x88", "\xC3\x80"}) {  // É é È À
    for (const char* invalid : {"\xC9", "\xE9", "\xC8", "\xC0", "\x89", "\xA9"}) {
      INFO(invalid << " against " << valid);
      CHECK_FALSE(detail::fold_equal(invalid, valid));
      CHECK_FALSE(detail::fold_equal(std::string("D:\\") + invalid + "x", std::string("D:\\") + valid + "x"));
      CHECK_FALSE(detail::fold_equal(std::string("ab") + invalid, std::string("AB") + valid));
    }
  }
  CHECK(detail::fold_equal("\xC9x", "\xC9X"));  // the same invalid byte on both sides
  CHECK(detail::fold_equal("straße", "STRAßE"));  // ß has no simple upper-case mapping
  CHECK_FALSE(detail::fold_equal("straße", "STRASSE"));
  CHECK(detail::fold_equal("ᾀ", "ᾈ"));  // U+1F80 upcases to U+1F88 (simple mapping)
  CHECK(detail::fold_equal("ς", "Σ"));
  CHECK(detail::fold_equal("ǆ", "Ǆ"));
  CHECK(detail::fold_equal("ⱥ", "Ⱥ"));  // three bytes against two
  // Eight ASCII bytes at the end of both: compared as words first, then in full.
  CHECK(detail::fold_equal("az_batch_task_dir", "AZ_BATCH_TASK_DIR"));
  CHECK_FALSE(detail::fold_equal("AZ_BATCH_TASK_DIR", "AZ_BATCH_TASK_DIX"));
  CHECK_FALSE(detail::fold_equal("AZ_BATCH_TASK_DIR", "AZ_BATCH_NODE_SHARED_DIR"));
  CHECK(detail::fold_equal("ıabcdefgh", "Iabcdefgh"));   // past ASCII before the last eight bytes
  CHECK(detail::fold_equal("abcdefgı", "ABCDEFGI"));     // and within them: nine bytes against eight
  CHECK_FALSE(detail::fold_equal("xabcdefgh", "abcdefgh"));  // same last word, different text
  CHECK(detail::fold_equal("d:/batch/tasks", "D:\\BATCH\\TASKS", true));
  // Names: "path" spelled with a fold-equal letter is PATH on Windows only.
  const auto lin = resolve_kind(task_kind::task, {{"Task", false}});
  CHECK(decide_one(*lin, "Path", "/mnt/batch/tasks/shared").action == env_action::kept);
}

TEST_CASE("a node root that would break or escape the container is refused") {
  const auto code_of = [](node_os os, std::string_view root) {
    auto o = kind_options(task_kind::task, os);
    o.node_root = root;
    const auto c = make_context(o);
    REQUIRE_FALSE(c);
    return c.error().code();
  };
  CHECK(code_of(node_os::linux_node, "/") == error_code::node_root_is_filesystem_root);
  CHECK(code_of(node_os::linux_node, "//./") == error_code::node_root_is_filesystem_root);
  CHECK(code_of(node_os::windows_node, "D:\\") == error_code::node_root_is_filesystem_root);
  CHECK(code_of(node_os::windows_node, "e:/.") == error_code::node_root_is_filesystem_root);
  for (const std::string_view root : {"/proc", "/proc/1/root", "/sys/fs", "/dev", "/dev//shm/batch"})
    CHECK(code_of(node_os::linux_node, root) == error_code::node_root_in_kernel_filesystem);
  // Lookalikes are fine: whole components decide.
  for (const std::string_view root : {"/process", "/system/batch", "/devices", "/mnt/proc"}) {
    auto o = kind_options(task_kind::task);
    o.node_root = root;
    CHECK(make_context(o));
  }
  auto o = kind_options(task_kind::task, node_os::windows_node);
  o.node_root = "D:\\proc";  // Windows has no kernel filesystems in its tree
  CHECK(make_context(o));
}

TEST_CASE("every kind resolves through the allocation-free API from caller storage") {
  for (std::size_t k = 0; k < task_kind_count; ++k) {
    const auto kind = static_cast<task_kind>(k);
    INFO(to_string(kind));
    char storage[2048];
    arena into(storage);
    const auto context = make_context(kind_options(kind), into);
    REQUIRE(context);
    static constexpr bind_mount_entry entries[] = {{"Task", true}, {"Shared", false}};
    const auto p = make_plan({entries, std::nullopt}, kind);
    REQUIRE(p);
    const auto view = resolve(*p, *context).value();
    CHECK(view.mount_count == 2);
    CHECK(view.kind == kind);
    CHECK(parse_task_kind(to_string(kind)) == kind);
  }
  CHECK(!parse_task_kind("manager"));
}
