#include "batchmount/render/oci.hpp"

#include <nlohmann/json.hpp>

#include "render_fixture.hpp"

using namespace batchmount;
using nlohmann::json;

TEST_CASE("OCI: Linux mounts are rbind/rprivate binds, read-only is recursive (rro)") {
  const auto f = fixture::resolve(node_os::linux_node, fixture::linux_awkward_root,
                                  {{"VfsMounts", true}, {"Task", false}}, std::nullopt,
                                  {{"NOTE", "a \"quoted\"\nline\twith\\slash \x01\r\x7f"}});
  const auto text = render_oci(f.resolution, f.environment);
  REQUIRE(text);
  const auto doc = json::parse(*text);
  REQUIRE(doc["mounts"].size() == 2);
  for (std::size_t i = 0; i < 2; ++i) {
    const auto& m = f.resolution.mounts[i];
    const auto& out = doc["mounts"][i];
    CHECK(out["destination"] == m.container_path);
    CHECK(out["source"] == m.host_path);
    CHECK(out["type"] == "bind");
    CHECK(out["options"] == (m.read_only ? json{"rbind", "rprivate", "rro"} : json{"rbind", "rprivate"}));
  }
  CHECK(doc["mounts"][0]["source"] == fixture::linux_awkward_root + "/fsmounts");
  CHECK(doc["process"]["env"].get<std::vector<std::string>>() == fixture::env_strings(f.environment));
  CHECK(doc["process"]["cwd"] == fixture::linux_awkward_root + "/workitems/job/job-1/task1/wd");
  CHECK(text->find("\\r\\u007f") != std::string::npos);  // control characters escaped
}

TEST_CASE("OCI: plain ro only on request, for runtimes without rro") {
  const auto f = fixture::resolve(node_os::linux_node, "/mnt/batch/tasks", {{"Task", true}});
  const auto doc = json::parse(*render_oci(f.resolution, f.environment, oci_options{false}));
  CHECK(doc["mounts"][0]["options"] == json{"rbind", "rprivate", "ro"});
}

TEST_CASE("OCI: Windows mounts use the Windows form and no cwd for the image default") {
  const auto f = fixture::resolve(node_os::windows_node, fixture::windows_awkward_root,
                                  {{"Shared", true}, {"Startup", false}}, "containerImageDefault");
  const auto doc = json::parse(*render_oci(f.resolution, f.environment));
  REQUIRE(doc["mounts"].size() == 2);
  CHECK(doc["mounts"][0] == json{{"destination", "C:\\b\xc3\xa4tch, x=y 'q'\\tasks\\shared"},
                                 {"source", fixture::windows_awkward_root + "\\shared"},
                                 {"options", {"ro"}}});
  CHECK(doc["mounts"][1]["options"] == json::array());
  CHECK_FALSE(doc["mounts"][1].contains("type"));
  CHECK_FALSE(doc["process"].contains("cwd"));
  CHECK(doc["process"]["env"].get<std::vector<std::string>>() == fixture::env_strings(f.environment));
}

TEST_CASE("JSON output refuses what is not UTF-8 instead of writing invalid JSON") {
  const auto f = fixture::resolve(node_os::linux_node, "/srv/\xff/tasks", {{"Task", true}});
  const auto text = render_oci(f.resolution, f.environment);
  REQUIRE_FALSE(text);
  CHECK(text.error().code() == error_code::output_needs_utf8);
  CHECK(text.error().value().find("/srv/\xff/tasks") == 0);
}

TEST_CASE("the UTF-8 check is strict") {
  STATIC_REQUIRE(detail::is_valid_utf8("plain"));
  STATIC_REQUIRE(detail::is_valid_utf8("b\xc3\xa4tch \xe2\x82\xac \xf0\x9f\x98\x80"));
  STATIC_REQUIRE_FALSE(detail::is_valid_utf8("\xc3"));              // truncated
  STATIC_REQUIRE_FALSE(detail::is_valid_utf8("\xc0\xaf"));          // overlong '/'
  STATIC_REQUIRE_FALSE(detail::is_valid_utf8("\xe0\x80\xaf"));      // overlong
  STATIC_REQUIRE_FALSE(detail::is_valid_utf8("\xed\xa0\x80"));      // surrogate
  STATIC_REQUIRE_FALSE(detail::is_valid_utf8("\xf4\x90\x80\x80"));  // past U+10FFFF
  STATIC_REQUIRE_FALSE(detail::is_valid_utf8("\x80"));
  STATIC_REQUIRE_FALSE(detail::is_valid_utf8("\xe2\x82"));
  // The same at run time, where the renderers call it.
  const std::string emoji = "\xf0\x9f\x98\x80", surrogate = "\xed\xa0\x80";
  CHECK(detail::is_valid_utf8(emoji));
  CHECK_FALSE(detail::is_valid_utf8(surrogate));
}
