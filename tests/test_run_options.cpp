#include "batchmount/run_options.hpp"

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "batchmount/adapters/nlohmann_json.hpp"
#include "batchmount/render/cri.hpp"
#include "batchmount/render/docker_api.hpp"
#include "batchmount/render/docker_args.hpp"
#include "batchmount/render/oci.hpp"
#include "batchmount/render/run_options.hpp"
#include "batchmount/verify.hpp"
#include "render_fixture.hpp"

using namespace batchmount;
using nlohmann::json;

namespace {
struct expected_option {
  std::string flag;
  std::optional<std::string> value;
  std::string written;
  std::size_t position;
};

void check_read(std::string_view text, const std::vector<expected_option>& want) {
  CAPTURE(text);
  const auto got = read_run_options(text);
  REQUIRE(got);
  REQUIRE(got->options.size() == want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    CAPTURE(i);
    CHECK(got->options[i].flag == want[i].flag);
    CHECK(got->options[i].value == want[i].value);
    CHECK(got->options[i].written == want[i].written);
    CHECK(got->options[i].position == want[i].position);
  }
}

void check_unreadable(std::string_view text, std::string_view word, std::size_t position) {
  CAPTURE(text);
  const auto got = read_run_options(text);
  REQUIRE_FALSE(got);
  CHECK(got.error().code() == error_code::run_options_unreadable);
  CHECK(got.error().value() == word);
  CHECK(got.error().index() == position);
}

// A resolution of task1 in job "job" selecting `entries`, with run options judged under `policy`.
result<resolution> resolve_with(node_os os, const std::vector<bind_mount_entry>& entries, std::string_view options,
                                run_option_policy policy = run_option_policy::refuse,
                                std::optional<std::string_view> wd = std::nullopt) {
  const auto context = make_context(context_options::job_task("job", "task1").on(os));
  REQUIRE(context);
  return resolve(container_request{entries, wd, options}, *context, policy);
}

std::vector<run_option_class> classes(const resolution& r) {
  std::vector<run_option_class> out;
  for (const auto& f : r.run_option_findings) out.push_back(f.kind);
  return out;
}

const std::vector<bind_mount_entry> task_and_shared_ro = {{"Task", false}, {"Shared", true}};
}  // namespace

TEST_CASE("run options: read as the docker CLI reads docker create options") {
  check_read("", {});
  check_read("  \t ", {});
  check_read("--rm --cpus 1 --memory=64m", {{"rm", std::nullopt, "--rm", 0}, {"cpus", "1", "--cpus 1", 1},
                                            {"memory", "64m", "--memory=64m", 3}});
  check_read("-v/a:/b -eX=1 -e=Y=2 -m 1g", {{"volume", "/a:/b", "-v/a:/b", 0}, {"env", "X=1", "-eX=1", 1},
                                            {"env", "Y=2", "-e=Y=2", 2}, {"memory", "1g", "-m 1g", 3}});
  check_read("-it", {{"interactive", std::nullopt, "-it", 0}, {"tty", std::nullopt, "-it", 0}});
  check_read("-itv /a:/b", {{"interactive", std::nullopt, "-itv /a:/b", 0}, {"tty", std::nullopt, "-itv /a:/b", 0},
                            {"volume", "/a:/b", "-itv /a:/b", 0}});
  check_read("--privileged=false -t=true", {{"privileged", "false", "--privileged=false", 0}, {"tty", "true", "-t=true", 1}});
  // A value is the next word whatever it looks like, as the docker CLI takes it.
  check_read("--name --rm", {{"name", "--rm", "--name --rm", 0}});
  check_read("-v '/a b:/c' --env \"X=a b\"", {{"volume", "/a b:/c", "-v /a b:/c", 0}, {"env", "X=a b", "--env X=a b", 2}});
  check_read("--net=host --net-alias x", {{"net", "host", "--net=host", 0}, {"net-alias", "x", "--net-alias x", 1}});

  check_unreadable("--rm busybox", "busybox", 1);          // an image where a flag is expected
  check_unreadable("--rm -- -v /a:/b", "--", 1);
  check_unreadable("-", "-", 0);
  check_unreadable("--bogus 1", "--bogus", 0);             // a flag docker create does not have
  check_unreadable("--detach", "--detach", 0);             // docker run's, not create's
  check_unreadable("-iZ", "-iZ", 0);
  check_unreadable("--rm -v", "-v", 1);                    // a missing value
  check_unreadable("--volume", "--volume", 0);
  check_unreadable("--rm=maybe", "--rm=maybe", 0);         // a boolean with another value
  check_unreadable("-i=yes", "-i=yes", 0);
  check_unreadable("--rm -v '/a:/b", "'/a:/b", 2);         // an unbalanced quote: the unfinished word
  check_unreadable("-e \"X=1", "\"X=1", 1);
  check_unreadable("--rm \\", "\\", 1);
}

TEST_CASE("run options: the binds -v and --mount make") {
  const auto bind = [](std::string_view text, node_os os) {
    const auto read = read_run_options(text, os);
    REQUIRE(read);
    REQUIRE(read->options.size() == 1);
    return bind_of(read->options[0], os);
  };
  const auto is = [&](std::string_view text, node_os os, std::string_view source, std::string_view target, bool ro,
                      bool rro) {
    CAPTURE(text);
    const auto b = bind(text, os);
    REQUIRE(b);
    REQUIRE(*b);
    CHECK((*b)->source == source);
    CHECK((*b)->target == target);
    CHECK((*b)->read_only == ro);
    CHECK((*b)->recursive == rro);
  };
  const auto linux = node_os::linux_node, windows = node_os::windows_node;
  is("-v /a:/b", linux, "/a", "/b", false, false);
  is("-v /a:/b:ro,z", linux, "/a", "/b", true, false);  // -v read-only never reaches submounts
  is("--mount type=bind,source=/a,target=/b,readonly", linux, "/a", "/b", true, false);
  is("--mount type=bind,src=/a,dst=/b,ro=true,bind-recursive=readonly", linux, "/a", "/b", true, true);
  is("--mount Type=bind,Source=/a,Destination=/b,readonly=false", linux, "/a", "/b", false, false);
  is("--mount 'type=bind,\"source=/a,b\",target=/c'", linux, "/a,b", "/c", false, false);  // CSV quotes
  is("--mount 'type=bind,\"source=/a \"\"q\"\"\",target=/c'", linux, "/a \"q\"", "/c", false, false);
  is("-v D:\\batch\\tasks:C:\\n:ro", windows, "D:\\batch\\tasks", "C:\\n", true, false);
  is("-v d:/batch/tasks/shared:c:/s", windows, "d:/batch/tasks/shared", "c:/s", false, false);
  for (const std::string_view none : {"-v name:/b", "-v /anonymous", "--mount type=volume,source=v,target=/b",
                                      "--mount source=/a,target=/b", "--mount type=tmpfs,target=/t", "--rm", "--tmpfs /t"}) {
    CAPTURE(none);
    const auto b = bind(none, linux);
    REQUIRE(b);
    CHECK_FALSE(*b);
  }
  CHECK_FALSE(*bind("-v /a:/b", windows));  // not a Windows host path: a volume name
  for (const std::string_view bad : {"--mount type=bind,target=/b", "--mount type=bind,source=/a",
                                     "--mount 'type=bind,source=/a\"x,target=/b'", "--mount '\"type=bind,source=/a'"}) {
    CAPTURE(bad);
    const auto b = bind(bad, linux);
    REQUIRE_FALSE(b);
    CHECK(b.error().code() == error_code::run_options_unreadable);
  }
}

TEST_CASE("run options: binds that reach past the selection are refused, on both OSes") {
  struct row {
    node_os os;
    std::string options;
    error_code code;
    std::optional<data_path> path;
  };
  const std::string lt = "/mnt/batch/tasks", wt = "D:\\batch\\tasks";
  const row rows[] = {
      {node_os::linux_node, "--rm -v " + lt + ":/n", error_code::run_option_exposes_unselected, std::nullopt},
      {node_os::linux_node, "-v /mnt:/m", error_code::run_option_exposes_unselected, std::nullopt},  // holds the root
      {node_os::linux_node, "-v " + lt + "/workitems:/w", error_code::run_option_exposes_unselected, data_path::job_prep},
      {node_os::linux_node, "-v " + lt + "/workitems/job/job-1/other:/o", error_code::run_option_exposes_unselected, std::nullopt},
      {node_os::linux_node, "--mount type=bind,source=" + lt + "/startup/x,target=/s", error_code::run_option_exposes_unselected,
       data_path::startup},
      {node_os::linux_node, "-v " + lt + "/fsmounts/../startup:/s", error_code::run_option_exposes_unselected, data_path::startup},
      {node_os::linux_node, "-v " + lt + "/shared:/s", error_code::run_option_weakens_selection, data_path::shared},
      {node_os::linux_node, "-v " + lt + "/shared/x:/s:ro", error_code::run_option_weakens_selection, data_path::shared},
      {node_os::linux_node, "--mount type=bind,source=" + lt + "/shared,target=/s,readonly", error_code::run_option_weakens_selection,
       data_path::shared},
      {node_os::linux_node, "--volumes-from other-task", error_code::run_option_volumes_from, std::nullopt},
      {node_os::linux_node, "-w " + lt + "/startup", error_code::run_option_working_directory, std::nullopt},
      {node_os::windows_node, "-v " + wt + ":C:\\n", error_code::run_option_exposes_unselected, std::nullopt},
      {node_os::windows_node, "-v d:/BATCH/tasks/Startup:C:\\s", error_code::run_option_exposes_unselected, data_path::startup},
      {node_os::windows_node, "-v " + wt + "\\SHARED:C:\\s", error_code::run_option_weakens_selection, data_path::shared},
      {node_os::windows_node, "-w C:\\batch\\tasks\\startup", error_code::run_option_working_directory, std::nullopt},
      {node_os::windows_node, "--volumes-from other-task", error_code::run_option_volumes_from, std::nullopt},
      {node_os::windows_node, "--mount type=bind,source=D:\\batch\\tasks\\workitems,target=C:\\w",
       error_code::run_option_exposes_unselected, data_path::job_prep},
  };
  for (const auto& r : rows) {
    CAPTURE(r.options);
    const auto refused = resolve_with(r.os, task_and_shared_ro, r.options);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code() == r.code);
    const auto accepted = resolve_with(r.os, task_and_shared_ro, r.options, run_option_policy::accept);
    REQUIRE(accepted);
    REQUIRE_FALSE(accepted->run_option_findings.empty());
    const auto& f = accepted->run_option_findings.back();
    CHECK(refused.error().value() == f.option);
    CHECK(refused.error().index() == f.position);
    CHECK(refused_by_default(f.kind));
    CHECK(f.path == r.path);
    CHECK(f.message.find(f.option + ": ") == 0);
  }
}

TEST_CASE("run options: harmless options, binds outside the root and selected paths as selected pass") {
  for (const node_os os : {node_os::linux_node, node_os::windows_node}) {
    const bool windows = os == node_os::windows_node;
    const std::string root = windows ? "D:\\batch\\tasks" : "/mnt/batch/tasks";
    const std::string sep = windows ? "\\" : "/";
    const std::string options =
        "--rm --cpus 1 --memory 64m -e X=1 -it --name t1 -v " + std::string(windows ? "C:\\certs:C:\\c" : "/etc/ssl/certs:/c:ro") +
        " -v " + root + sep + "workitems" + sep + "job" + sep + "job-1" + sep + "task1" + sep + "wd:" +
        (windows ? "C:\\wd" : "/wd") + " -v named:" + (windows ? "C:\\v" : "/v") + " --tmpfs /t -w " + (windows ? "C:\\app" : "/app");
    CAPTURE(options);
    const auto r = resolve_with(os, task_and_shared_ro, options);
    REQUIRE(r);
    CHECK(r->run_option_findings.empty());
    REQUIRE(r->run_options_outside_scope.size() == 1);
    CHECK(r->run_options_outside_scope[0].find("-v ") == 0);
    CHECK(r->run_options.readable);
    CHECK(r->warnings.empty());
  }
  // With a null list every directory under the root is mounted read/write already.
  const auto context = make_context(context_options::job_task("job", "task1"));
  const auto whole = resolve(container_request{bind_mount_list::null(), std::nullopt, "-v /mnt/batch/tasks/startup:/s"}, *context);
  REQUIRE(whole);
  CHECK(whole->run_option_findings.empty());
}

TEST_CASE("run options: privilege and environment findings are warnings") {
  const std::string options =
      "--privileged --device /dev/sda --cap-add SYS_ADMIN --cap-add cap_dac_read_search --cap-add NET_RAW --pid host "
      "--ipc container:other --uts host --userns host --cgroupns host --network host --security-opt seccomp=unconfined "
      "--security-opt apparmor:unconfined --security-opt label=disable --use-api-socket -v /var/run/docker.sock:/d "
      "--privileged=false --pid private "
      "-e AZ_BATCH_NODE_STARTUP_DIR=/mnt/batch/tasks/startup -e MINE=/mnt/batch/tasks/startup/x -e AZ_BATCH_JOB_ID "
      "-e PATH=/bin:/mnt/batch/tasks/startup --env-file /etc/task.env -e OK=1 -e AZ_BATCH_TASK_DIR=/mnt/batch/tasks/workitems/job/job-1/task1";
  const auto r = resolve_with(node_os::linux_node, task_and_shared_ro, options);
  REQUIRE(r);  // nothing here is refused
  std::vector<std::string> privilege, environment;
  for (const auto& f : r->run_option_findings) {
    CHECK_FALSE(refused_by_default(f.kind));
    (f.kind == run_option_class::privilege ? privilege : environment).push_back(f.option);
  }
  CHECK(privilege == std::vector<std::string>{"--privileged", "--device /dev/sda", "--cap-add SYS_ADMIN",
                                              "--cap-add cap_dac_read_search", "--pid host", "--ipc container:other",
                                              "--uts host", "--userns host", "--cgroupns host", "--network host",
                                              "--security-opt seccomp=unconfined", "--security-opt apparmor:unconfined",
                                              "--security-opt label=disable", "--use-api-socket",
                                              "-v /var/run/docker.sock:/d"});
  CHECK(environment == std::vector<std::string>{"-e AZ_BATCH_NODE_STARTUP_DIR=/mnt/batch/tasks/startup",
                                                "-e MINE=/mnt/batch/tasks/startup/x", "-e AZ_BATCH_JOB_ID",
                                                "-e PATH=/bin:/mnt/batch/tasks/startup", "--env-file /etc/task.env"});
  CHECK(r->run_options_outside_scope == std::vector<std::string>{"-v /var/run/docker.sock:/d"});
  // Windows: names fold, paths are D:\ paths.
  const auto w = resolve_with(node_os::windows_node, task_and_shared_ro,
                              "-e az_batch_node_startup_dir=D:\\batch\\tasks\\startup -e Path=C:\\x;d:\\BATCH\\tasks\\startup");
  REQUIRE(w);
  CHECK(classes(*w) == std::vector<run_option_class>{run_option_class::environment, run_option_class::environment});
  const auto wp = resolve_with(node_os::windows_node, task_and_shared_ro,
                               "--privileged --device class/5B45201D-F2F2-4F3B-85BB-30FF1F953599 -v \\\\.\\pipe\\docker_engine:\\\\.\\pipe\\docker_engine");
  REQUIRE(wp);
  CHECK(classes(*wp) == std::vector<run_option_class>{run_option_class::privilege, run_option_class::privilege,
                                                      run_option_class::privilege});
  const auto wu = resolve_with(node_os::windows_node, task_and_shared_ro, "-v \"D:\\batch");
  REQUIRE_FALSE(wu);
  CHECK(wu.error().code() == error_code::run_options_unreadable);
}

TEST_CASE("run options: an unreadable text is refused, or accepted unread and carried by nobody") {
  const auto refused = resolve_with(node_os::linux_node, task_and_shared_ro, "--rm -v '/mnt");
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code() == error_code::run_options_unreadable);
  CHECK(refused.error().index() == 2);
  const auto accepted = resolve_with(node_os::linux_node, task_and_shared_ro, "--rm -v '/mnt", run_option_policy::accept);
  REQUIRE(accepted);
  CHECK_FALSE(accepted->run_options.readable);
  CHECK(accepted->run_options.words.empty());
  CHECK(classes(*accepted) == std::vector<run_option_class>{run_option_class::unreadable});
  for (const auto carrier : {run_option_carrier::docker_args, run_option_carrier::docker_api, run_option_carrier::oci,
                             run_option_carrier::cri})
    CHECK(run_options_not_carried(*accepted, carrier) == std::vector<std::string>{"--rm -v '/mnt"});
  const auto env = filter_environment(*accepted, {});
  for (const auto& arg : docker_args(*accepted, *env)) CHECK(arg.find("/mnt'") == std::string::npos);
}

TEST_CASE("run options: the docker outputs carry accepted options, OCI and CRI say what they leave out") {
  const std::string options = "-v /mnt/batch/tasks:/n --rm -e X=1 -e HOMEDIR -w /app "
                              "--mount type=bind,source=/etc/ssl,target=/ssl,readonly,bind-recursive=readonly -it";
  const auto r = resolve_with(node_os::linux_node, task_and_shared_ro, options, run_option_policy::accept);
  REQUIRE(r);
  const auto env = filter_environment(*r, {});
  const auto args = docker_args(*r, *env);
  CHECK(args.back() == "-it");
  CHECK(std::vector<std::string>(args.end() - 12, args.end() - 1) ==
        std::vector<std::string>{"-v", "/mnt/batch/tasks:/n", "--rm", "-e", "X=1", "-e", "HOMEDIR", "-w", "/app", "--mount",
                                 "type=bind,source=/etc/ssl,target=/ssl,readonly,bind-recursive=readonly"});
  CHECK(run_options_not_carried(*r, run_option_carrier::docker_args).empty());

  const auto api = json::parse(*render_docker_api(*r, *env));
  CHECK(api["HostConfig"]["Binds"] == json{"/mnt/batch/tasks:/n"});
  CHECK(api["HostConfig"]["Mounts"].back() == json{{"Type", "bind"}, {"Source", "/etc/ssl"}, {"Target", "/ssl"},
                                                   {"ReadOnly", true}, {"BindOptions", {{"ReadOnlyForceRecursive", true}}}});
  CHECK(api["Env"].back() == "X=1");
  CHECK(api["WorkingDir"] == "/app");
  CHECK(run_options_not_carried(*r, run_option_carrier::docker_api) == std::vector<std::string>{"--rm", "-e HOMEDIR", "-it"});

  const std::vector<std::string> all = {"-v /mnt/batch/tasks:/n", "--rm", "-e X=1", "-e HOMEDIR", "-w /app",
                                        "--mount type=bind,source=/etc/ssl,target=/ssl,readonly,bind-recursive=readonly", "-it"};
  CHECK(run_options_not_carried(*r, run_option_carrier::oci) == all);
  CHECK(run_options_not_carried(*r, run_option_carrier::cri) == all);
  const auto warnings = run_option_warnings(*r, run_option_carrier::cri);
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].find("not carried") != std::string::npos);
  CHECK(warnings[0].find("-v /mnt/batch/tasks:/n") != std::string::npos);
  // The outputs themselves do not change for OCI and CRI.
  const auto plain = resolve_with(node_os::linux_node, task_and_shared_ro, "");
  REQUIRE(plain);
  CHECK(*render_oci(*r, *env) == *render_oci(*plain, *env));
  CHECK(*render_cri(*r, *env) == *render_cri(*plain, *env));
  CHECK(run_option_warnings(*plain, run_option_carrier::oci).empty());
}

TEST_CASE("run options: the Engine API body writes exactly what the warning does not name") {
  // A hand-built list (a caller's own reading of containerRunOptions) with options that
  // lack the value docker would require: nothing is dropped without the warning naming it.
  auto r = resolve_with(node_os::linux_node, task_and_shared_ro, "");
  REQUIRE(r);
  r->run_options.options = {{"volume", std::nullopt, "-v", 0},
                            {"workdir", std::nullopt, "-w", 1},
                            {"env", std::string("ONLY_NAME"), "-e ONLY_NAME", 2},
                            {"mount", std::string("type=volume,target=/v"), "--mount type=volume,target=/v", 4},
                            {"volume", std::string("/etc/ssl:/ssl:ro"), "-v /etc/ssl:/ssl:ro", 6},
                            {"env", std::string("A=1"), "-e A=1", 8},
                            {"workdir", std::string("/app"), "-w /app", 10}};
  const auto env = filter_environment(*r, {});
  const auto api = json::parse(*render_docker_api(*r, *env));
  CHECK(api["HostConfig"]["Binds"] == json{"/etc/ssl:/ssl:ro"});
  CHECK(api["HostConfig"]["Mounts"].size() == r->mounts.size());  // the volume mount is not a bind
  CHECK(api["Env"].back() == "A=1");
  CHECK(api["WorkingDir"] == "/app");
  CHECK(run_options_not_carried(*r, run_option_carrier::docker_api) ==
        std::vector<std::string>{"-v", "-w", "-e ONLY_NAME", "--mount type=volume,target=/v"});
  // A valueless -w does not take the working directory away.
  r->run_options.options = {{"workdir", std::nullopt, "-w", 0}};
  CHECK(json::parse(*render_docker_api(*r, *env))["WorkingDir"] == *r->working_directory);
}

TEST_CASE("run options: verify lists the accepted exposures and still flags anything else") {
  const auto r = resolve_with(node_os::linux_node, task_and_shared_ro, "-v /mnt/batch/tasks:/n -w /app",
                              run_option_policy::accept);
  REQUIRE(r);
  const auto env = filter_environment(*r, {});
  auto container = expected_container(*r, *env);
  container.working_directory = "/app";
  container.mounts.push_back({std::nullopt, "/mnt/batch/tasks", "/n", false, false});
  const auto clean = verify(*r, *env, container);
  CHECK(clean.conforms());
  REQUIRE(clean.accepted_exposures.size() == 1);
  CHECK(clean.accepted_exposures[0].container_path == "/n");
  // Another exposure, not asked for, is still a violation; so is a working directory not asked for.
  container.mounts.push_back({std::nullopt, "/mnt/batch/tasks/startup", "/s", false, false});
  container.working_directory = "/elsewhere";
  const auto flagged = verify(*r, *env, container);
  REQUIRE(flagged.violations.size() == 2);
  CHECK(flagged.violations[0].kind == violation_class::exposes_unselected);
  CHECK(flagged.violations[0].observed == "/s");
  CHECK(flagged.violations[1].kind == violation_class::working_directory);
  // Without the run options, the same container breaks the resolution.
  const auto plain = resolve_with(node_os::linux_node, task_and_shared_ro, "");
  CHECK(verify(*plain, *env, container).violations.size() == 3);
}

TEST_CASE("run options: a plan does not judge them and says so; the JSON adapter reads them") {
  const std::vector<bind_mount_entry> entries = {{"Task", false}};
  const auto p = make_plan(container_request{entries, std::nullopt, "-v /mnt/batch/tasks:/n"});
  REQUIRE(p);
  CHECK(p->has_run_options);
  const auto context = make_context(context_options::job_task("job", "task1"));
  const auto r = resolve(*p, *context);
  REQUIRE(r);
  CHECK(r->warnings == std::vector<warning_code>{warning_code::run_options_not_judged});
  CHECK(warning_text(warning_code::run_options_not_judged).find("check_run_options") != std::string_view::npos);
  // resolve(request) judges them instead, and does not warn.
  CHECK(resolve(container_request{entries, std::nullopt, "--rm"}, *context)->warnings.empty());

  const auto doc = parse_task_json(json::parse(
      R"({"id":"task1","containerSettings":{"imageName":"x","containerRunOptions":"-v /mnt/batch/tasks:/n",
          "containerHostBatchBindMounts":[{"source":"Task"}]}})"));
  REQUIRE(doc);
  CHECK(doc->request.run_options == std::string("-v /mnt/batch/tasks:/n"));
  CHECK(resolve(doc->request, *context).error().code() == error_code::run_option_exposes_unselected);
  const auto report = report_json(*resolve(doc->request, *context, run_option_policy::accept), {});
  REQUIRE(report["runOptions"].size() == 1);
  CHECK(report["runOptions"][0]["class"] == "mount_exposes_unselected");
  CHECK(report["runOptions"][0]["option"] == "-v /mnt/batch/tasks:/n");
  CHECK(report["runOptionsOutsideScope"] == json::array());
  CHECK_FALSE(report_json(*resolve(container_request{entries, std::nullopt}, *context), {}).contains("runOptions"));
  json round;
  to_json(round, doc->request);
  CHECK(round["containerRunOptions"] == "-v /mnt/batch/tasks:/n");
  const auto wrong = parse_task_json(json::parse(R"({"containerRunOptions": 3})"));
  REQUIRE_FALSE(wrong);
  CHECK(wrong.error().value() == "containerRunOptions (number)");
  const auto job = parse_batch_json(json::parse(
      R"({"id":"job","jobManagerTask":{"id":"m","containerSettings":{"imageName":"x","containerRunOptions":"--rm"}}})"));
  REQUIRE(job);
  CHECK(job->tasks.at(0).request.run_options == std::string("--rm"));
}

TEST_CASE("run options: names of every class") {
  std::vector<std::string_view> names;
  for (std::size_t i = 0; i < run_option_class_count; ++i) names.push_back(to_string(static_cast<run_option_class>(i)));
  CHECK(names == std::vector<std::string_view>{"mount_exposes_unselected", "mount_weakens_selection", "volumes_from",
                                               "working_directory", "environment", "privilege", "run_options_unreadable"});
  CHECK(to_string(static_cast<run_option_class>(99)).empty());
}

TEST_CASE("run options: Windows command lines keep backslashes") {
  const auto words = [](std::string_view text) {
    const auto w = split_windows_words(text);
    REQUIRE(w);
    std::vector<std::string> out;
    for (const auto& x : *w) out.push_back(x.text);
    return out;
  };
  CHECK(words("-v D:\\batch\\tasks:C:\\n") == std::vector<std::string>{"-v", "D:\\batch\\tasks:C:\\n"});
  CHECK(words("-e \"X=a b\" 'c d'") == std::vector<std::string>{"-e", "X=a b", "'c", "d'"});
  CHECK(words("a\\\\\"b c\" d") == std::vector<std::string>{"a\\b c", "d"});   // 2n backslashes, then a quote
  CHECK(words("a\\\\\\\"b") == std::vector<std::string>{"a\\\"b"});          // 2n+1: a literal quote
  CHECK(words("\"a\"\"b\" \"\"") == std::vector<std::string>{"a\"b", ""});
  CHECK(words(" \t ").empty());
  const auto open = split_windows_words("-v \"D:\\x");
  REQUIRE_FALSE(open);
  CHECK(open.error().code() == error_code::run_options_unreadable);
  CHECK(open.error().index() == 1);
  // The same text on a Linux node: backslashes escape.
  CHECK(read_run_options("-v D:\\x:C:\\y", node_os::linux_node)->options[0].value == std::string("D:x:C:y"));
  CHECK(read_run_options("-v D:\\x:C:\\y", node_os::windows_node)->options[0].value == std::string("D:\\x:C:\\y"));
}

TEST_CASE("run options: an unreadable --mount, messages, non-recursive binds and non-UTF-8 text") {
  const std::string bad_mount = "--mount type=bind,target=/b";
  const auto refused = resolve_with(node_os::linux_node, task_and_shared_ro, "--rm " + bad_mount);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code() == error_code::run_options_unreadable);
  CHECK(refused.error().value() == bad_mount);
  CHECK(refused.error().index() == 1);
  const auto accepted = resolve_with(node_os::linux_node, task_and_shared_ro, "--rm " + bad_mount, run_option_policy::accept);
  REQUIRE(accepted);
  CHECK(classes(*accepted) == std::vector<run_option_class>{run_option_class::unreadable});
  CHECK(accepted->run_options.readable);  // the text reads; one option is no bind

  const auto root = resolve_with(node_os::linux_node, task_and_shared_ro, "-v /mnt/batch/tasks:/n", run_option_policy::accept);
  CHECK(root->run_option_findings.at(0).message.find("reaches the node root") != std::string::npos);
  const auto startup = resolve_with(node_os::linux_node, task_and_shared_ro, "-v /mnt/batch/tasks/startup:/s",
                                    run_option_policy::accept);
  CHECK(startup->run_option_findings.at(0).message.find("is or holds Startup, which the task did not select") != std::string::npos);

  // bind-nonrecursive undoes bind-recursive=readonly: not recursive, so it weakens a read-only selection.
  const auto weak = resolve_with(node_os::linux_node, task_and_shared_ro,
                                 "--mount type=bind,source=/mnt/batch/tasks/shared,target=/s,readonly,bind-recursive=readonly,"
                                 "bind-nonrecursive",
                                 run_option_policy::accept);
  CHECK(classes(*weak) == std::vector<run_option_class>{run_option_class::mount_weakens_selection});
  const auto strong = resolve_with(node_os::linux_node, task_and_shared_ro,
                                   "--mount type=bind,source=/mnt/batch/tasks/shared,target=/s,readonly,bind-recursive=readonly");
  REQUIRE(strong);
  CHECK(strong->run_option_findings.empty());

  // The JSON report refuses what it cannot encode.
  for (const std::string options : {"-v /mnt/batch/tasks/x\xff:/n", "-v /etc/\xff:/n"}) {
    const auto r = resolve_with(node_os::linux_node, task_and_shared_ro, options, run_option_policy::accept);
    REQUIRE(r);
    const auto env = filter_environment(*r, {});
    const auto report = render_report_json(*r, *env);
    REQUIRE_FALSE(report);
    CHECK(report.error().code() == error_code::output_needs_utf8);
  }
}
