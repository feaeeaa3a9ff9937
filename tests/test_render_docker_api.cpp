#include "batchmount/render/docker_api.hpp"

#include <utility>

#include <nlohmann/json.hpp>

#include "render_fixture.hpp"

using namespace batchmount;
using nlohmann::json;

TEST_CASE("Docker API: Linux binds, rprivate, recursive read-only forced") {
  const auto f = fixture::resolve(node_os::linux_node, fixture::linux_awkward_root,
                                  {{"Shared", false}, {"Task", true}});
  const auto text = render_docker_api(f.resolution, f.environment);
  REQUIRE(text);
  const auto doc = json::parse(*text);
  const auto& mounts = doc["HostConfig"]["Mounts"];
  REQUIRE(mounts.size() == 2);
  CHECK(mounts[0] == json{{"Type", "bind"},
                          {"Source", fixture::linux_awkward_root + "/shared"},
                          {"Target", fixture::linux_awkward_root + "/shared"},
                          {"ReadOnly", false},
                          {"BindOptions", {{"Propagation", "rprivate"}}}});
  CHECK(mounts[1]["ReadOnly"] == true);
  CHECK(mounts[1]["BindOptions"] == json{{"Propagation", "rprivate"}, {"ReadOnlyForceRecursive", true}});
  CHECK(mounts[1]["Source"] == f.resolution.mounts[1].host_path);
  CHECK(doc["Env"].get<std::vector<std::string>>() == fixture::env_strings(f.environment));
  CHECK(doc["WorkingDir"] == *f.resolution.working_directory);
}

TEST_CASE("Docker API: Windows mounts carry no bind options; no WorkingDir for the image default") {
  const auto f = fixture::resolve(node_os::windows_node, fixture::windows_awkward_root,
                                  {{"Applications", true}}, "containerImageDefault");
  const auto doc = json::parse(*render_docker_api(f.resolution, f.environment));
  CHECK(doc["HostConfig"]["Mounts"] == json{{{"Type", "bind"},
                                             {"Source", fixture::windows_awkward_root + "\\applications"},
                                             {"Target", "C:\\b\xc3\xa4tch, x=y 'q'\\tasks\\applications"},
                                             {"ReadOnly", true}}});
  CHECK_FALSE(doc.contains("WorkingDir"));
}

TEST_CASE("Docker API: a null list is one read/write mount of the root") {
  const auto context = make_context(context_options::job_task("job", "t"));
  const auto r = resolve(container_request{}, *context);
  const auto env = filter_environment(*r, {});
  const auto doc = json::parse(*render_docker_api(*r, *env));
  REQUIRE(doc["HostConfig"]["Mounts"].size() == 1);
  CHECK(doc["HostConfig"]["Mounts"][0]["Source"] == "/mnt/batch/tasks");
  CHECK(doc["HostConfig"]["Mounts"][0]["ReadOnly"] == false);
  CHECK(doc["Env"] == json::array());
}

TEST_CASE("Docker API: an engine before 1.44 is refused read-only mounts, unless the caller accepts") {
  const auto f = fixture::resolve(node_os::linux_node, "/mnt/batch/tasks", {{"Shared", false}, {"Task", true}});
  docker_engine old{docker_api_version{1, 41}, false};
  const auto refused = render_docker_api(f.resolution, f.environment, old);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code() == error_code::docker_api_without_recursive_read_only);
  old.accept_non_recursive_read_only = true;
  const auto doc = json::parse(*render_docker_api(f.resolution, f.environment, old));
  CHECK(doc["HostConfig"]["Mounts"][1]["ReadOnly"] == true);
  CHECK(doc["HostConfig"]["Mounts"][1]["BindOptions"] == json{{"Propagation", "rprivate"}});
  const auto rw = fixture::resolve(node_os::linux_node, "/mnt/batch/tasks", {{"Task", false}});
  CHECK(render_docker_api(rw.resolution, rw.environment, docker_engine{docker_api_version{1, 41}, false}));
}

TEST_CASE("Docker API: the 1.44 boundary itself (1.43 cannot make a bind recursively read-only, 1.44 can)") {
  const auto f = fixture::resolve(node_os::linux_node, "/mnt/batch/tasks", {{"Task", true}});
  // Written from Docker's documentation, not from the library's constant: ReadOnlyForceRecursive
  // arrived with API 1.44 (Docker 25).
  const std::pair<docker_api_version, bool> versions[] = {
      {{1, 43}, false}, {{1, 44}, true}, {{1, 45}, true}, {{1, 9}, false}, {{0, 99}, false}, {{2, 0}, true}};
  for (const auto& [version, recursive] : versions) {
    CAPTURE(version.major, version.minor);
    const docker_engine engine{version, false};
    CHECK(engine.recursive_read_only() == recursive);
    const auto rendered = render_docker_api(f.resolution, f.environment, engine);
    REQUIRE(rendered.has_value() == recursive);
    if (recursive) {
      const auto doc = json::parse(*rendered);
      CHECK(doc["HostConfig"]["Mounts"][0]["BindOptions"]["ReadOnlyForceRecursive"] == true);
    } else {
      CHECK(rendered.error().code() == error_code::docker_api_without_recursive_read_only);
    }
  }
  CHECK(*parse_docker_api_version("1.43") < *parse_docker_api_version("1.44"));
  CHECK_FALSE(*parse_docker_api_version("1.44") < *parse_docker_api_version("1.44"));
}
