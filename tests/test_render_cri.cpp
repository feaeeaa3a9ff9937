#include "batchmount/render/cri.hpp"

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "batchmount/adapters/nlohmann_json.hpp"
#include "batchmount/render/docker_engine.hpp"
#include "render_fixture.hpp"

using namespace batchmount;
using nlohmann::json;

namespace {
// The CRI KeyValue list a container environment should become, in its order.
json expected_envs(const container_environment& env) {
  json out = json::array();
  for (const auto& v : env.variables()) out.push_back({{"key", v.name}, {"value", v.value}});
  return out;
}

cri_runtime runtime(std::string_view version, bool accept = false) {
  const auto parsed = parse_cri_runtime_version(version);
  REQUIRE(parsed);
  return cri_runtime{*parsed, accept};
}
}  // namespace

TEST_CASE("CRI: Linux mounts as CRI Mounts, private propagation, recursive read-only on containerd 2.0") {
  const auto f = fixture::resolve(node_os::linux_node, fixture::linux_awkward_root, {{"Shared", false}, {"Task", true}});
  const auto text = render_cri(f.resolution, f.environment);
  REQUIRE(text);
  const auto doc = json::parse(*text);
  const std::string task = fixture::linux_awkward_root + "/workitems/job/job-1/task1";
  CHECK(doc["mounts"] == json{{{"containerPath", fixture::linux_awkward_root + "/shared"},
                               {"hostPath", fixture::linux_awkward_root + "/shared"},
                               {"readonly", false},
                               {"propagation", "PROPAGATION_PRIVATE"}},
                              {{"containerPath", task},
                               {"hostPath", task},
                               {"readonly", true},
                               {"propagation", "PROPAGATION_PRIVATE"},
                               {"recursiveReadOnly", true}}});
  CHECK(doc["envs"] == expected_envs(f.environment));
  CHECK(doc["workingDir"] == task + "/wd");
  // Only the three ContainerConfig fields batchmount decides.
  CHECK(doc.size() == 3);
  // The same result for an explicit 2.0 runtime and a later one.
  CHECK(render_cri(f.resolution, f.environment, runtime("v2.0.0")).value() == *text);
  CHECK(render_cri(f.resolution, f.environment, runtime("2.1.3")).value() == *text);
}

TEST_CASE("CRI: Windows maps D:\\ to C:\\, carries no recursiveReadOnly, omits workingDir for the image default") {
  const auto f = fixture::resolve(node_os::windows_node, fixture::windows_awkward_root, {{"Applications", true}},
                                  "containerImageDefault");
  const auto doc = json::parse(*render_cri(f.resolution, f.environment, runtime("1.7.24")));
  CHECK(doc["mounts"] == json{{{"containerPath", "C:\\b\xc3\xa4tch, x=y 'q'\\tasks\\applications"},
                               {"hostPath", fixture::windows_awkward_root + "\\applications"},
                               {"readonly", true},
                               {"propagation", "PROPAGATION_PRIVATE"}}});
  CHECK_FALSE(doc.contains("workingDir"));
  CHECK(doc["envs"] == expected_envs(f.environment));
}

TEST_CASE("CRI: a null list is one read/write mount of the root; an empty list none") {
  const auto context = make_context(context_options::job_task("job", "t"));
  const auto whole = resolve(container_request{}, *context);
  const auto doc = json::parse(*render_cri(*whole, *filter_environment(*whole, {})));
  CHECK(doc["mounts"] == json{{{"containerPath", "/mnt/batch/tasks"},
                               {"hostPath", "/mnt/batch/tasks"},
                               {"readonly", false},
                               {"propagation", "PROPAGATION_PRIVATE"}}});
  CHECK(doc["envs"] == json::array());
  const std::vector<bind_mount_entry> nothing;
  const auto none = resolve(container_request{nothing, std::string_view("containerImageDefault")}, *context);
  REQUIRE(none);
  const auto empty = json::parse(*render_cri(*none, *filter_environment(*none, {})));
  CHECK(empty == json{{"mounts", json::array()}, {"envs", json::array()}});
}

TEST_CASE("CRI: runtime versions as CRI's Version reports them") {
  struct row {
    std::string_view text;
    unsigned major, minor, patch;
    bool prerelease, recursive;
  };
  // containerd 2.0.0 is the first release with recursive read-only; 1.x ignores the field.
  const row rows[] = {
      {"1.6.20~ds1", 1, 6, 20, false, false}, {"v1.7.24", 1, 7, 24, false, false}, {"1.6", 1, 6, 0, false, false},
      {"v2.0.0", 2, 0, 0, false, true},       {"2.0.0", 2, 0, 0, false, true},      {"2.0.0~ds1", 2, 0, 0, false, true},
      {"2.0.0+unknown", 2, 0, 0, false, true}, {"2.0.0-rc.1", 2, 0, 0, true, false}, {"2.0.0~rc1", 2, 0, 0, true, false},
      {"v2.0.0-beta.2", 2, 0, 0, true, false}, {"2.0.0~Alpha1", 2, 0, 0, true, false}, {"2.0.1-rc.0", 2, 0, 1, true, true},
      {"2.1", 2, 1, 0, false, true},           {"V3.0.0", 3, 0, 0, false, true},     {"1.99.99", 1, 99, 99, false, false},
  };
  for (const auto& r : rows) {
    CAPTURE(r.text);
    const auto v = parse_cri_runtime_version(r.text);
    REQUIRE(v);
    CHECK(v->major == r.major);
    CHECK(v->minor == r.minor);
    CHECK(v->patch == r.patch);
    CHECK(v->prerelease == r.prerelease);
    CHECK(v->recursive_read_only() == r.recursive);
    CHECK(cri_runtime{*v, false}.recursive_read_only() == r.recursive);
  }
  for (const std::string_view bad : {"", "v", "1", "1.", "1.6.", "1.6.20.1", "x1.6", "1.6 ", "1.6~", "1.6-", "1.6+",
                                     "1.6.20~ds 1", "1234567.0", "1.-6", ".6", "1.6_x", "containerd 1.6"}) {
    CAPTURE(bad);
    const auto v = parse_cri_runtime_version(bad);
    REQUIRE_FALSE(v);
    CHECK(v.error().code() == error_code::invalid_cri_runtime_version);
    CHECK(v.error().value() == bad);
  }
  static_assert(parse_cri_runtime_version("1.6.20~ds1").value().minor == 6, "usable in constant expressions");
  CHECK(cri_runtime{}.recursive_read_only());
}

TEST_CASE("CRI: before containerd 2.0 read-only Linux mounts are refused, unless non-recursive is accepted") {
  const auto f = fixture::resolve(node_os::linux_node, "/mnt/batch/tasks", {{"Shared", true}, {"Task", false}, {"Startup", true}});
  const auto refused = render_cri(f.resolution, f.environment, runtime("1.6.20~ds1"));
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code() == error_code::cri_runtime_without_recursive_read_only);
  CHECK(refused.error().value() == "/mnt/batch/tasks/shared");  // the first read-only mount
  CHECK(refused.error().message().find("containerd 2.0") != std::string::npos);
  CHECK(cri_runtime_warnings(f.resolution, runtime("1.6.20~ds1")).error() == refused.error());

  const auto accepted = runtime("1.6.20~ds1", true);
  const auto warnings = cri_runtime_warnings(f.resolution, accepted);
  REQUIRE(warnings);
  REQUIRE(warnings->size() == 2);  // Shared and Startup
  CHECK((*warnings)[0].find("/mnt/batch/tasks/shared") != std::string::npos);
  CHECK((*warnings)[1].find("/mnt/batch/tasks/startup") != std::string::npos);
  const auto doc = json::parse(*render_cri(f.resolution, f.environment, accepted));
  for (const auto& m : doc["mounts"]) {
    CAPTURE(m.dump());
    CHECK_FALSE(m.contains("recursiveReadOnly"));  // 1.6 would ignore it: never promised
  }
  CHECK(doc["mounts"][0]["readonly"] == true);

  // Nothing to refuse: read/write only on Linux, or Windows (no submounts to protect).
  const auto rw = fixture::resolve(node_os::linux_node, "/mnt/batch/tasks", {{"Task", false}});
  CHECK(render_cri(rw.resolution, rw.environment, runtime("1.6.20~ds1")));
  CHECK(cri_runtime_warnings(rw.resolution, runtime("1.6.20~ds1"))->empty());
  const auto windows = fixture::resolve(node_os::windows_node, "D:\\batch\\tasks", {{"Task", true}});
  CHECK(render_cri(windows.resolution, windows.environment, runtime("1.6.20~ds1")));
  // A pre-release of 2.0.0 is treated as before it.
  CHECK(render_cri(f.resolution, f.environment, runtime("2.0.0-rc.1")).error().code() ==
        error_code::cri_runtime_without_recursive_read_only);
}

TEST_CASE("CRI: the Docker and CRI renderers share one rule for non-recursive read-only") {
  const auto f = fixture::resolve(node_os::linux_node, "/mnt/batch/tasks", {{"Shared", true}, {"Task", true}});
  const auto docker = docker_engine_warnings(f.resolution, docker_engine{docker_api_version{1, 41}, true});
  const auto cri = cri_runtime_warnings(f.resolution, runtime("1.6.20~ds1", true));
  REQUIRE(docker);
  REQUIRE(cri);
  REQUIRE(docker->size() == cri->size());
  for (std::size_t i = 0; i < cri->size(); ++i) {
    // The same sentence, naming the same mount; only the runtime's description differs.
    const auto tail = std::string(" leaves its submounts writable");
    CHECK((*docker)[i].substr(0, (*docker)[i].find(": ")) == (*cri)[i].substr(0, (*cri)[i].find(": ")));
    CHECK((*cri)[i].substr((*cri)[i].size() - tail.size()) == tail);
  }
  CHECK(docker_engine_warnings(f.resolution, docker_engine{docker_api_version{1, 41}, false}).error().value() ==
        cri_runtime_warnings(f.resolution, runtime("1.7.0")).error().value());
}

TEST_CASE("CRI: output needs UTF-8") {
  const auto f = fixture::resolve(node_os::linux_node, "/mnt/batch/tasks", {{"Task", false}}, std::nullopt,
                                  {{"MY_VAR", "bad \xff byte"}});
  const auto rendered = render_cri(f.resolution, f.environment);
  REQUIRE_FALSE(rendered);
  CHECK(rendered.error().code() == error_code::output_needs_utf8);
}

namespace {
// `crictl inspect` of a container created from a CRI rendering, as a runtime that honours
// every field reports it in status (proto3 JSON omits false booleans and default enums).
json status_document(const std::string& cri_text, bool echo_recursive) {
  json mounts = json::array();
  const json rendered = json::parse(cri_text);
  for (const auto& m : rendered["mounts"]) {
    json out = {{"containerPath", m["containerPath"]}, {"hostPath", m["hostPath"]}};
    if (m["readonly"] == true) out["readonly"] = true;
    if (echo_recursive && m.value("recursiveReadOnly", false)) out["recursiveReadOnly"] = true;
    mounts.push_back(out);
  }
  return {{"status", {{"id", "c0ffee"}, {"state", "CONTAINER_RUNNING"}, {"mounts", mounts}}}, {"info", json::object()}};
}
}  // namespace

TEST_CASE("crictl inspect: status only verifies the mounts, and says the environment was not checked") {
  const auto f = fixture::resolve(node_os::linux_node, "/mnt/batch/tasks", {{"Shared", true}, {"Task", false}});
  const auto text = *render_cri(f.resolution, f.environment);
  const auto doc = status_document(text, true);
  CHECK(container_document_format(doc) == "cri");
  const auto record = parse_container_json(doc);
  REQUIRE(record);
  CHECK_FALSE(record->process_reported);
  REQUIRE(record->mounts.size() == 2);
  CHECK(record->mounts[0].read_only);
  CHECK(record->mounts[0].recursive);
  CHECK_FALSE(record->mounts[1].read_only);
  const auto clean = verify(f.resolution, f.environment, *record);
  CHECK(clean.conforms());
  CHECK_FALSE(clean.process_checked);

  // containerd 1.6 drops recursiveReadOnly: the status does not echo it.
  const auto dropped = verify(f.resolution, f.environment, *parse_crictl_inspect(status_document(text, false)));
  REQUIRE(dropped.violations.size() == 1);
  CHECK(dropped.violations[0].kind == violation_class::read_only_not_recursive);
  CHECK(dropped.violations[0].path == data_path::shared);

  // snake_case field names (proto3 JSON parsers accept them) read the same.
  json snake = doc;
  for (auto& m : snake["status"]["mounts"]) {
    m["host_path"] = m["hostPath"], m["container_path"] = m["containerPath"];
    m.erase("hostPath"), m.erase("containerPath");
    if (m.contains("recursiveReadOnly")) m["recursive_read_only"] = m["recursiveReadOnly"], m.erase("recursiveReadOnly");
  }
  const auto from_snake = parse_crictl_inspect(snake);
  REQUIRE(from_snake);
  CHECK(from_snake->mounts == record->mounts);

  // A mount of the node root added by someone else.
  json exposed = doc;
  exposed["status"]["mounts"].push_back({{"containerPath", "/node"}, {"hostPath", "/mnt/batch/tasks"}});
  const auto flagged = verify(f.resolution, f.environment, *parse_crictl_inspect(exposed));
  REQUIRE(flagged.violations.size() == 1);
  CHECK(flagged.violations[0].kind == violation_class::exposes_unselected);
}

TEST_CASE("crictl inspect: info.runtimeSpec is what the container really got") {
  const auto f = fixture::resolve(node_os::linux_node, "/mnt/batch/tasks", {{"Shared", true}, {"Task", false}});
  json env = json::array();
  for (const auto& v : f.environment.variables()) env.push_back(v.name + "=" + v.value);
  const std::string task = "/mnt/batch/tasks/workitems/job/job-1/task1";
  const json spec = {
      {"ociVersion", "1.0.2-dev"},
      {"process", {{"env", env}, {"cwd", task + "/wd"}}},
      {"mounts",
       {{{"destination", "/proc"}, {"type", "proc"}, {"source", "proc"}, {"options", {"nosuid"}}},
        {{"destination", "/etc/hosts"}, {"type", "bind"}, {"source", "/var/lib/containerd/sandboxes/x/hosts"},
         {"options", {"rbind", "rprivate", "rw"}}},
        {{"destination", "/mnt/batch/tasks/shared"}, {"type", "bind"}, {"source", "/mnt/batch/tasks/shared"},
         {"options", {"rbind", "rprivate", "rro"}}},
        {{"destination", task}, {"type", "bind"}, {"source", task}, {"options", {"rbind", "rprivate", "rw"}}}}}};
  // The status claims more than the spec: the spec wins.
  json doc = status_document(*render_cri(f.resolution, f.environment), true);
  doc["info"] = {{"sandboxID", "s"}, {"pid", 42}, {"runtimeSpec", spec}};
  const auto record = parse_container_json(doc);
  REQUIRE(record);
  CHECK(record->process_reported);
  const auto clean = verify(f.resolution, f.environment, *record);
  CHECK(clean.conforms());
  CHECK(clean.process_checked);
  REQUIRE(clean.outside_scope.size() == 1);  // the sandbox's /etc/hosts
  CHECK(clean.outside_scope[0].container_path == "/etc/hosts");

  // containerd 1.6: "ro", not "rro", whatever the status says.
  doc["info"]["runtimeSpec"]["mounts"][2]["options"] = {"rbind", "rprivate", "ro"};
  const auto weak = verify(f.resolution, f.environment, *parse_container_json(doc));
  REQUIRE(weak.violations.size() == 1);
  CHECK(weak.violations[0].kind == violation_class::read_only_not_recursive);

  // The environment and working directory come from the spec too.
  doc["info"]["runtimeSpec"]["process"]["env"].push_back("LEAK=/mnt/batch/tasks/startup");
  doc["info"]["runtimeSpec"]["process"]["cwd"] = "/";
  std::vector<violation_class> kinds;
  for (const auto& v : verify(f.resolution, f.environment, *parse_container_json(doc)).violations) kinds.push_back(v.kind);
  CHECK(kinds == std::vector<violation_class>{violation_class::read_only_not_recursive, violation_class::leaked_variable,
                                              violation_class::working_directory});
}

TEST_CASE("crictl inspect: malformed documents name the field") {
  struct row {
    const char* document;
    error_code code;
    std::string_view value;
  };
  const row rows[] = {
      {R"({"status": 3})", error_code::invalid_json_type, "status (number)"},
      {R"({"info": []})", error_code::invalid_json_type, "info (array)"},
      {R"({"info": {"runtimeSpec": "x"}})", error_code::invalid_json_type, "info.runtimeSpec (string)"},
      {R"({"info": {"runtimeSpec": {"mounts": 1}}})", error_code::invalid_json_type, "info.runtimeSpec.mounts (number)"},
      {R"({"info": {}})", error_code::invalid_json, "crictl inspect output without status or info.runtimeSpec"},
      {R"({"status": {"mounts": {}}})", error_code::invalid_json_type, "status.mounts (object)"},
      {R"({"status": {"mounts": [1]}})", error_code::invalid_json_type, "status.mounts[0] (number)"},
      {R"({"status": {"mounts": [{"hostPath": 1, "containerPath": "/a"}]}})", error_code::invalid_json_type,
       "status.mounts[0].hostPath (number)"},
      {R"({"status": {"mounts": [{"host_path": "/a", "container_path": 2}]}})", error_code::invalid_json_type,
       "status.mounts[0].container_path (number)"},
      {R"({"status": {"mounts": [{"hostPath": "/a", "containerPath": "/a", "readonly": "yes"}]}})",
       error_code::invalid_json_type, "status.mounts[0].readonly (string)"},
      {R"({"status": {"mounts": [{"hostPath": "/a"}]}})", error_code::invalid_json,
       "status.mounts[0] without hostPath or containerPath"},
  };
  for (const auto& r : rows) {
    CAPTURE(r.document);
    const auto parsed = parse_container_json(json::parse(r.document));
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().code() == r.code);
    CHECK(parsed.error().value() == r.value);
  }
  CHECK(parse_crictl_inspect(json::array()).error().code() == error_code::invalid_json);
}
