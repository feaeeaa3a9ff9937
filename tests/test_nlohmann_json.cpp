#include "batchmount/adapters/nlohmann_json.hpp"

#include <stdexcept>
#include <string>

#include "catch.hpp"

using namespace batchmount;
using nlohmann::json;

namespace {
// The article's request, verbatim.
const char* const article = R"({
  "id": "taskId",
  "commandLine": "bash -c 'echo hello'",
  "containerSettings": {
    "imageName": "ubuntu",
    "containerHostBatchBindMounts": [ { "source": "Task", "isReadOnly": true } ]
  },
  "userIdentity": { "autoUser": { "scope": "task", "elevationLevel": "nonadmin" } }
})";

error parse_error(const char* text) {
  const auto parsed = parse_task_json(json::parse(text));
  REQUIRE_FALSE(parsed);
  return parsed.error();
}
}  // namespace

TEST_CASE("JSON: the article's task body") {
  const auto doc = parse_task_json(json::parse(article));
  REQUIRE(doc);
  CHECK(doc->id == std::optional<std::string>("taskId"));
  CHECK(doc->image_name == std::optional<std::string>("ubuntu"));
  REQUIRE(doc->request.bind_mounts);
  REQUIRE(doc->request.bind_mounts->size() == 1);
  CHECK((*doc->request.bind_mounts)[0].source == std::optional<std::string>("Task"));
  CHECK((*doc->request.bind_mounts)[0].is_read_only == std::optional<bool>(true));
  CHECK_FALSE(doc->request.working_directory);
  const auto p = doc->request.with_view([](const container_request& r) { return make_plan(r); });
  REQUIRE(p);
  CHECK((*p)[data_path::task].read_only);
}

TEST_CASE("JSON: a bare containerSettings; absent and null differ from []") {
  const auto absent = parse_task_json(json::parse(R"({"imageName": "x"})"));
  REQUIRE(absent);
  CHECK_FALSE(absent->request.bind_mounts.has_value());
  const auto null = parse_task_json(json::parse(R"({"containerHostBatchBindMounts": null})"));
  CHECK_FALSE(null->request.bind_mounts.has_value());
  const auto empty = parse_task_json(
      json::parse(R"({"containerHostBatchBindMounts": [], "workingDirectory": "containerImageDefault"})"));
  REQUIRE(empty->request.bind_mounts);
  CHECK(empty->request.bind_mounts->empty());
  CHECK(empty->request.working_directory == std::optional<std::string>("containerImageDefault"));
  const auto entry = parse_task_json(json::parse(R"({"containerHostBatchBindMounts": [{}], "extra": 1})"));
  REQUIRE(entry);
  CHECK_FALSE((*entry->request.bind_mounts)[0].source);
  CHECK_FALSE((*entry->request.bind_mounts)[0].is_read_only);
}

TEST_CASE("JSON: wrong types are errors that name the field and the entry") {
  auto e = parse_error(R"({"containerHostBatchBindMounts": [{"source": "Task"}, {"source": 3}]})");
  CHECK(e.code() == error_code::invalid_json_type);
  CHECK(e.index() == 1);
  CHECK(e.value() == "containerHostBatchBindMounts[1].source (number)");
  e = parse_error(R"({"containerSettings": {"containerHostBatchBindMounts": [{"source": "Task", "isReadOnly": "true"}]}})");
  CHECK(e.value() == "containerSettings.containerHostBatchBindMounts[0].isReadOnly (string)");
  CHECK(e.message().find("isReadOnly a boolean") != std::string::npos);
  CHECK(parse_error(R"({"containerHostBatchBindMounts": {"source": "Task"}})").value() ==
        "containerHostBatchBindMounts (object)");
  CHECK(parse_error(R"({"containerHostBatchBindMounts": ["Task"]})").value() ==
        "containerHostBatchBindMounts[0] (string)");
  CHECK(parse_error(R"({"workingDirectory": 1})").value() == "workingDirectory (number)");
  CHECK(parse_error(R"({"imageName": ["ubuntu"]})").value() == "imageName (array)");
  CHECK(parse_error(R"({"containerSettings": [], "id": "t"})").value() == "containerSettings (array)");
  CHECK(parse_error(R"({"containerSettings": {}, "id": 7})").value() == "id (number)");
  CHECK(parse_error(R"([1])").code() == error_code::invalid_json);
  CHECK(parse_error(R"({"id": "t", "commandLine": "x"})").code() == error_code::invalid_json);
}

TEST_CASE("JSON: from_json and to_json round-trip null, empty and lists") {
  for (const char* text : {R"({"containerHostBatchBindMounts":null})",
                           R"({"containerHostBatchBindMounts":[],"workingDirectory":"containerImageDefault"})",
                           R"({"containerHostBatchBindMounts":[{"isReadOnly":true,"source":"Task"},{"source":"Shared"},{}]})"}) {
    const auto original = json::parse(text);
    const auto request = original.get<owned_request>();
    CHECK(json(request) == original);
  }
  CHECK_THROWS_AS(json::parse(R"({"containerHostBatchBindMounts": 5})").get<owned_request>(),
                  std::invalid_argument);
}

TEST_CASE("JSON: the report refuses a name that is not UTF-8, even a removed one") {
  // Found by fuzz_environment: a removed variable's name reached dump() and threw.
  const auto context = make_context(context_options::job_task("j", "t"));
  const std::vector<bind_mount_entry> task = {{"Task", false}};
  const auto r = resolve(container_request{task, std::nullopt}, *context);
  const auto env = filter_environment(*r, {{"AZ_BATCH_AP\xa4", "/mnt/batch/tasks/applications/a"}});
  REQUIRE(env->removed_names().size() == 1);
  const auto text = render_report_json(*r, *env);
  REQUIRE_FALSE(text);
  CHECK(text.error().code() == error_code::output_needs_utf8);
  CHECK(text.error().value() == "AZ_BATCH_AP\xa4");
  const auto fine = render_report_json(*r, *filter_environment(*r, {{"A", "b\xc3\xa4"}}), 2);
  REQUIRE(fine);
  CHECK(json::parse(*fine)["environment"]["A"] == "b\xc3\xa4");
}

TEST_CASE("JSON: the resolution report has the documented shape") {
  const auto context = make_context(context_options::job_task("myJob", "taskId").on(node_os::windows_node));
  const auto doc = parse_task_json(json::parse(article));
  const auto r = resolve(doc->request, *context);
  REQUIRE(r);
  const auto env = filter_environment(*r, *standard_environment(*context));
  const auto report = report_json(*r, *env);
  CHECK(report["os"] == "windows");
  CHECK(report["mounts"] == json::parse(R"([{"source": "Task",
      "hostPath": "D:\\batch\\tasks\\workitems\\myJob\\job-1\\taskId",
      "containerPath": "C:\\batch\\tasks\\workitems\\myJob\\job-1\\taskId", "readOnly": true}])"));
  CHECK(report["environment"]["AZ_BATCH_TASK_ID"] == "taskId");
  CHECK(report["environment"]["AZ_BATCH_TASK_DIR"] == "C:\\batch\\tasks\\workitems\\myJob\\job-1\\taskId");
  CHECK(report["removedEnvironment"].size() == 6);
  CHECK(report["workingDirectory"] == "C:\\batch\\tasks\\workitems\\myJob\\job-1\\taskId\\wd");
  CHECK(report["warnings"].size() == 1);
  const auto whole = resolve(container_request{}, *context);
  const auto whole_report = report_json(*whole, *filter_environment(*whole, {}));
  CHECK(whole_report["mounts"][0]["source"].is_null());
}

TEST_CASE("JSON: every place container settings live, with the kind each holds") {
  const auto job = parse_batch_json(json::parse(R"({
    "id": "myJob", "poolInfo": {"poolId": "p"},
    "commonEnvironmentSettings": [{"name": "COMMON", "value": "1"}],
    "jobManagerTask": {"id": "manager", "containerSettings": {"imageName": "i"}},
    "jobPreparationTask": {"id": "prep", "environmentSettings": [{"name": "OWN", "value": "/x"}],
                           "containerSettings": {"containerHostBatchBindMounts": [{"source": "JobPrep"}]}},
    "jobReleaseTask": {"commandLine": "no container"}
  })"));
  REQUIRE(job);
  CHECK(job->shape == "job");
  CHECK(job->job_id == "myJob");
  CHECK(job->job_prep_task_id == "prep");
  CHECK(!job->job_release_task_id);
  CHECK(job->job_has_job_prep_task == true);
  REQUIRE(job->tasks.size() == 2);  // the release task has no containerSettings
  CHECK(job->tasks[0].kind == task_kind::job_manager);
  CHECK(job->tasks[0].field == "jobManagerTask");
  CHECK(!job->tasks[0].request.bind_mounts);  // null: the whole root
  CHECK(job->find(task_kind::job_preparation)->request.bind_mounts->size() == 1);
  CHECK(job->find(task_kind::job_preparation)->environment ==
        std::vector<env_var>{{"COMMON", "1"}, {"OWN", "/x"}});
  CHECK(job->find(task_kind::job_release) == nullptr);

  const auto no_prep = parse_batch_json(json::parse(R"({"id": "j", "jobManagerTask": {"containerSettings": {}}})"));
  REQUIRE(no_prep);
  CHECK(no_prep->job_has_job_prep_task == false);

  const auto pool = parse_batch_json(json::parse(R"({"id": "pool", "startTask": {"containerSettings": {
      "workingDirectory": "taskWorkingDirectory", "containerHostBatchBindMounts": [{"source": "Startup"}]}}})"));
  REQUIRE(pool);
  CHECK(pool->shape == "pool");
  CHECK(pool->tasks.at(0).kind == task_kind::start);
  const auto arm = parse_batch_json(json::parse(R"({"name": "pool", "properties": {"startTask": {
      "containerSettings": {"workingDirectory": "TaskWorkingDirectory"}}}})"));
  REQUIRE(arm);
  CHECK(arm->shape == "armPool");
  CHECK(arm->tasks.at(0).field == "properties.startTask");
  CHECK(arm->tasks.at(0).request.working_directory == "TaskWorkingDirectory");  // PascalCase parses
  CHECK(make_plan({bind_mount_list::empty(), std::string_view("ContainerImageDefault")}).has_value());

  const auto multi = parse_batch_json(json::parse(R"({"id": "t", "multiInstanceSettings": {"numberOfInstances": 2},
      "containerSettings": {"containerHostBatchBindMounts": []}})"));
  REQUIRE(multi);
  CHECK(multi->shape == "task");
  CHECK(multi->tasks.at(0).kind == task_kind::multi_instance_primary);
  CHECK(multi->find(task_kind::multi_instance_subtask) == &multi->tasks.at(0));
  const auto bare = parse_batch_json(json::parse(R"({"containerHostBatchBindMounts": null})"));
  REQUIRE(bare);
  CHECK(bare->shape == "containerSettings");
}

TEST_CASE("JSON: errors in any document name the field path") {
  const auto message_of = [](const char* text) {
    const auto parsed = parse_batch_json(json::parse(text));
    REQUIRE_FALSE(parsed);
    return parsed.error().message();
  };
  CHECK(message_of(R"({"id": "j", "jobReleaseTask": {"containerSettings": {"containerHostBatchBindMounts": [{"source": 3}]}}})")
            .find("jobReleaseTask.containerSettings.containerHostBatchBindMounts[0].source (number)") != std::string::npos);
  CHECK(message_of(R"({"properties": {"startTask": {"containerSettings": {"workingDirectory": 1}}}})")
            .find("properties.startTask.containerSettings.workingDirectory (number)") != std::string::npos);
  CHECK(message_of(R"({"properties": []})").find("properties (array)") != std::string::npos);
  CHECK(message_of(R"({"startTask": {"commandLine": "x"}})").find("a pool none of whose tasks") != std::string::npos);
  CHECK(message_of(R"({"id": "j", "jobManagerTask": "x"})").find("jobManagerTask (string)") != std::string::npos);
  CHECK(message_of(R"({"id": "j", "jobManagerTask": {"containerSettings": 5}})")
            .find("jobManagerTask.containerSettings (number)") != std::string::npos);
  CHECK(message_of(R"({"id": "j", "jobManagerTask": {"environmentSettings": [{"value": "x"}], "containerSettings": {}}})")
            .find("jobManagerTask.environmentSettings[0].name is missing") != std::string::npos);
  CHECK(message_of(R"({"id": "j", "jobManagerTask": {"environmentSettings": {}, "containerSettings": {}}})")
            .find("jobManagerTask.environmentSettings (object)") != std::string::npos);
  CHECK(message_of(R"({"id": "j", "jobManagerTask": {"environmentSettings": [1], "containerSettings": {}}})")
            .find("jobManagerTask.environmentSettings[0] (number)") != std::string::npos);
  CHECK(message_of(R"({"id": 7, "jobManagerTask": {"containerSettings": {}}})").find("id (number)") != std::string::npos);
  CHECK(message_of(R"({"id": "j", "commonEnvironmentSettings": 1, "jobManagerTask": {"containerSettings": {}}})")
            .find("commonEnvironmentSettings (number)") != std::string::npos);
  CHECK(message_of(R"({"id": "j", "jobPreparationTask": {"id": 1, "containerSettings": {}}})")
            .find("jobPreparationTask.id (number)") != std::string::npos);
  CHECK(message_of(R"({"id": "j", "jobManagerTask": {"containerSettings": {}}, "jobReleaseTask": {"id": 2}})")
            .find("jobReleaseTask.id (number)") != std::string::npos);
  CHECK(message_of(R"({"id": "t", "containerSettings": null})").find("null") != std::string::npos);
  CHECK(message_of(R"([1])").find("array") != std::string::npos);
  CHECK(message_of(R"({"id": "t", "commandLine": "x"})").find("without containerSettings") != std::string::npos);
}

TEST_CASE("JSON: OCI config.json into a container record") {
  const auto oci = parse_oci_config(json::parse(R"({
    "ociVersion": "1.0.2",
    "process": {"env": ["PATH=/usr/bin", "A=b=c", "BARE"], "cwd": "/mnt/batch/tasks/x/wd"},
    "mounts": [
      {"destination": "/proc", "type": "proc", "source": "proc"},
      {"destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid"]},
      {"destination": "/a", "type": "bind", "source": "/h/a", "options": ["rbind", "rprivate", "rro"]},
      {"destination": "/b", "source": "/h/b", "options": ["rbind", "ro"]},
      {"destination": "/c", "source": "/h/c", "options": ["bind"]},
      {"destination": "C:\\d", "source": "D:\\d", "options": ["ro"]}
    ]})"));
  REQUIRE(oci);
  REQUIRE(oci->mounts.size() == 4);
  CHECK(oci->mounts[0].read_only);
  CHECK(oci->mounts[0].recursive);
  CHECK(oci->mounts[1].read_only);
  CHECK_FALSE(oci->mounts[1].recursive);
  CHECK_FALSE(oci->mounts[2].read_only);
  CHECK(oci->mounts[3].container_path == "C:\\d");  // Windows: no type
  CHECK(oci->environment == std::vector<env_var>{{"PATH", "/usr/bin"}, {"A", "b=c"}, {"BARE", ""}});
  CHECK(oci->working_directory == "/mnt/batch/tasks/x/wd");
  CHECK(container_document_format(json::parse(R"({"ociVersion": "1"})")) == "oci");
  CHECK(parse_container_json(json::parse(R"({"process": {}, "mounts": []})"))->mounts.empty());

  const auto message_of = [](const char* text) {
    const auto parsed = parse_container_json(json::parse(text));
    REQUIRE_FALSE(parsed);
    return parsed.error().message();
  };
  CHECK(message_of(R"({"ociVersion": "1", "mounts": {}})").find("mounts (object)") != std::string::npos);
  CHECK(message_of(R"({"ociVersion": "1", "mounts": [3]})").find("mounts[0] (number)") != std::string::npos);
  CHECK(message_of(R"({"ociVersion": "1", "mounts": [{"source": 1}]})").find("mounts[0].source (number)") != std::string::npos);
  CHECK(message_of(R"({"ociVersion": "1", "mounts": [{"options": "ro"}]})").find("mounts[0].options (string)") != std::string::npos);
  CHECK(message_of(R"({"ociVersion": "1", "mounts": [{"options": ["ro", 1]}]})").find("mounts[0].options[1] (number)") != std::string::npos);
  CHECK(message_of(R"({"ociVersion": "1", "process": []})").find("process (array)") != std::string::npos);
  CHECK(message_of(R"({"ociVersion": "1", "process": {"env": "A=b"}})").find("process.env (string)") != std::string::npos);
  CHECK(message_of(R"({"ociVersion": "1", "process": {"cwd": 1}})").find("process.cwd (number)") != std::string::npos);
  CHECK(message_of(R"({"something": "else"})").find("neither an OCI config.json, docker inspect nor crictl inspect output") != std::string::npos);
  CHECK(message_of(R"("text")").find("neither") != std::string::npos);
  CHECK(parse_oci_config(json::parse("[]")).error().code() == error_code::invalid_json);
}

TEST_CASE("JSON: docker inspect into a container record") {
  const auto inspected = parse_container_json(json::parse(R"([{
    "Mounts": [
      {"Type": "bind", "Source": "/h/a", "Destination": "/a", "RW": false},
      {"Type": "bind", "Source": "/h/b", "Destination": "/b", "RW": false},
      {"Type": "bind", "Source": "/h/c", "Destination": "/c", "RW": true},
      {"Type": "volume", "Name": "v", "Source": "/var/lib/docker/volumes/v/_data", "Destination": "/v", "RW": true}
    ],
    "HostConfig": {
      "Binds": ["/h/b:/b:ro"],
      "Mounts": [{"Type": "bind", "Source": "/h/a", "Target": "/a", "ReadOnly": true,
                  "BindOptions": {"Propagation": "rprivate", "ReadOnlyForceRecursive": true}}]
    },
    "Config": {"Env": ["PATH=/usr/bin", "X=1"], "WorkingDir": ""}
  }])"));
  REQUIRE(inspected);
  REQUIRE(inspected->mounts.size() == 3);
  CHECK(inspected->mounts[0].read_only);
  CHECK(inspected->mounts[0].recursive);
  CHECK(inspected->mounts[1].read_only);
  CHECK_FALSE(inspected->mounts[1].recursive);  // a -v bind: not recursive
  CHECK_FALSE(inspected->mounts[2].read_only);
  CHECK(inspected->environment.size() == 2);
  CHECK(!inspected->working_directory);  // "" is the image's default

  // Without Mounts[] (a created, never started container): HostConfig is read.
  const auto created = parse_docker_inspect(json::parse(R"({
    "HostConfig": {
      "Binds": ["/h/b:/b:ro,rprivate", "C:\\data:C:\\in", "named:/v", "bare"],
      "Mounts": [{"Type": "bind", "Source": "/h/a", "Target": "/a", "ReadOnly": true,
                  "BindOptions": {"ReadOnlyForceRecursive": true, "ReadOnlyNonRecursive": true}},
                 {"Type": "tmpfs", "Target": "/t"}]
    },
    "Config": {"WorkingDir": "/w"}})"));
  REQUIRE(created);
  REQUIRE(created->mounts.size() == 4);
  CHECK(created->mounts[0].host_path == "/h/a");
  CHECK_FALSE(created->mounts[0].recursive);  // ReadOnlyNonRecursive wins
  CHECK(created->mounts[1].read_only);
  CHECK(created->mounts[2].host_path == "C:\\data");
  CHECK(created->mounts[2].container_path == "C:\\in");
  CHECK(created->mounts[3].host_path == "named");  // a volume: verify puts it out of scope
  CHECK(created->working_directory == "/w");

  const auto message_of = [](const char* text) {
    const auto parsed = parse_docker_inspect(json::parse(text));
    REQUIRE_FALSE(parsed);
    return parsed.error().message();
  };
  CHECK(message_of("[]").find("docker inspect output of 0 containers") != std::string::npos);
  CHECK(message_of("[1]").find("number") != std::string::npos);
  CHECK(message_of(R"([{"Mounts": {}}])").find("[0].Mounts (object)") != std::string::npos);
  CHECK(message_of(R"({"Mounts": [1]})").find("Mounts[0] (number)") != std::string::npos);
  CHECK(message_of(R"({"Mounts": [{"Source": 1}]})").find("Mounts[0].Source (number)") != std::string::npos);
  CHECK(message_of(R"({"Mounts": [{"RW": "yes"}]})").find("Mounts[0].RW (string)") != std::string::npos);
  CHECK(message_of(R"({"HostConfig": 1})").find("HostConfig (number)") != std::string::npos);
  CHECK(message_of(R"({"HostConfig": {"Mounts": {}}})").find("HostConfig.Mounts (object)") != std::string::npos);
  CHECK(message_of(R"({"HostConfig": {"Mounts": ["x"]}})").find("HostConfig.Mounts[0] (string)") != std::string::npos);
  CHECK(message_of(R"({"HostConfig": {"Mounts": [{"Target": 2}]}})").find("HostConfig.Mounts[0].Target (number)") != std::string::npos);
  CHECK(message_of(R"({"HostConfig": {"Mounts": [{"ReadOnly": 1}]}})").find("HostConfig.Mounts[0].ReadOnly (number)") != std::string::npos);
  CHECK(message_of(R"({"HostConfig": {"Mounts": [{"BindOptions": []}]}})").find("HostConfig.Mounts[0].BindOptions (array)") != std::string::npos);
  CHECK(message_of(R"({"HostConfig": {"Mounts": [{"BindOptions": {"ReadOnlyForceRecursive": 1}}]}})")
            .find("BindOptions.ReadOnlyForceRecursive (number)") != std::string::npos);
  CHECK(message_of(R"({"HostConfig": {"Mounts": [{"BindOptions": {"ReadOnlyNonRecursive": "no"}}]}})")
            .find("BindOptions.ReadOnlyNonRecursive (string)") != std::string::npos);
  CHECK(message_of(R"({"HostConfig": {"Binds": [1]}})").find("HostConfig.Binds[0] (number)") != std::string::npos);
  CHECK(message_of(R"({"Config": []})").find("Config (array)") != std::string::npos);
  CHECK(message_of(R"({"Config": {"Env": [2]}})").find("Config.Env[0] (number)") != std::string::npos);
  CHECK(message_of(R"({"Config": {"WorkingDir": 2}})").find("Config.WorkingDir (number)") != std::string::npos);
}
