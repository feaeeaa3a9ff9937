#include "batchmount/environment.hpp"

#include <cstring>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "catch.hpp"
#include "exact_text.hpp"

using namespace batchmount;

namespace {
resolution resolved(node_os os, const std::vector<bind_mount_entry>& entries,
                    std::string_view task = "task1") {
  const auto context = make_context(context_options::job_task("job", task).on(os));
  REQUIRE(context);
  auto r = resolve(container_request{entries, std::nullopt}, *context);
  REQUIRE(r);
  return *r;
}
env_decision decide(const resolution& r, std::string name, std::string value) {
  const auto env = filter_environment(r, {{std::move(name), std::move(value)}});
  REQUIRE(env);
  REQUIRE(env->decisions.size() == 1);
  return env->decisions[0];
}

// Decides `name`=`value` with the shortcuts and with canonicalization alone and checks they
// agree; returns the data path the shortcuts name.
std::optional<data_path> check_both_ways(const detail::env_scope& scope, const char* name, const std::string& value) {
  char fast_storage[256], slow_storage[256];
  arena fast_arena(fast_storage), slow_arena(slow_storage);
  const auto fast = detail::decide(scope, {name, value}, 0, fast_arena, true);
  const auto slow = detail::decide(scope, {name, value}, 0, slow_arena, false);
  INFO(name << "=" << value);
  REQUIRE(fast);
  REQUIRE(slow);
  CHECK(fast->action == slow->action);
  CHECK(fast->reason == slow->reason);
  CHECK(fast->path == slow->path);
  CHECK(fast->container_value == slow->container_value);
  return fast->path;
}

// Checks detail::mentions for every word in every text made of a filler, some padding, a form
// and a filler, against `reference(text, word)`; both answers must occur often.
template <class Os, class Reference>
void check_mentions(Os os, const std::vector<std::string>& words, const std::vector<std::string>& fillers,
                    const std::vector<std::string>& forms, Reference&& reference) {
  std::size_t found = 0, checked = 0;
  for (const auto& word : words)
    for (const auto& before : fillers)
      for (std::size_t pad = 0; pad < 10; ++pad)
        for (const auto& form : forms)
          for (const auto& after : fillers) {
            const std::string text = before + std::string(pad, 'a') + form + after;
            INFO(word << " in " << text);
            const bool expected = reference(text, word);
            CHECK(detail::mentions(exact_text(text).view(), word, os) == expected);
            found += expected;
            ++checked;
          }
  CHECK(found > checked / 10);
  CHECK(found < checked);
}

// check_both_ways for `values` as a path variable; the data paths the shortcuts name.
std::vector<std::optional<data_path>> decide_both_ways(const detail::env_scope& scope, const std::vector<std::string>& values) {
  std::vector<std::optional<data_path>> paths;
  for (const auto& value : values) paths.push_back(check_both_ways(scope, "AZ_BATCH_X", value));
  return paths;
}
}  // namespace

TEST_CASE("variables inside unmounted data paths are removed, with the reason") {
  const auto r = resolved(node_os::linux_node, {{"Task", true}});
  const auto shared = decide(r, "AZ_BATCH_NODE_SHARED_DIR", "/mnt/batch/tasks/shared");
  CHECK(shared.action == env_action::removed);
  CHECK(shared.reason == env_reason::inside_unmounted_path);
  CHECK(shared.path == data_path::shared);
  CHECK(shared.container_value.empty());
  CHECK(shared.text() ==
        "AZ_BATCH_NODE_SHARED_DIR removed: path inside a data path that is not mounted (Shared)");
  // Not in the article's table, but pointing inside an unmounted directory: removed too.
  CHECK(decide(r, "AZ_BATCH_APP_PACKAGE_foo_1_0", "/mnt/batch/tasks/applications/foo#1.0").action ==
        env_action::removed);
  CHECK(decide(r, "AZ_BATCH_CUSTOM", "/mnt/batch/tasks/startup/wd/x").action == env_action::removed);
}

TEST_CASE("variables inside mounted paths, outside data paths, or not paths are kept") {
  const auto r = resolved(node_os::linux_node, {{"Task", true}});
  const auto task = decide(r, "AZ_BATCH_TASK_WORKING_DIR", "/mnt/batch/tasks/workitems/job/job-1/task1/wd");
  CHECK(task.action == env_action::kept);
  CHECK(task.reason == env_reason::inside_mounted_path);
  CHECK(task.container_value == task.host_value);
  CHECK(decide(r, "AZ_BATCH_NODE_ROOT_DIR", "/mnt/batch/tasks").reason == env_reason::inside_node_root);
  CHECK(decide(r, "AZ_BATCH_JOB_ID", "job").reason == env_reason::not_a_path);
  CHECK(decide(r, "AZ_BATCH_OTHER", "/etc/passwd").reason == env_reason::outside_node_root);
  const auto user = decide(r, "MY_SHARED", "/mnt/batch/tasks/shared");
  CHECK(user.action == env_action::kept);  // not a variable Batch sets: kept, with a warning
  CHECK(user.container_value == "/mnt/batch/tasks/shared");
  CHECK(user.reason == env_reason::names_unmounted_path);
  CHECK(user.path == data_path::shared);
  const auto elsewhere = decide(r, "MY_TOOLS", "/opt/tools");
  CHECK(elsewhere.reason == env_reason::not_batch_variable);
  CHECK(!elsewhere.path);
  // Linux values are not rewritten, even when written untidily.
  CHECK(decide(r, "AZ_BATCH_TASK_DIR", "/mnt//batch/tasks/workitems/job/job-1/task1/").container_value ==
        "/mnt//batch/tasks/workitems/job/job-1/task1/");
}

TEST_CASE("containment is decided by whole components") {
  const auto r = resolved(node_os::linux_node, {{"Task", true}});
  const auto lookalike = decide(r, "AZ_BATCH_X", "/mnt/batch/tasks/shared2");
  CHECK(lookalike.action == env_action::kept);
  CHECK_FALSE(lookalike.path.has_value());
  CHECK(decide(r, "AZ_BATCH_X", "/mnt/batch/tasks/shared/").action == env_action::removed);
  CHECK(decide(r, "AZ_BATCH_X", "/mnt/batch/tasks//shared").action == env_action::removed);
  CHECK(decide(r, "AZ_BATCH_X", "/mnt/batch/tasks/./shared/x").action == env_action::removed);
  // ".." is applied lexically, so a value cannot hide where it points.
  CHECK(decide(r, "AZ_BATCH_X", "/mnt/batch/tasks/workitems/job/job-1/task1/../../../../shared")
            .action == env_action::removed);
  CHECK(decide(r, "AZ_BATCH_X", "/mnt/batch/tasks/workitems/job/job-1/task10").action ==
        env_action::kept);
  // Any byte but NUL can be in a Linux path: a newline does not hide where a value points.
  CHECK(decide(r, "AZ_BATCH_X", "/mnt/batch/tasks/shared/a\nb").action == env_action::removed);
  // Linux paths are case-sensitive: /mnt/batch/tasks/Shared is not the shared directory.
  CHECK(decide(r, "AZ_BATCH_X", "/mnt/batch/tasks/Shared").action == env_action::kept);
}

TEST_CASE("Windows: names and paths case-insensitive, both separators, values rewritten") {
  const auto r = resolved(node_os::windows_node, {{"Task", false}});
  const auto task = decide(r, "AZ_BATCH_TASK_DIR", "d:/BATCH/tasks/workitems/JOB/job-1/Task1/");
  CHECK(task.action == env_action::rewritten);
  CHECK(task.path == data_path::task);
  CHECK(task.container_value == "C:\\BATCH\\tasks\\workitems\\JOB\\job-1\\Task1");
  CHECK(task.text().find("rewritten to C:\\BATCH") != std::string::npos);
  const auto shared = decide(r, "az_batch_node_shared_dir", "D:\\Batch\\Tasks\\SHARED");
  CHECK(shared.action == env_action::removed);
  CHECK(shared.path == data_path::shared);
  CHECK(decide(r, "AZ_BATCH_X", "D:\\batch\\tasks\\shared.\\x").action == env_action::removed);
  // Device prefixes and NTFS stream names do not hide where a value points.
  CHECK(decide(r, "AZ_BATCH_X", "\\\\?\\D:\\batch\\tasks\\shared").action == env_action::removed);
  CHECK(decide(r, "AZ_BATCH_X", "//./d:/batch/tasks/shared/x").action == env_action::removed);
  CHECK(decide(r, "AZ_BATCH_X", "D:\\batch\\tasks\\shared\\f:stream").action == env_action::removed);
  CHECK(decide(r, "AZ_BATCH_X", "D:\\batch\\tasks\\shared:stream").action == env_action::removed);
  CHECK(decide(r, "AZ_BATCH_X", "D:\\batch\\tasks\\shared2:stream").action == env_action::rewritten);
  CHECK(decide(r, "AZ_BATCH_X", "\\\\server\\share\\shared").reason == env_reason::not_a_path);
  // Found by fuzz_environment: a nameless stream component names nothing; it must not hide
  // the unmounted Task directory behind it.
  CHECK(decide(r, "AZ_BATCH_X", "D:\\:\\batch\\tasks\\shared").action == env_action::removed);
  // "..." names no directory of its own in Win32: skipped like ".".
  CHECK(decide(r, "AZ_BATCH_X", "D:\\batch\\tasks\\...\\shared").action == env_action::removed);
  CHECK(decide(r, "AZ_BATCH_X", "D:\\batch\\tasks\\shared2").action == env_action::rewritten);
  CHECK(decide(r, "AZ_BATCH_NODE_ROOT_DIR", "D:\\batch\\tasks").container_value == "C:\\batch\\tasks");
  CHECK(decide(r, "AZ_BATCH_X", "E:\\batch\\tasks\\shared").action == env_action::kept);
  // Rooted without a drive: in the container that is C:\batch\tasks\shared, Shared's
  // container path (decision 31).
  CHECK(decide(r, "AZ_BATCH_X", "/batch/tasks/shared").action == env_action::removed);
  // PATH's name is case-insensitive on Windows: its only entry is inside unmounted Shared.
  CHECK(decide(r, "Path", "D:\\batch\\tasks\\shared").action == env_action::removed);
}

TEST_CASE("every reason and warning has its own text") {
  for (int a = 0; a <= static_cast<int>(env_reason::names_unmounted_path); ++a) {
    const auto text = reason_text(static_cast<env_reason>(a));
    CHECK_FALSE(text.empty());
    for (int b = 0; b < a; ++b) CHECK(text != reason_text(static_cast<env_reason>(b)));
  }
  CHECK(reason_text(static_cast<env_reason>(200)).empty());
  CHECK(warning_text(static_cast<warning_code>(200)).empty());
}

TEST_CASE("the container environment lists kept and rewritten values; removed names listed apart") {
  const auto r = resolved(node_os::windows_node, {{"Task", false}});
  const auto env = filter_environment(r, {{"A", "1"},
                                          {"AZ_BATCH_NODE_SHARED_DIR", "D:\\batch\\tasks\\shared"},
                                          {"AZ_BATCH_TASK_DIR", "D:\\batch\\tasks\\workitems\\job\\job-1\\task1"}});
  REQUIRE(env);
  CHECK(env->variables() ==
        std::vector<env_var>{{"A", "1"}, {"AZ_BATCH_TASK_DIR", "C:\\batch\\tasks\\workitems\\job\\job-1\\task1"}});
  CHECK(env->removed_names() == std::vector<std::string>{"AZ_BATCH_NODE_SHARED_DIR"});
  CHECK(env->decisions[2].host_value == "D:\\batch\\tasks\\workitems\\job\\job-1\\task1");
}

TEST_CASE("a null list keeps every variable (Windows: rewritten to C:)") {
  const auto r = resolve(container_request{},
                         *make_context(context_options::job_task("j", "t").on(node_os::windows_node)));
  REQUIRE(r);
  const auto d = decide(*r, "AZ_BATCH_NODE_SHARED_DIR", "D:\\batch\\tasks\\shared");
  CHECK(d.action == env_action::rewritten);
  CHECK(d.reason == env_reason::inside_whole_root);
  CHECK(d.container_value == "C:\\batch\\tasks\\shared");
}

TEST_CASE("the allocation-free filter writes rewritten values to the arena, nothing else") {
  char storage[2048];
  arena into(storage);
  const auto context = make_context(context_options::job_task("job", "task1").on(node_os::windows_node), into);
  static constexpr bind_mount_entry entries[] = {{"Task", false}};
  const auto r = resolve(*make_plan({entries, std::nullopt}), *context).value();
  const std::size_t before = into.used();
  const env_var_view host[] = {{"A", "1"},
                               {"AZ_BATCH_NODE_SHARED_DIR", "D:\\batch\\tasks\\shared"},
                               {"AZ_BATCH_TASK_DIR", "d:/batch/tasks/workitems/job/job-1/task1"}};
  env_decision_view out[3];
  const auto n = filter_environment(r, host, 3, out, 3, into);
  REQUIRE(n);
  CHECK(*n == 3);
  CHECK(out[0].container_value.data() == host[0].value.data());  // kept: the input itself
  CHECK(out[1].action == env_action::removed);
  CHECK(out[2].container_value == "C:\\batch\\tasks\\workitems\\job\\job-1\\task1");
  CHECK(into.used() - before == out[2].container_value.size());  // only the rewrite stays

  arena tiny(storage, before + 4);
  tiny.rewind(before);
  const auto overflow = filter_environment(r, host, 3, out, 3, tiny);
  REQUIRE_FALSE(overflow);
  CHECK(overflow.error().code() == error_code::buffer_too_small);
  CHECK(overflow.error().index() == 2);  // the first variable that needs arena space: the rewrite
  const env_var_view bad[] = {{"", "x"}};
  CHECK(filter_environment(r, bad, 1, out, 3, into).error().code() == error_code::invalid_environment_name);
  // Room for fewer decisions than variables: refused before anything is written.
  env_decision_view two[2];
  const auto short_out = filter_environment(r, host, 3, two, 2, into);
  REQUIRE_FALSE(short_out);
  CHECK(short_out.error().code() == error_code::buffer_too_small);
  CHECK(filter_environment(r, host, 2, two, 2, into).has_value());
}

TEST_CASE("the shortcuts and canonicalization alone decide alike") {
  const std::vector<std::string> linux_values = {
      "/mnt/batch/tasks", "/mnt/batch/tasks/", "/mnt/batch/tasks//shared", "/mnt/batch/tasks/shared",
      "/mnt/batch/tasks/shared/", "/mnt/batch/tasks/shared//x", "/mnt/batch/tasks/shared/./x",
      "/mnt/batch/tasks/shared/../startup", "/mnt/batch/tasks/shared/..", "/mnt/batch/tasks/shared/.",
      "/mnt/batch/tasks/shared2", "/mnt/batch/tasks/Shared", "/mnt/batch/tasks/workitems/job/job-1/task1/wd",
      "/mnt/batch/tasks/workitems/job/job-1/task10", "/mnt/batch/tasks/workitems/job/job-1", "/mnt/batch/tasks/x/",
      "/mnt/batch/tasks/.", "/mnt/batch/tasksx", "/mnt/batch", "/", "//", "relative", "", "/mnt/batch/tasks/a:b",
      // What follows a matched data path's tail, and lists of entries.
      "/mnt/batch/tasks/workitems/job/job-1/task1/wd/../../../shared", "/mnt/batch/tasks/workitems/job/job-1/task1//wd",
      "/mnt/batch/tasks/workitems/job/job-1/task1/", "/mnt/batch/tasks/workitems/job/job-1/jobpreparation/wd/x.",
      "/mnt/batch/tasks/startup/wd/.hidden", "/mnt/batch/tasks/shared/a/./b", "/usr/bin:/mnt/batch/tasks/shared/bin",
      "/mnt/batch/tasks/startup:/mnt/batch/tasks/shared", "::/mnt/batch/tasks/shared::", "/opt/tasks", "tasks",
      "/mnt/batch/tasks/fsmounts/blob", "/mnt/batch/tasks/applications/app1.0/bin"};
  const std::vector<std::string> windows_values = {
      "D:\\batch\\tasks", "D:\\batch\\tasks\\", "d:/batch/tasks/shared", "D:\\BATCH\\Tasks\\SHARED\\x",
      "D:\\batch\\tasks\\shared\\", "D:\\batch\\tasks\\shared\\\\x", "D:\\batch\\tasks\\shared.",
      "D:\\batch\\tasks\\shared \\x", "D:\\batch\\tasks\\shared:s", "D:\\batch\\tasks\\shared\\..\\startup",
      "D:\\batch\\tasks\\workitems\\job\\job-1\\task1\\wd", "D:/batch/tasks/workitems/job/job-1/TASK1/",
      "\\\\?\\D:\\batch\\tasks\\shared", "D:\\batch\\tasks2", "E:\\batch\\tasks\\shared", "D:", "D:\\",
      "D:\\batch\\tasks\\...\\shared", "D:\\:\\batch\\tasks\\shared",
      // What follows a matched tail, case and separators in the tails, text past ASCII that
      // folds to ASCII ('ı' to 'I'), lists, values without ':'.
      "D:\\batch\\tasks\\workitems\\job\\job-1\\task1\\wd\\..\\..\\..\\shared",
      "d:\\BATCH/tasks/WORKITEMS/Job/JOB-1/Task1/wd", "D:\\batch\\tasks\\workitems\\job\\job-1\\task1\\wd.",
      "D:\\batch\\tasks\\workıtems\\job\\job-1\\task1", "D:\\batch\\tasks\\ſhared\\x",
      "D:\\batch\\taſks\\shared", "D:\\bâtch\\tasks\\shared", "C:\\Windows;D:\\batch\\tasks\\shared\\bin",
      "D:\\batch\\tasks\\startup;D:\\batch\\tasks\\shared;", "\\\\server\\batch\\tasks\\shared",
      "batch\\tasks\\shared", "D:\\batch\\tasks\\workitems\\job\\job-1\\jobpreparation\\wd\\x y",
      "D:\\batch\\tasks\\applications\\app#1.0"};
  for (const node_os os : {node_os::linux_node, node_os::windows_node}) {
    const auto& values = os == node_os::linux_node ? linux_values : windows_values;
    for (const auto& entries : std::vector<std::vector<bind_mount_entry>>{{}, {{"Task", true}}, {{"Shared", false}, {"Task", false}}}) {
      const auto context = make_context(context_options::job_task("job", "task1").on(os));
      const container_request request{entries, std::nullopt};
      const auto r = resolve(entries.empty() ? container_request{} : request, *context);
      const detail::env_scope scope(*r);
      // A context's directories take the shortcut (values that start with one of them byte for byte).
      REQUIRE(scope.directories_apart);
      // Each role: a path variable, a path list, another variable.
      for (const auto& value : values)
        for (const char* name : {"AZ_BATCH_X", "PATH", "USER_VALUE"}) check_both_ways(scope, name, value);
    }
  }
}

TEST_CASE("bad environment input is an error naming the variable's index") {
  const auto r = resolved(node_os::linux_node, {{"Task", true}});
  const auto empty = filter_environment(r, {{"A", "1"}, {"", "x"}});
  CHECK(empty.error().code() == error_code::invalid_environment_name);
  CHECK(empty.error().index() == 1);
  CHECK(filter_environment(r, {{"A=B", "x"}}).error().code() == error_code::invalid_environment_name);
  CHECK(filter_environment(r, {{std::string("A\0B", 3), "x"}}).error().code() ==
        error_code::invalid_environment_name);
  const auto nul = filter_environment(r, {{"A", "1"}, {"B", "2"}, {"C", std::string("x\0y", 3)}});
  CHECK(nul.error().code() == error_code::invalid_environment_value);
  CHECK(nul.error().index() == 2);
  // A newline is a legal value: the renderers decide how to carry it.
  CHECK(filter_environment(r, {{"A", "line1\nline2"}}).has_value());
}

TEST_CASE("the standard environment names application packages per OS") {
  const auto lin = make_context(context_options::job_task("j", "t"));
  const auto env = standard_environment(*lin, {{"myApp", std::string_view("1.0-b")}, {"TOOLS", std::nullopt}});
  REQUIRE(env);
  const auto value_of = [&](const std::string& name) -> std::optional<std::string> {
    for (const auto& v : *env)
      if (v.name == name) return v.value;
    return std::nullopt;
  };
  // As a real node shows them: a lower-case and a case-preserved name; the folder is the id
  // in lower case followed by the version.
  CHECK(value_of("AZ_BATCH_APP_PACKAGE_myapp_1_0_b") == "/mnt/batch/tasks/applications/myapp1.0-b");
  CHECK(value_of("AZ_BATCH_APP_PACKAGE_myApp_1_0_b") == "/mnt/batch/tasks/applications/myapp1.0-b");
  CHECK(!value_of("AZ_BATCH_APP_PACKAGE_MYAPP_1_0_B"));
  CHECK(value_of("AZ_BATCH_APP_PACKAGE_TOOLS") == "/mnt/batch/tasks/applications/tools");
  CHECK(value_of("AZ_BATCH_APP_PACKAGE_tools") == "/mnt/batch/tasks/applications/tools");
  std::size_t lower = 0;
  for (const auto& v : *env) lower += v.name == "AZ_BATCH_APP_PACKAGE_myapp_1_0_b" ? 1u : 0u;
  CHECK(lower == 1);

  const auto win = make_context(context_options::job_task("j", "t").on(node_os::windows_node));
  const auto wenv = standard_environment(*win, {{"myApp", std::string_view("1.0")}});
  REQUIRE(wenv);
  CHECK(wenv->back() == env_var{"AZ_BATCH_APP_PACKAGE_myApp#1.0", "D:\\batch\\tasks\\applications\\myapp1.0"});
  for (const auto& v : *wenv) CHECK(v.name != "AZ_BATCH_CERTIFICATES_DIR");  // Linux only

  const auto bad_id = standard_environment(*lin, {{"ok", std::nullopt}, {"../x", std::nullopt}});
  CHECK(bad_id.error().code() == error_code::invalid_application_id);
  CHECK(bad_id.error().index() == 1);
  CHECK(standard_environment(*lin, {{"ok", std::string_view("1/2")}}).error().code() ==
        error_code::invalid_application_version);
}

TEST_CASE("a hand-built resolution whose directories do not extend its root is decided by canonicalization") {
  // Shared's directory does not start with the root as written: no tail can be taken from
  // it, so every value is canonicalized, and still decides by whole components.
  resolution r = resolved(node_os::linux_node, {{"Task", true}});
  r.explanations[static_cast<std::size_t>(data_path::shared)].host_directory = "/mnt/batch/other/shared";
  const detail::env_scope scope(r);
  CHECK_FALSE(scope.tails_match_root);
  decide_both_ways(scope, {"/mnt/batch/other/shared/x", "/mnt/batch/tasks/shared", "/mnt/batch/tasks/workitems/job/job-1/task1"});
  // Outside the root: Shared's directory is not under it, so nothing names it.
  CHECK(decide(r, "AZ_BATCH_X", "/mnt/batch/other/shared/x").reason == env_reason::outside_node_root);
  CHECK(decide(r, "AZ_BATCH_X", "/mnt/batch/tasks/workitems/job/job-1/task1/wd").reason ==
        env_reason::inside_mounted_path);
}


TEST_CASE("hand-built directories that nest decide as canonicalization alone does") {
  struct nesting {
    const char* what;
    node_os os;
    data_path path;        // whose directory is replaced
    const char* directory;
    bool direct;           // whether values may take the shortcut
    std::vector<std::string> values;
    std::optional<data_path> holder;  // of every value, when one data path holds them all
  };
  const std::vector<nesting> cases = {
      // The first in data path order holds what both hold, with the shortcut (byte
      // prefixes in order) as on the others.
      {"Linux: a directory inside another, written after it", node_os::linux_node, data_path::task,
       "/mnt/batch/tasks/shared/inner", true,
       {"/mnt/batch/tasks/shared/inner", "/mnt/batch/tasks/shared/inner/x", "/mnt/batch/tasks/shared/innerx",
        "/mnt/batch/tasks/shared"},
       data_path::shared},
      {"Linux: a tail that starts with a separator", node_os::linux_node, data_path::shared, "/mnt/batch/tasks//shared",
       false, {"/mnt/batch/tasks//shared", "/mnt/batch/tasks//shared/x", "/mnt/batch/tasks/shared"}, std::nullopt},
      // Inside Shared's as NTFS compares ("SHARED" is "shared") but not byte for byte: a
      // byte prefix in order would pick Task; the rule picks Shared.
      {"Windows: a directory inside another under folding only", node_os::windows_node, data_path::task,
       "D:\\batch\\tasks\\SHARED\\inner", false, {"D:\\batch\\tasks\\SHARED\\inner", "D:\\batch\\tasks\\SHARED\\inner\\x"},
       data_path::shared},
      {"Windows: two names of one directory", node_os::windows_node, data_path::task, "D:\\batch\\tasks\\startup", true,
       {"D:\\batch\\tasks\\startup\\wd", "d:\\BATCH\\tasks\\STARTUP"}, data_path::startup},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    resolution r = resolved(c.os, {{"Task", true}});
    r.explanations[static_cast<std::size_t>(c.path)].host_directory = c.directory;
    const detail::env_scope scope(r);
    CHECK(scope.directories_apart == c.direct);
    const auto paths = decide_both_ways(scope, c.values);
    if (c.holder) CHECK(paths == std::vector<std::optional<data_path>>(c.values.size(), c.holder));
  }
}

TEST_CASE("Windows: a name with a character past ASCII in its first eight bytes is compared under folding") {
  const resolution r = resolved(node_os::windows_node, {{"Task", true}});
  // 'é' folds to 'É', not to an ASCII letter: not AZ_BATCH_, so kept unfiltered.
  const auto other = decide(r, "AZ_BATCé_TASK_DIR", "D:\\batch\\tasks\\shared");
  CHECK(other.action == env_action::kept);
  CHECK(other.reason == env_reason::names_unmounted_path);
  // The same name in any ASCII case is Batch's.
  CHECK(decide(r, "az_batch_x", "D:\\batch\\tasks\\shared").action == env_action::removed);
}

// env_scope was public before 1.2: the old name still compiles (deprecated) and is the scope.
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#endif
static_assert(std::is_same<batchmount::env_scope, batchmount::detail::env_scope>::value, "the deprecated name is the scope");
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

TEST_CASE("a copied scope decides as the original, after the original is replaced") {
  const resolution r = resolved(node_os::windows_node, {{"Task", true}});
  std::optional<detail::env_scope> original(std::in_place, r);
  REQUIRE(original->directories_apart);
  const detail::env_scope copy(*original);
  const resolution other = resolved(node_os::linux_node, {{"Task", false}});
  detail::env_scope assigned(other);
  assigned = copy;
  // The copies must not view the original's storage: build another scope in its place.
  const auto elsewhere = make_context(context_options::job_task("job", "task1").on(node_os::windows_node)
      .with_node_root("E:\\elsewhere\\nodes"));
  REQUIRE(elsewhere);
  const std::vector<bind_mount_entry> task_only = {{"Task", true}};
  const auto other_root = resolve(container_request{task_only, std::nullopt}, *elsewhere);
  REQUIRE(other_root);
  original.emplace(*other_root);
  for (const detail::env_scope* scope : {&copy, static_cast<const detail::env_scope*>(&assigned)}) {
    CHECK(scope->directories_apart);
    char storage[128];
    arena into(storage);
    const auto d = detail::decide(*scope, {"AZ_BATCH_X", "d:\\batch\\tasks\\shared\\x"}, 0, into);
    REQUIRE(d);
    CHECK(d->action == env_action::removed);
    CHECK(d->path == data_path::shared);
  }
}

TEST_CASE("a byte looked for is found at every place of every length, eight bytes at a time") {
  // Reference: byte by byte. Texts of every length up to 70 (whole words, the shorter forms
  // and the overlapping last word), the byte at every place, among fillers next to it in
  // value ('<' and '>' beside '=', 0x01 and 0xff beside NUL, 0x80 | '=', 0x80).
  const auto reference = [](std::string_view text) {
    for (const char c : text)
      if (c == '=' || c == '\0') return true;
    return false;
  };
  const std::string fillers = std::string("a<>\x01\xff\xbd\x80", 7);
  std::size_t found = 0, checked = 0;
  for (std::size_t size = 0; size <= 70; ++size)
    for (const char filler : fillers)
      for (std::size_t at = 0; at <= size; ++at)  // at == size: no byte looked for
        for (const char c : {'=', '\0', '1'}) {
          std::string text(size, filler);
          for (std::size_t i = 0; i < size; ++i) text[i] = fillers[(i + static_cast<unsigned char>(filler)) % fillers.size()];
          if (at < size) text[at] = c;
          const exact_text exact(text);
          const std::string_view view = exact.view();
          const bool expected = reference(view);
          INFO("size " << size << ", byte " << int(c) << " at " << at);
          CHECK(detail::swar::holds_any<'=', '\0'>(view) == expected);
          CHECK(detail::swar::holds_any<'\0'>(view) == (view.find('\0') != std::string_view::npos));
          found += expected;
          ++checked;
        }
  CHECK(found > checked / 2);
  CHECK(found < checked);
}

TEST_CASE("Windows: copies with '\\' for '/' agree with a byte-by-byte map, at every length") {
  for (const std::string alphabet : {"a/\\Zz.:{`@[", "a/\\Zz.:{`@[\xff\xc3\xa9"})
    for (std::size_t size = 0; size <= 70; ++size)
      for (std::size_t shift = 0; shift < alphabet.size(); ++shift) {
        std::string text(size, ' ');
        for (std::size_t i = 0; i < size; ++i) text[i] = alphabet[(i * 7 + shift) % alphabet.size()];
        std::string slashed = text;
        for (char& c : slashed) c = c == '/' ? '\\' : c;
        INFO("size " << size << ": " << text);
        // From and into storage of exactly its size, and in place.
        const exact_text in(text), out(text);
        detail::swar::copy_backslashed(out.data(), in.data(), size);
        CHECK(out.view() == slashed);
        std::memcpy(out.data(), text.data(), size);
        detail::swar::copy_backslashed(out.data(), out.data(), size);
        CHECK(out.view() == slashed);
      }
}

TEST_CASE("a name with '=' or NUL, or a value with NUL, anywhere in it is refused") {
  const auto r = resolved(node_os::linux_node, {{"Task", true}});
  for (std::size_t size = 1; size <= 40; ++size)
    for (std::size_t at = 0; at < size; ++at) {
      INFO("size " << size << ", at " << at);
      std::string name(size, 'N'), value(size, 'v');
      name[at] = '=';
      CHECK(filter_environment(r, {{"A", "1"}, {name, "x"}}).error().code() == error_code::invalid_environment_name);
      name[at] = '\0';
      const auto nul_name = filter_environment(r, {{name, "x"}});
      CHECK(nul_name.error().code() == error_code::invalid_environment_name);
      value[at] = '\0';
      const auto nul_value = filter_environment(r, {{"A", "1"}, {"B", value}});
      CHECK(nul_value.error().code() == error_code::invalid_environment_value);
      CHECK(nul_value.error().index() == 1);
      value[at] = '=';  // '=' in a value is legal
      CHECK(filter_environment(r, {{"B", value}}).has_value());
    }
}

TEST_CASE("Linux: a word is found at every place, as string_view::find finds it") {
  check_mentions(detail::os_constant<node_os::linux_node>{}, {"tasks", "t", "ta", "tt", "TASKS", "s/t", "tasks/x"},
                 {"", "x", "t", "ta", "tat", "https://contoso.blob.core.windows.net/", "/usr/bin:/bin"},
                 {"tasks", "task", "tas", "ta", "t", "TASKS", "ttasks", "tasks/x", "s/t"},
                 [](std::string_view text, std::string_view word) { return text.find(word) != std::string_view::npos; });
}

TEST_CASE("Windows: a word is found at every place, eight places at a time as one by one") {
  // Reference: the word starts under folding at some place of the text.
  // ('ts' meets 'tſ': a second byte past ASCII that folds to the word's.)
  check_mentions(detail::os_constant<node_os::windows_node>{}, {"tasks", "TASKS", "t", "ta", "ts", "ſx", "ıtems", "nodes"},
                 {"", "x", "ab:\\", "C:\\Windows;", "https://contoso.blob.core.windows.net/", "â", "ı"},
                 {"tasks", "TaSkS", "taſks", "TASK", "tas", "t", "ta", "tſ", "ıtems", "ITEMS", "nodes", "NODEſ"},
                 [](std::string_view text, std::string_view word) {
                   for (std::size_t i = 0; i < text.size(); ++i)
                     if (detail::fold_prefix(text.substr(i), word, false) != std::string_view::npos) return true;
                   return false;
                 });
}

TEST_CASE("Windows: a short hand-built root and tail are compared under folding") {
  // Root and tails shorter than a word: compared byte by byte under folding, decided alike.
  resolution_view r;
  r.os = node_os::windows_node;
  r.node_root = "D:\\r";
  r.host_directories[static_cast<std::size_t>(data_path::shared)] = "D:\\r\\s";
  const detail::env_scope scope(r);
  CHECK(scope.directories_apart);
  CHECK(scope.directory_tails[static_cast<std::size_t>(data_path::shared)] == "s");
  const auto paths = decide_both_ways(scope, {"d:/r/s/x", "D:\\r\\s", "d:\\R", "d:\\r\\t", "e:\\r\\s"});
  CHECK(paths[0] == data_path::shared);
  CHECK(paths[1] == data_path::shared);
  CHECK(paths[3] == std::nullopt);
}

TEST_CASE("Windows spellings that name a data path without the host root's drive are decided as that path") {
  // Decision 31. Shared is not mounted, Task is; the node root is D:\batch\tasks.
  const auto r = resolved(node_os::windows_node, {{"Task", false}});
  const detail::env_scope scope(r);
  struct spelling {
    const char* value;
    std::optional<data_path> names;  // the data path it names, written from the rule
  };
  const spelling spellings[] = {
      {"\"D:\\batch\\tasks\\shared\\bin\"", data_path::shared},      // quoted, as cmd.exe reads it
      {"D:\\\"batch\"\\tasks\\shared", data_path::shared},           // quotes inside
      {"\\batch\\tasks\\shared", data_path::shared},                 // rooted, no drive: C: in the container
      {"/batch/tasks/shared/x", data_path::shared},
      {"\\\\?\\UNC\\localhost\\D$\\batch\\tasks\\shared", data_path::shared},
      {"\\\\localhost\\d$\\batch\\tasks\\shared\\x", data_path::shared},
      {"//127.0.0.1/D$/batch/tasks/shared", data_path::shared},
      {"\\\\node-7\\D$\\batch\\tasks\\shared", data_path::shared},  // any server: its own name is not known
      {"C:\\batch\\tasks\\shared", data_path::shared},              // Shared's container path
      {"c:/BATCH/tasks/shared/in", data_path::shared},
      {"\\batch\\tasks\\workitems\\job\\job-1\\task1\\wd", data_path::task},
      {"\"C:\\batch\\tasks\\workitems\\job\\job-1\\task1\"", data_path::task},
      {"\\\\localhost\\E$\\batch\\tasks\\shared", std::nullopt},    // another drive
      {"\\\\localhost\\share\\batch\\tasks\\shared", std::nullopt},  // not a drive's share
      {"\\\\localhost\\D$x\\batch\\tasks\\shared", std::nullopt},
      {"C:\\Windows\\System32", std::nullopt},
      {"\"C:\\Program Files\\x\"", std::nullopt},
  };
  for (const auto& s : spellings) {
    INFO(s.value);
    CHECK(check_both_ways(scope, "AZ_BATCH_X", s.value) == s.names);
    const auto d = decide(r, "AZ_BATCH_X", s.value);
    if (s.names == data_path::shared) {
      CHECK(d.action == env_action::removed);
      CHECK(d.reason == env_reason::inside_unmounted_path);
      // A user variable keeps its value and is warned about.
      const auto user = decide(r, "MY_DIR", s.value);
      CHECK(user.action == env_action::kept);
      CHECK(user.reason == env_reason::names_unmounted_path);
      CHECK(user.path == data_path::shared);
    } else if (s.names == data_path::task) {
      // Mounted: the container value is the plain container path.
      CHECK(d.action == env_action::rewritten);
      CHECK(d.container_value.rfind("C:\\batch\\tasks\\workitems\\job\\job-1\\task1", 0) == 0);
    } else {
      CHECK(d.action == env_action::kept);
      CHECK(d.container_value == s.value);
    }
  }
  // Found by fuzz_environment: quotes inside the root's last component ("task""s") join it
  // only once dropped; a user variable naming Shared so is still warned about.
  const auto joined = decide(r, "MY_DIR", "C:\\x;D:\\batch\\task\"\"s\\shared");
  CHECK(joined.reason == env_reason::names_unmounted_path);
  CHECK(joined.path == data_path::shared);
  CHECK(decide(r, "AZ_BATCH_X", "D:\\batch\\ta\"sk\"s\\shared").action == env_action::removed);
  check_both_ways(scope, "MY_DIR", "C:\\x;D:\\batch\\task\"\"s\\shared");
  // A Path whose quoted entry names unmounted Shared loses that entry, with and without the shortcuts.
  const std::string path = "C:\\Windows;\"D:\\batch\\tasks\\shared\\bin\";\\batch\\tasks\\shared;C:\\tools";
  check_both_ways(scope, "Path", path);
  const auto p = decide(r, "Path", path);
  CHECK(p.action == env_action::rewritten);
  CHECK(p.container_value == "C:\\Windows;C:\\tools");
  CHECK(p.path == data_path::shared);
  // The same request on a node rooted on C: reads C: paths as host paths, as before.
  const auto on_c = make_context(context_options::job_task("job", "task1").on(node_os::windows_node)
      .with_node_root(std::string_view("C:\\batch\\tasks")));
  REQUIRE(on_c);
  static constexpr bind_mount_entry task_only[] = {{"Task", false}};
  const auto rc = resolve(container_request{task_only, std::nullopt}, *on_c);
  REQUIRE(rc);
  CHECK(decide(*rc, "AZ_BATCH_X", "\\batch\\tasks\\shared").action == env_action::removed);
  CHECK(decide(*rc, "AZ_BATCH_X", "C:\\batch\\tasks\\shared").action == env_action::removed);
  CHECK(decide(*rc, "AZ_BATCH_X", "D:\\batch\\tasks\\shared").action == env_action::kept);
}

TEST_CASE("filter_environment's deferred instantiation is harmless: its address is taken by the target type") {
  using owning = result<container_environment> (*)(const resolution&, const std::vector<env_var>&, env_rule);
  using views = result<std::size_t> (*)(const resolution_view&, const env_var_view*, std::size_t, env_decision_view*,
                                        std::size_t, arena&, env_rule) noexcept;
  const owning by_copy = &filter_environment;
  const views in_place = &filter_environment;
  const auto r = resolved(node_os::linux_node, {{"Task", false}});
  const auto env = by_copy(r, {{"AZ_BATCH_NODE_SHARED_DIR", "/mnt/batch/tasks/shared"}}, env_rule::isolation_invariant);
  REQUIRE(env);
  CHECK(env->decisions[0].action == env_action::removed);
  CHECK(in_place != nullptr);
}
