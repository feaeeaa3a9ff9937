#include "batchmount/context.hpp"

#include <algorithm>
#include <optional>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include "catch.hpp"
#include "exact_text.hpp"

using namespace batchmount;

namespace {
result<node_context> linux_root(std::string_view root) {
  return make_context(context_options::job_task("job", "task").with_node_root(root));
}
result<node_context> windows_root(std::string_view root) {
  return make_context(context_options::job_task("job", "task").on(node_os::windows_node).with_node_root(root));
}
}  // namespace

TEST_CASE("ids at run time: every byte at every place of every length") {
  const auto allowed = [](unsigned char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' || c == '_';
  };
  std::size_t valid = 0;
  for (std::size_t length = 1; length <= 20; ++length)
    for (std::size_t at = 0; at < length; ++at)
      for (int byte = 0; byte < 256; ++byte) {
        std::string id(length, 'Z');
        id[at] = static_cast<char>(byte);
        const std::string_view view = id;  // a runtime view: checked eight bytes at a time
        if (is_valid_id(view) != allowed(static_cast<unsigned char>(byte)))
          FAIL_CHECK("is_valid_id wrong for byte " << byte << " at " << at << " of " << length);
        valid += allowed(static_cast<unsigned char>(byte));
      }
  CHECK(valid == 64 * 210);  // 64 allowed bytes, 210 places
  std::string longest(64, '9');
  CHECK(is_valid_id(longest));
  CHECK_FALSE(is_valid_id(longest + "9"));
}

TEST_CASE("ids are 1 to 64 letters, digits, hyphens or underscores") {
  STATIC_REQUIRE(is_valid_id("myJob"));
  STATIC_REQUIRE(is_valid_id("a-b_C9"));
  STATIC_REQUIRE(is_valid_id("x"));
  STATIC_REQUIRE_FALSE(is_valid_id(""));
  STATIC_REQUIRE_FALSE(is_valid_id("."));
  STATIC_REQUIRE_FALSE(is_valid_id(".."));
  STATIC_REQUIRE_FALSE(is_valid_id("a/b"));
  STATIC_REQUIRE_FALSE(is_valid_id("a\\b"));
  STATIC_REQUIRE_FALSE(is_valid_id("c:"));
  STATIC_REQUIRE_FALSE(is_valid_id("a b"));
  STATIC_REQUIRE_FALSE(is_valid_id(std::string_view("a\0b", 3)));
  STATIC_REQUIRE_FALSE(is_valid_id("t\xc3\xa4sk"));  // non-ASCII
  CHECK(is_valid_id(std::string(64, 'a')));
  CHECK_FALSE(is_valid_id(std::string(65, 'a')));
}

TEST_CASE("every id is checked before any path is built") {
  const auto make = [](std::string_view job, std::optional<std::string_view> schedule,
                       std::string_view task, std::string_view prep) {
    return make_context(context_options::job_task(job, task).with_job_schedule_id(schedule)
        .with_job_prep_task_id(prep));
  };
  CHECK(make("job", std::nullopt, "task", "jobpreparation").has_value());
  CHECK(make("..", std::nullopt, "task", "p").error().code() == error_code::invalid_job_id);
  CHECK(make("job", std::string_view("a/b"), "task", "p").error().code() ==
        error_code::invalid_job_schedule_id);
  CHECK(make("job", std::nullopt, std::string(65, 't'), "p").error().code() ==
        error_code::invalid_task_id);
  CHECK(make("job", std::nullopt, "task", "..\\x").error().code() ==
        error_code::invalid_job_prep_task_id);
  const auto same = make("job", std::nullopt, "JobPreparation", "jobpreparation");
  CHECK(same.error().code() == error_code::task_id_is_job_prep_task_id);
  CHECK(same.error().value() == "JobPreparation");
  const auto bad = make("job", std::nullopt, std::string_view("t\0", 2), "p");
  CHECK(bad.error().message().find("task id is 1 to 64") != std::string::npos);
  CHECK(bad.error().message().find("t\\x00") != std::string::npos);
}

TEST_CASE("an OS outside the enumeration is rejected before anything else") {
  const auto bad = make_context(context_options::job_task("j", "t").on(static_cast<node_os>(2)));
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code() == error_code::invalid_os);
  CHECK(bad.error().message().find("linux or windows") != std::string::npos);
}

TEST_CASE("the node root defaults per OS and is canonicalized") {
  CHECK(make_context(context_options::job_task("j", "t"))->node_root() ==
        "/mnt/batch/tasks");
  CHECK(make_context(context_options::job_task("j", "t").on(node_os::windows_node))->node_root() ==
        "D:\\batch\\tasks");
  CHECK(linux_root("//mnt///resource/batch/tasks/")->node_root() == "/mnt/resource/batch/tasks");
  CHECK(linux_root("/opt/./batch/data")->node_root() == "/opt/batch/data");
  CHECK(windows_root("d:/batch//tasks\\")->node_root() == "D:\\batch\\tasks");
  CHECK(windows_root("C:\\batch\\data")->node_root() == "C:\\batch\\data");
  // Win32 drops a component's trailing dots and spaces, so "tasks." is "tasks".
  CHECK(windows_root("D:\\batch\\tasks. ")->node_root() == "D:\\batch\\tasks");
}

TEST_CASE("relative roots, '..' and odd prefixes are rejected with the rule named") {
  CHECK(linux_root("mnt/batch").error().code() == error_code::relative_node_root);
  CHECK(linux_root("").error().code() == error_code::relative_node_root);
  CHECK(linux_root("/mnt/../etc").error().code() == error_code::node_root_parent_reference);
  CHECK(linux_root("/mnt/batch\n").error().code() == error_code::invalid_node_root);
  CHECK(linux_root(std::string_view("/mnt\0/x", 7)).error().code() == error_code::invalid_node_root);
  CHECK(linux_root("D:\\batch").error().code() == error_code::relative_node_root);
  CHECK(windows_root("/mnt/batch").error().code() == error_code::relative_node_root);  // no drive
  CHECK(windows_root("\\\\server\\share").error().code() == error_code::invalid_node_root);
  CHECK(windows_root("\\\\?\\D:\\batch").error().code() == error_code::invalid_node_root);
  CHECK(windows_root("batch\\tasks").error().code() == error_code::relative_node_root);
  CHECK(windows_root("D:").error().code() == error_code::relative_node_root);
  CHECK(windows_root("D:batch").error().code() == error_code::relative_node_root);
  CHECK(windows_root("D:\\batch\\..\\x").error().code() == error_code::node_root_parent_reference);
  CHECK(windows_root("D:\\bat:ch").error().code() == error_code::invalid_node_root);
  CHECK(windows_root("D:\\a\\...").error().code() == error_code::invalid_node_root);
  const auto e = windows_root("D:\\a\\..\\b").error();
  CHECK(e.message().find("'..'") != std::string::npos);
  CHECK(e.value() == "D:\\a\\..\\b");
}

TEST_CASE("directories are built from the table, the ids and the job directory") {
  const auto plain = make_context(context_options::job_task("myJob", "myTask1"));
  REQUIRE(plain);
  CHECK(plain->job_directory() == "myJob/job-1");
  CHECK(plain->host_directory(data_path::task) == "/mnt/batch/tasks/workitems/myJob/job-1/myTask1");
  CHECK(plain->host_working_directory(data_path::task) ==
        "/mnt/batch/tasks/workitems/myJob/job-1/myTask1/wd");
  CHECK(plain->host_directory(data_path::job_prep) ==
        "/mnt/batch/tasks/workitems/myJob/job-1/jobpreparation");
  CHECK(plain->host_working_directory(data_path::shared).empty());
  CHECK(plain->job_prep_task_id() == "jobpreparation");

  const auto scheduled = make_context(context_options::job_task("job7", "t").on(node_os::windows_node)
      .with_node_root(std::string_view("E:/b")).with_job_schedule_id(std::string_view("nightly"))
      .with_job_prep_task_id("prep"));
  REQUIRE(scheduled);
  CHECK(scheduled->job_directory() == "nightly/job7");
  CHECK(scheduled->host_directory(data_path::job_prep) == "E:\\b\\workitems\\nightly\\job7\\prep");
  CHECK(scheduled->host_working_directory(data_path::startup) == "E:\\b\\startup\\wd");
  CHECK(scheduled->job_schedule_id() == std::optional<std::string>("nightly"));
}

TEST_CASE("a root already in canonical shape is still refused for what the policy refuses") {
  // Long enough for the word-at-a-time check, short ones too.
  CHECK(linux_root("/mnt/batch/tas\x7fks").error().code() == error_code::invalid_node_root);
  CHECK(linux_root("/mnt/ba\x01tch/tasks/more").error().code() == error_code::invalid_node_root);
  CHECK(linux_root("/a\x1f").error().code() == error_code::invalid_node_root);
  for (const char* bad : {"D:\\batch<tasks\\x", "D:\\batch\\ta|sks", "D:\\b>", "D:\\batch\\tasks\\wh?t", "D:\\batch\\*",
                          "D:\\batch\\\"q\"", "D:\\batch\\ta\x01sks"}) {
    INFO(bad);
    CHECK(windows_root(bad).error().code() == error_code::invalid_node_root);
  }
  // A '/' or a lower-case drive is not canonical on Windows: rewritten, not refused.
  CHECK(windows_root("D:\\batch\\tasks/x")->node_root() == "D:\\batch\\tasks\\x");
  CHECK(windows_root("d:\\batch\\tasks")->node_root() == "D:\\batch\\tasks");
}

TEST_CASE("the copy of canonical text and the canonicalizing loop agree") {
  using detail::parent_references;
  const std::vector<std::string> texts = {
      "/", "/mnt/batch/tasks", "/mnt//batch", "/mnt/batch/", "/mnt/./b", "/mnt/../b", "/mnt/batch\n/tasks",
      std::string("/mnt/b\0t/tasks", 14), "/mnt/bat\x7f/tasks", "D:\\", "D:\\batch\\tasks", "d:\\batch", "D:/batch/tasks",
      "D:\\batch\\tasks.", "D:\\batch \\tasks", "D:\\ba:tch\\tasks", "D:\\batch<x\\tasks", "\\\\?\\D:\\batch",
      "D:\\batch\\tasks\\workitems\\job\\job-1\\task1", "/mnt/batch/tasks/workitems/job/job-1/task1/wd"};
  for (const node_os os : {node_os::linux_node, node_os::windows_node})
    for (const auto policy : {parent_references::reject, parent_references::resolve})
      for (const auto& text : texts) {
        std::string fast(text.size() + 1, '\0'), slow(text.size() + 1, '\0');
        const auto a = detail::canonicalize_into(text, os, policy, &fast[0], true);
        const auto b = detail::canonicalize_into(text, os, policy, &slow[0], false);
        INFO(text);
        REQUIRE(a.has_value() == b.has_value());
        if (a) CHECK(fast.substr(0, *a) == slow.substr(0, *b));
        else CHECK(a.error() == b.error());
      }
}

TEST_CASE("clean components: the eight-bytes-at-a-time check and a component-by-component reading agree") {
  // Reference: split at separators; every component non-empty, not "." or "..", and on
  // Windows without ':' and not ending in '.' or ' '.
  const auto reference = [](std::string_view text, node_os os) {
    const bool windows = os == node_os::windows_node;
    std::size_t begin = 0;
    for (std::size_t i = 0; i <= text.size(); ++i) {
      if (i < text.size() && !(text[i] == '/' || (windows && text[i] == '\\'))) continue;
      const std::string_view c = text.substr(begin, i - begin);
      if (c.empty() || c == "." || c == "..") return false;
      if (windows && (c.find(':') != std::string_view::npos || c.back() == '.' || c.back() == ' ')) return false;
      begin = i + 1;
    }
    return true;
  };
  // Every text of 8 bytes over a small alphabet (eight bytes at a time needs 8 or more), and texts
  // of 9 to 24 bytes drawn at random (words overlap there), each also behind a prefix the
  // check starts after.
  const std::string alphabet = "a./\\: ";
  std::size_t clean = 0, total = 0;
  const auto check = [&](const std::string& text, node_os os) {
    const bool expected = reference(text, os);
    const std::string behind = "/x/" + text;
    if (detail::clean_components(text, 0, os) != expected || detail::clean_components(behind, 3, os) != expected)
      FAIL_CHECK("clean_components disagrees on \"" << text << "\" (" << (os == node_os::windows_node ? "Windows" : "Linux") << ")");
    clean += expected;
    ++total;
  };
  std::mt19937 random(12345);
  for (const node_os os : {node_os::linux_node, node_os::windows_node}) {
    std::string text(8, 'a');
    for (std::size_t n = 0; n < 1679616; ++n) {  // 6^8
      for (std::size_t k = 0, rest = n; k < 8; ++k, rest /= alphabet.size()) text[k] = alphabet[rest % alphabet.size()];
      check(text, os);
    }
    for (std::size_t n = 0; n < 200000; ++n) {
      std::string longer(9 + random() % 16, 'a');
      // Mostly letters, so that clean texts of every length occur.
      for (char& c : longer) c = random() % 3 ? 'a' : alphabet[random() % alphabet.size()];
      check(longer, os);
    }
  }
  CHECK(clean > 1000);
  CHECK(clean < total);
}

namespace {
// Whether two contexts hold the same placement, field by field, by content.
void check_same_context(const context_view& a, const context_view& b) {
  CHECK(a.os == b.os);
  CHECK(a.kind == b.kind);
  CHECK(a.subtask == b.subtask);
  CHECK(a.job_has_job_prep_task == b.job_has_job_prep_task);
  CHECK(a.node_root == b.node_root);
  CHECK(a.container_node_root == b.container_node_root);
  CHECK(a.job_id == b.job_id);
  CHECK(a.task_id == b.task_id);
  CHECK(a.job_prep_task_id == b.job_prep_task_id);
  CHECK(a.job_release_task_id == b.job_release_task_id);
  CHECK(a.job_schedule_id == b.job_schedule_id);
  CHECK(a.host_task_directory == b.host_task_directory);
  CHECK(a.host_directories == b.host_directories);
  CHECK(a.container_directories == b.container_directories);
  CHECK(a.host_working_directories == b.host_working_directories);
  CHECK(a.container_working_directories == b.container_working_directories);
}

// Retargets `base` to `id` and checks the result is what make_context builds from `options`
// with that id, or fails alike; returns the retargeted context when both succeed.
std::optional<context_view> check_retarget(const context_view& base, context_options options, std::string_view id,
                                           arena& into, arena& expected_into) {
  options.task_id = id;
  const auto expected = make_context(options, expected_into);
  const auto retargeted = retarget(base, id, into);
  REQUIRE(retargeted.has_value() == expected.has_value());
  if (!expected) {
    CHECK(retargeted.error() == expected.error());
    return std::nullopt;
  }
  check_same_context(*retargeted, *expected);
  return *retargeted;
}
}  // namespace

TEST_CASE("depth counts the components for_each_component visits; separators counted by blocks as one by one") {
  // Reference: the components visited, one by one.
  const auto visited = [](std::string_view text, node_os os) {
    std::size_t n = 0;
    detail::for_each_component(text, os, [&n](std::string_view) { ++n; });
    return n;
  };
  const std::string alphabet = "a/\\:./";
  std::size_t deep = 0;
  for (std::size_t size = 0; size <= 70; ++size)
    for (std::size_t shift = 0; shift < 3 * alphabet.size(); ++shift) {
      std::string text(size, 'x');
      for (std::size_t i = 0; i < size; ++i) text[i] = alphabet[(i * i + shift * (i + 1)) % alphabet.size()];
      const exact_text exact(text);
      const std::string_view view = exact.view();
      INFO("size " << size << ": " << text);
      for (const char c : {'/', '\\', 'a', 'x'})
        CHECK(detail::swar::count(view, c) == static_cast<std::size_t>(std::count(text.begin(), text.end(), c)));
      for (const node_os os : {node_os::linux_node, node_os::windows_node}) {
        CHECK(detail::depth(view, os) == visited(view, os));
        deep += visited(view, os) > 2;
      }
    }
  CHECK(deep > 1000);
  static_assert(detail::depth("/mnt/batch/tasks/shared", node_os::linux_node) == 4, "constexpr, by bytes");
  static_assert(detail::depth("D:\\batch\\tasks", node_os::windows_node) == 2, "constexpr, by bytes");
}

TEST_CASE("retarget: another task of the job is what make_context builds for it") {
  const std::vector<std::string> ids = {"task2", "T-9_x", "task1", "jobpreparation", "JobPreparation", "JOBRELEASE",
                                        "", "a/b", "..", std::string(65, 'a'), std::string(64, 'a')};
  for (const node_os os : {node_os::linux_node, node_os::windows_node})
    for (const task_kind kind : {task_kind::task, task_kind::job_manager, task_kind::multi_instance_primary,
                                 task_kind::multi_instance_subtask})
      for (const bool schedule : {false, true}) {
        context_options options = context_options::job_task("job", "task1").on(os);
        options.kind = kind;
        options.subtask = kind == task_kind::multi_instance_subtask ? 3 : 0;
        if (schedule) options.job_schedule_id = "nightly";
        char base_storage[2048];
        arena base_arena(base_storage);
        const auto base = make_context(options, base_arena);
        REQUIRE(base);
        for (const auto& id : ids) {
          INFO(to_string(os) << " " << row(kind).name << " schedule " << schedule << " id '" << id << "'");
          char expected_storage[2048], storage[2048];
          arena expected_arena(expected_storage), into(storage);
          const auto retargeted = check_retarget(*base, options, id, into, expected_arena);
          if (!retargeted) continue;
          // Only the id and the task's directories were written: the node's are base's.
          CHECK(retargeted->host_directory(data_path::shared).data() == base->host_directory(data_path::shared).data());
          CHECK(retargeted->host_directory(data_path::job_prep).data() == base->host_directory(data_path::job_prep).data());
          CHECK(into.used() < expected_arena.used() / 2);
          // And again from the retargeted context.
          char again_storage[2048];
          arena again_arena(again_storage), expected_again_arena(expected_storage);
          CHECK(check_retarget(*retargeted, options, "task3", again_arena, expected_again_arena));
        }
      }
}

TEST_CASE("retarget: kinds whose directories do not name the task id") {
  // Built again whole, as make_context builds them from the context's options with the id:
  // a start task has no job (so no task id); a job preparation (release) task's id is the
  // job's preparation (release) task id, which a context left at the default takes from it.
  for (const node_os os : {node_os::linux_node, node_os::windows_node})
    for (const task_kind kind : {task_kind::start, task_kind::job_preparation, task_kind::job_release}) {
      const bool start = kind == task_kind::start;
      context_options options = context_options::job_task(start ? "" : "job", "").on(os);
      options.kind = kind;
      char base_storage[2048];
      arena base_arena(base_storage);
      const auto base = make_context(options, base_arena);
      REQUIRE(base);
      for (const std::string& id : {std::string(""), std::string("task2"), std::string(base->task_id), std::string("a/b")}) {
        INFO(to_string(os) << " " << row(kind).name << " id '" << id << "'");
        char expected_storage[2048], storage[2048];
        arena expected_arena(expected_storage), into(storage);
        check_retarget(*base, options, id, into, expected_arena);
      }
      if (start) {
        char storage[2048];
        arena into(storage);
        CHECK(retarget(*base, "task2", into).error().code() == error_code::start_task_has_no_job);
      }
    }
  // A job preparation task whose id the job set: another id is not that task's.
  context_options prep = context_options::job_task("job", "");
  prep.kind = task_kind::job_preparation;
  prep.job_prep_task_id = "prep";
  char base_storage[2048], storage[2048];
  arena base_arena(base_storage), into(storage);
  const auto base = make_context(prep, base_arena);
  REQUIRE(base);
  CHECK(retarget(*base, "task2", into).error().code() == error_code::task_id_is_not_kind_id);
}

TEST_CASE("retarget: too little room is buffer_too_small") {
  char base_storage[2048];
  arena base_arena(base_storage);
  const auto base = make_context(context_options::job_task("job", "task1").on(node_os::windows_node), base_arena);
  REQUIRE(base);
  for (std::size_t room = 0; room < 200; room += 7) {
    char storage[200];
    arena into(storage, room);
    const auto r = retarget(*base, "task2", into);
    INFO(room);
    if (!r) CHECK(r.error().code() == error_code::buffer_too_small);
    else CHECK(r->host_directory(data_path::task) == "D:\\batch\\tasks\\workitems\\job\\job-1\\task2");
  }
}

TEST_CASE("retarget: the owning form builds what the allocation-free one does") {
  const auto base = make_context(context_options::job_task("job", "task1").on(node_os::windows_node)
      .with_node_root("E:\\nodes").with_job_schedule_id(std::string_view("nightly")));
  REQUIRE(base);
  for (const std::string_view id : {"task2", "JobPreparation", "a/b"}) {
    INFO(id);
    char storage[2048];
    arena into(storage);
    const auto view = retarget(base->view(), id, into);
    const auto owned = retarget(*base, id);
    REQUIRE(owned.has_value() == view.has_value());
    if (view) {
      check_same_context(owned->view(), *view);
      CHECK(owned->host_task_directory() == "E:\\nodes\\workitems\\nightly\\job\\" + std::string(id));
    } else {
      CHECK(owned.error() == view.error());
    }
  }
}

TEST_CASE("context options are built by name: a factory per kind, chained setters, never by position") {
  // Not an aggregate: `context_options{os, root, "job", ...}` does not compile, so a new field
  // can never shift another.
  STATIC_REQUIRE_FALSE(std::is_aggregate_v<context_options>);
  constexpr auto task = context_options::job_task("job", "task1", task_kind::job_manager);
  STATIC_REQUIRE(task.job_id == "job");
  STATIC_REQUIRE(task.task_id == "task1");
  STATIC_REQUIRE(task.kind == task_kind::job_manager);
  STATIC_REQUIRE(task.os == node_os::linux_node);
  STATIC_REQUIRE(context_options::multi_instance_subtask("job", "t", 3).subtask == 3);
  STATIC_REQUIRE(context_options::job_preparation("job").kind == task_kind::job_preparation);
  STATIC_REQUIRE(context_options::job_preparation("job", "prep").job_prep_task_id == "prep");
  STATIC_REQUIRE(context_options::job_release("job", "rel").job_release_task_id == "rel");
  STATIC_REQUIRE(context_options::start_task().kind == task_kind::start);
  STATIC_REQUIRE(context_options::start_task().job_id.empty());
  // Each setter sets its own field and nothing else.
  auto o = context_options::job_task("job", "task1");
  o.on(node_os::windows_node)
      .with_node_root("E:\\nodes")
      .with_job_schedule_id("nightly")
      .with_job_prep_task_id("prep")
      .with_job_release_task_id("rel")
      .with_job_prep_task(true);
  CHECK(o.os == node_os::windows_node);
  CHECK(o.node_root == std::optional<std::string_view>("E:\\nodes"));
  CHECK(o.job_schedule_id == std::optional<std::string_view>("nightly"));
  CHECK(o.job_prep_task_id == "prep");
  CHECK(o.job_release_task_id == "rel");
  CHECK(o.job_has_job_prep_task == std::optional<bool>(true));
  CHECK(o.job_id == "job");
  CHECK(o.task_id == "task1");
  const auto context = make_context(o);
  REQUIRE(context);
  CHECK(context->host_directory(data_path::task) == "E:\\nodes\\workitems\\nightly\\job\\task1");
  // Every factory gives a context make_context accepts, of its kind.
  for (const auto& made : {context_options::job_task("job", "task1"), context_options::multi_instance_subtask("job", "t", 2),
                           context_options::job_preparation("job"), context_options::job_release("job"),
                           context_options::start_task()}) {
    const auto c = make_context(made);
    CAPTURE(to_string(made.kind));
    REQUIRE(c);
    CHECK(c->kind() == made.kind);
  }
}
