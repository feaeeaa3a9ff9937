// verify: a container against its resolution. Every class of violation, exactly; what is out
// of scope; and the invariant that a container built from batchmount's own resolution
// verifies clean, for every kind of task and request shape on both OSes.
#include <algorithm>
#include <cstddef>
#include <optional>
#include <random>
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
          INFO(to_string(kind) << " " << to_string(os) << " subset " << subset);
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
  root.mounts.push_back({std::nullopt, "/mnt/batch/tasks", "/node", false, false});
  auto v = flagged(root);
  REQUIRE(classes(v) == std::vector<violation_class>{violation_class::exposes_unselected});
  CHECK(!v.violations[0].path);
  CHECK(v.violations[0].text() == "mount /mnt/batch/tasks -> /node exposes the node root or a directory under it, which the task did not select");

  auto other = good;  // another task's directory, and an unselected data path
  other.mounts.push_back({std::nullopt, "/mnt/batch/tasks/workitems/job/job-1/task2", "/t2", true, true});
  other.mounts.push_back({std::nullopt, "/mnt/batch/tasks/startup/wd", "/s", true, true});
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
  // In the resolution's mount order: VfsMounts, then Shared.
  CHECK(v.violations[0].path == data_path::vfs_mounts);
  CHECK(v.violations[0].text() == "VfsMounts (/mnt/batch/tasks/fsmounts) is not mounted");
  CHECK(v.violations[1].observed == "/elsewhere");
  CHECK(v.violations[1].text() == "Shared (/mnt/batch/tasks/shared) is not mounted at its container path; it is at /elsewhere");
  CHECK(v.also_mounted.size() == 1);

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
  c.mounts.push_back({std::nullopt, "/etc/ssl/certs", "/etc/ssl/certs", true, false});
  c.mounts.push_back({std::nullopt, "myvolume", "/data", false, false});
  c.mounts.push_back({std::nullopt, "/mnt/batch/tasks/workitems/job/job-1/task1/wd/sub", "/sub", false, false});  // inside Task
  const auto v = verify(f.r, f.env, c);
  CHECK(v.conforms());
  REQUIRE(v.outside_scope.size() == 2);
  CHECK(v.outside_scope[1].host_path == "myvolume");

  const auto whole = make(node_os::linux_node, {}, std::nullopt, true);
  auto w = expected_container(whole.r, whole.env);
  REQUIRE(w.mounts.size() == 1);
  w.mounts.push_back({std::nullopt, "/mnt/batch/tasks/shared", "/shared", false, false});
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
  const auto view = resolve(*make_plan({entries, std::nullopt}), *context).value();
  const env_var_view expected[] = {{"AZ_BATCH_TASK_ID", "task1"}};
  const mount_view mounts[] = {{std::nullopt, "/mnt/batch/tasks", "/all", false, false},
                                    {std::nullopt, "/mnt/batch/tasks/workitems/job/job-1/task1", "/mnt/batch/tasks/workitems/job/job-1/task1", true, false}};
  const env_var_view env[] = {{"AZ_BATCH_TASK_ID", "task2"}, {"X", "/mnt/batch/tasks/shared"}};
  const container_view container{mounts, 2, env, 2, std::string_view("/")};
  violation_view found[2];
  mount_view outside[1];
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
  // Room for the mounts (none) but not for a long value's canonical copy: the environment
  // step runs out, and verify says so rather than judging the value unseen.
  const std::string long_value = "/mnt/batch/tasks/shared/" + std::string(200, 'x');
  const env_var_view long_env[] = {{"X", long_value}};
  const container_view no_mounts{nullptr, 0, long_env, 1, std::string_view("/")};
  char small_bytes[64];
  arena small(small_bytes);
  const auto env_failed = verify(view, expected, 1, no_mounts, found, 2, outside, 1, small);
  REQUIRE_FALSE(env_failed);
  CHECK(env_failed.error().code() == error_code::buffer_too_small);
  // Every class has its own name.
  for (std::size_t i = 0; i < violation_class_count; ++i) CHECK(!to_string(static_cast<violation_class>(i)).empty());
  CHECK(to_string(static_cast<violation_class>(violation_class_count)).empty());
  CHECK(violation{static_cast<violation_class>(violation_class_count), "", "", "", std::nullopt}.text().empty());
}

TEST_CASE("verify: variables are paired by name as the OS compares names, in any order, duplicates and many") {
  // Names are built as a base and a spelling: on Windows two names are one exactly when their
  // bases are (every spelling of a base folds alike: case, and 'ſ' for s, 'ı' for i, which
  // NTFS folds to S and I; no two bases fold alike); on Linux exactly when the bytes are.
  // Reference: a container variable takes the first expected one of its name (wrong_value if
  // the values differ); an expected one no container variable names is missing_variable.
  const std::vector<std::string> specials = {"PATH", "Path2", "AZ_BATCH_TASK_ID", "HOME", "skip", "is", "x",
                                             "A_VERY_LONG_VARIABLE_NAME_FOR_SIXTEEN_BYTE_WORDS", "AZ_BATCH_TASK_IDS"};
  const auto spell = [](const std::string& base, std::size_t how) {
    std::string out;
    for (const char c : base) {
      const char lower = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
      if (how == 3 && lower == 's') out += "\xc5\xbf";       // ſ
      else if (how == 4 && lower == 'i') out += "\xc4\xb1";  // ı
      else if (how == 1) out += lower;
      else if (how == 2) out += static_cast<char>(lower >= 'a' && lower <= 'z' ? lower - 32 : lower);
      else out += c;
    }
    return out;
  };
  std::mt19937 random(20261128);
  std::size_t wrong = 0, missing = 0, runs = 0;
  for (const node_os os : {node_os::linux_node, node_os::windows_node}) {
    char storage[4096];
    arena into(storage);
    context_options o;
    o.os = os;
    o.job_id = "job";
    o.task_id = "task1";
    const auto context = make_context(o, into);
    REQUIRE(context);
    static constexpr bind_mount_entry entries[] = {{"Task", true}};
    const auto view = resolve(*make_plan({entries, std::nullopt}), *context).value();
    std::vector<mount_view> mounts;
    for (std::size_t i = 0; i < view.mount_count; ++i)
      mounts.push_back({std::nullopt, view.mounts[i].host_path, view.mounts[i].container_path, view.mounts[i].read_only, true});
    for (int run = 0; run < 400; ++run) {
      const std::size_t bases = run % 4 == 0 ? 90 : 12;  // past the 64 names kept, sometimes
      std::vector<std::string> base_names = specials;
      for (std::size_t b = specials.size(); b < bases; ++b) base_names.push_back("VAR_" + std::to_string(b));
      struct named {
        std::size_t base;
        std::string name, value;
      };
      const auto pick = [&](std::size_t count, bool variants) {
        std::vector<named> out;
        for (std::size_t i = 0; i < count; ++i) {
          const std::size_t b = random() % base_names.size();
          out.push_back({b, spell(base_names[b], variants ? random() % 5 : 0), std::to_string(random() % 2)});
        }
        return out;
      };
      // Expected names: distinct bases in the usual case, repeated or respelled at times.
      std::vector<named> expected;
      if (run % 3 == 0) {
        expected = pick(random() % (bases + 1), true);
      } else {
        std::vector<std::size_t> order(base_names.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::shuffle(order.begin(), order.end(), random);
        order.resize(random() % (order.size() + 1));
        for (const std::size_t b : order) expected.push_back({b, spell(base_names[b], run % 2 ? random() % 5 : 0), "1"});
      }
      // The container: the expected variables in order (the usual case) or a random pick.
      std::vector<named> actual = expected;
      if (run % 5 == 0) actual = pick(random() % (bases + 1), run % 2 == 0);
      else if (run % 5 == 1) std::shuffle(actual.begin(), actual.end(), random);
      for (auto& v : actual)
        if (random() % 4 == 0) v.value = "2";
      const auto same = [os](const named& a, const named& b) { return os == node_os::windows_node ? a.base == b.base : a.name == b.name; };
      std::vector<std::pair<violation_class, std::string>> reference;
      for (const auto& c : actual) {
        const auto e = std::find_if(expected.begin(), expected.end(), [&](const named& x) { return same(x, c); });
        if (e != expected.end() && e->value != c.value) reference.push_back({violation_class::wrong_value, c.name});
      }
      for (const auto& e : expected)
        if (std::none_of(actual.begin(), actual.end(), [&](const named& c) { return same(e, c); }))
          reference.push_back({violation_class::missing_variable, e.name});

      std::vector<env_var_view> expected_views, actual_views;
      for (const auto& v : expected) expected_views.push_back({v.name, v.value});
      for (const auto& v : actual) actual_views.push_back({v.name, v.value});
      const container_view container{mounts.data(), mounts.size(), actual_views.data(), actual_views.size(),
                                     view.working_directory};
      std::vector<violation_view> found(expected.size() + actual.size() + 1);
      char scratch_bytes[4096];
      arena scratch(scratch_bytes);
      const auto counts = verify(view, expected_views.data(), expected_views.size(), container, found.data(), found.size(),
                                 nullptr, 0, scratch);
      REQUIRE(counts);
      std::vector<std::pair<violation_class, std::string>> got;
      for (std::size_t i = 0; i < counts->violations; ++i) got.push_back({found[i].kind, std::string(found[i].subject)});
      INFO(to_string(os) << " run " << run << ": " << expected.size() << " expected, " << actual.size() << " set");
      CHECK(got == reference);
      for (const auto& r : reference) (r.first == violation_class::wrong_value ? wrong : missing) += 1;
      ++runs;
    }
  }
  // Both kinds occur often (the comparison would be empty otherwise).
  CHECK(wrong > runs);
  CHECK(missing > runs);
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

TEST_CASE("verify: a selected path mounted again elsewhere is listed, and a violation only where it grants more") {
  // Modes a container mount can have, from most to least access.
  struct mode {
    const char* name;
    bool read_only, recursive;
  };
  static constexpr mode modes[] = {{"rw", false, false}, {"ro", true, false}, {"rro", true, true}};
  for (const node_os os : {node_os::linux_node, node_os::windows_node}) {
    const bool on_linux = os == node_os::linux_node;
    const std::string shared_host = on_linux ? "/mnt/batch/tasks/shared" : "D:\\batch\\tasks\\shared";
    const std::string shared_container = on_linux ? "/mnt/batch/tasks/shared" : "C:\\batch\\tasks\\shared";
    const std::string other_place = on_linux ? "/data" : "C:\\data";
    for (const bool selected_read_only : {false, true}) {
      const auto f = make(os, {{"Shared", selected_read_only}, {"Task", false}});
      // What a mount of Shared in this mode breaks, from the documented rules: read/write where
      // read-only was asked is `writable`; on Linux read-only without recursion where
      // read-only was asked is `read_only_not_recursive`; less access than asked breaks nothing.
      const auto breaks = [&](const mode& m) -> std::vector<violation_class> {
        if (!selected_read_only) return {};
        if (!m.read_only) return {violation_class::writable};
        if (on_linux && !m.recursive) return {violation_class::read_only_not_recursive};
        return {};
      };
      for (const bool keep_right_place : {true, false}) {
        for (const mode& m : modes) {
          CAPTURE(to_string(os), selected_read_only, keep_right_place, m.name);
          auto c = expected_container(f.r, f.env);
          auto shared = std::find_if(c.mounts.begin(), c.mounts.end(),
                                     [&](const mount& x) { return x.host_path == shared_host; });
          REQUIRE(shared != c.mounts.end());
          REQUIRE(shared->container_path == shared_container);
          std::vector<violation_class> expected;
          if (keep_right_place) {
            // The right place in this mode, nothing else.
            shared->read_only = m.read_only;
            shared->recursive = m.recursive;
            expected = breaks(m);
            const auto v = verify(f.r, f.env, c);
            CHECK(classes(v) == expected);
            CHECK(v.also_mounted.empty());
            // The right place as asked, and a second mount of Shared elsewhere in this mode.
            shared->read_only = selected_read_only;
            shared->recursive = selected_read_only;
          } else {
            c.mounts.erase(shared);  // only the other place
          }
          c.mounts.push_back({std::nullopt, shared_host, other_place, m.read_only, m.recursive});
          expected = breaks(m);
          if (!keep_right_place) expected.push_back(violation_class::missing);
          const auto v = verify(f.r, f.env, c);
          CHECK(classes(v) == expected);
          REQUIRE(v.also_mounted.size() == 1);
          CHECK(v.also_mounted[0].host_path == shared_host);
          CHECK(v.also_mounted[0].container_path == other_place);
          CHECK(v.also_mounted[0].read_only == m.read_only);
          if (!keep_right_place)
            CHECK(v.violations.back().text() == "Shared (" + shared_container +
                                                    ") is not mounted at its container path; it is at " + other_place);
        }
      }
    }
  }
}

TEST_CASE("verify: a selected path mounted only one level below its container path is missing") {
  for (const node_os os : {node_os::linux_node, node_os::windows_node}) {
    const bool on_linux = os == node_os::linux_node;
    const std::string sub_host = on_linux ? "/mnt/batch/tasks/shared/sub" : "D:\\batch\\tasks\\shared\\sub";
    const std::string sub_container = on_linux ? "/mnt/batch/tasks/shared/sub" : "C:\\batch\\tasks\\shared\\sub";
    const auto f = make(os, {{"Shared", false}, {"Task", false}});
    auto c = expected_container(f.r, f.env);
    const auto shared = std::find_if(c.mounts.begin(), c.mounts.end(), [&](const mount& x) {
      return x.host_path == sub_host.substr(0, sub_host.size() - 4);
    });
    REQUIRE(shared != c.mounts.end());
    // Only a directory inside Shared, at its place inside Shared's container path.
    *shared = {std::nullopt, sub_host, sub_container, false, false};
    const auto v = verify(f.r, f.env, c);
    CAPTURE(to_string(os));
    REQUIRE(classes(v) == std::vector<violation_class>{violation_class::missing});
    CHECK(v.violations[0].path == data_path::shared);
    // The same below the right host path but at Shared's own container path is still missing.
    *shared = {std::nullopt, sub_host, sub_container.substr(0, sub_container.size() - 4), false, false};
    CHECK(classes(verify(f.r, f.env, c)) == std::vector<violation_class>{violation_class::missing});
  }
}

TEST_CASE("verify on Windows: a mount on the host's drive and a variable naming it leak") {
  const auto f = make(node_os::windows_node, {{"Task", false}});
  auto c = expected_container(f.r, f.env);
  // A second mount of Shared's host directory at its host path, D:, which no Windows
  // container has: Shared is not selected, so the mount exposes it; and a variable naming
  // that D: path names nothing the container can see at that name.
  c.mounts.push_back({std::nullopt, "D:\\batch\\tasks\\shared", "D:\\batch\\tasks\\shared", false, false});
  c.environment.push_back({"SHARED_ON_D", "D:\\batch\\tasks\\shared"});
  const auto v = verify(f.r, f.env, c);
  CHECK(classes(v) == std::vector<violation_class>{violation_class::exposes_unselected, violation_class::leaked_variable});
  // Task mounted again with its destination on D:, and a variable naming that D: path.
  auto t = expected_container(f.r, f.env);
  t.mounts.push_back({std::nullopt, "D:\\batch\\tasks\\workitems\\job\\job-1\\task1", "D:\\batch\\tasks\\workitems\\job\\job-1\\task1",
                      false, false});
  t.environment.push_back({"TASK_ON_D", "D:\\batch\\tasks\\workitems\\job\\job-1\\task1\\wd"});
  const auto w = verify(f.r, f.env, t);
  CHECK(classes(w) == std::vector<violation_class>{violation_class::leaked_variable});
  REQUIRE(w.also_mounted.size() == 1);
  CHECK(w.also_mounted[0].container_path == "D:\\batch\\tasks\\workitems\\job\\job-1\\task1");
}

TEST_CASE("verify on Windows reads a value as a program in the container does (decision 31)") {
  const auto f = make(node_os::windows_node, {{"Task", false}});
  const auto leaked_paths = [&](const char* value) {
    auto c = expected_container(f.r, f.env);
    c.environment.push_back({"MY_VALUE", value});
    std::vector<std::optional<data_path>> out;
    for (const auto& v : verify(f.r, f.env, c).violations) {
      CHECK(v.kind == violation_class::leaked_variable);
      out.push_back(v.path);
    }
    return out;
  };
  using paths = std::vector<std::optional<data_path>>;
  // Rooted without a drive: C:\batch\tasks\shared in the container, which does not show Shared.
  CHECK(leaked_paths("\\batch\\tasks\\shared") == paths{data_path::shared});
  CHECK(leaked_paths("C:\\Windows;\"C:\\batch\\tasks\\shared\\bin\"") == paths{data_path::shared});
  // A host path through an administrative share: never visible in a Windows container.
  CHECK(leaked_paths("\\\\localhost\\D$\\batch\\tasks\\workitems\\job\\job-1\\task1") == paths{std::optional<data_path>{}});
  CHECK(leaked_paths("\\\\?\\UNC\\node\\d$\\batch\\tasks\\shared") == paths{data_path::shared});
  // The mounted Task directory, spelled without a drive or quoted: visible, no violation.
  CHECK(leaked_paths("\\batch\\tasks\\workitems\\job\\job-1\\task1\\wd").empty());
  CHECK(leaked_paths("\"C:\\batch\\tasks\\workitems\\job\\job-1\\task1\"").empty());
  CHECK(leaked_paths("\\\\server\\share\\batch\\tasks\\shared").empty());  // another machine's share: out of scope
}
