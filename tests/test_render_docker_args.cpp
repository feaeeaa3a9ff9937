#include "batchmount/render/docker_args.hpp"

#include <map>
#include <string>
#include <vector>

#include "render_fixture.hpp"

using namespace batchmount;

namespace {
// An independent RFC 4180 reader, as Go's encoding/csv (which the docker CLI uses) reads
// one record: fields split on commas; a field starting with '"' runs to the closing quote,
// with "" standing for one quote.
std::vector<std::string> read_csv_record(const std::string& text) {
  std::vector<std::string> fields(1);
  bool quoted = false, at_field_start = true;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"' && at_field_start) {
      quoted = true;
      at_field_start = false;
    } else if (c == ',') {
      fields.emplace_back();
      at_field_start = true;
    } else {
      REQUIRE(c != '"');  // a bare quote inside an unquoted field is an error in Go's reader
      fields.back() += c;
      at_field_start = false;
    }
  }
  REQUIRE_FALSE(quoted);
  return fields;
}

std::map<std::string, std::string> mount_fields(const std::string& value) {
  std::map<std::string, std::string> out;
  for (const auto& field : read_csv_record(value)) {
    const auto eq = field.find('=');
    out[field.substr(0, eq)] = eq == std::string::npos ? "" : field.substr(eq + 1);
  }
  return out;
}
}  // namespace

TEST_CASE("--mount values read back as the exact paths, whatever they hold") {
  for (const node_os os : {node_os::linux_node, node_os::windows_node}) {
    const auto& root = os == node_os::linux_node ? fixture::linux_awkward_root : fixture::windows_awkward_root;
    const auto f = fixture::resolve(os, root, {{"Shared", false}, {"Task", true}});
    const auto args = docker_args(f.resolution, f.environment);
    std::size_t mounts = 0;
    for (std::size_t i = 0; i < args.size(); ++i) {
      if (args[i] != "--mount") continue;
      const auto& spec = f.resolution.mounts[mounts++];
      const auto fields = mount_fields(args[i + 1]);
      CHECK(fields.at("type") == "bind");
      CHECK(fields.at("source") == spec.host_path);
      CHECK(fields.at("target") == spec.container_path);
      CHECK(fields.count("readonly") == (spec.read_only ? 1u : 0u));
      if (os == node_os::linux_node) {
        CHECK(fields.at("bind-propagation") == "rprivate");
        CHECK(fields.count("bind-recursive") == (spec.read_only ? 1u : 0u));
        if (spec.read_only) CHECK(fields.at("bind-recursive") == "readonly");
      } else {
        CHECK(fields.count("bind-propagation") == 0);
      }
    }
    CHECK(mounts == f.resolution.mounts.size());
  }
}

TEST_CASE("plain paths are not quoted; never -v") {
  const auto f = fixture::resolve(node_os::linux_node, "/mnt/batch/tasks", {{"Task", true}});
  const auto args = docker_args(f.resolution, f.environment);
  REQUIRE(args.size() >= 2);
  CHECK(args[0] == "--mount");
  CHECK(args[1] ==
        "type=bind,source=/mnt/batch/tasks/workitems/job/job-1/task1,target=/mnt/batch/tasks/workitems/job/"
        "job-1/task1,readonly,bind-propagation=rprivate,bind-recursive=readonly");
  for (const auto& a : args) CHECK(a != "-v");
  CHECK(args[args.size() - 2] == "--workdir");
  CHECK(args.back() == "/mnt/batch/tasks/workitems/job/job-1/task1/wd");
  std::vector<std::string> envs;
  for (std::size_t i = 0; i + 1 < args.size(); ++i)
    if (args[i] == "--env") envs.push_back(args[i + 1]);
  CHECK(envs == fixture::env_strings(f.environment));
}

TEST_CASE("one argument a line, or NUL-terminated when a value holds a newline") {
  const auto f = fixture::resolve(node_os::linux_node, "/mnt/batch/tasks", {{"Task", false}},
                                  "containerImageDefault", {{"MULTI", "a\nb"}});
  const auto lines = render_docker_args(f.resolution, f.environment);
  REQUIRE_FALSE(lines);
  CHECK(lines.error().code() == error_code::newline_in_line_output);
  CHECK(lines.error().value() == "MULTI=a\nb");
  const auto nul = render_docker_args(f.resolution, f.environment, record_separator::nul);
  REQUIRE(nul);
  const auto args = docker_args(f.resolution, f.environment);
  std::string expected;
  for (const auto& a : args) (expected += a) += '\0';
  CHECK(*nul == expected);
  CHECK(nul->find("MULTI=a\nb") != std::string::npos);
}

TEST_CASE("csv_field quotes only when it must") {
  CHECK(detail::csv_field("source=/a b") == "source=/a b");
  CHECK(detail::csv_field("source=/a,b") == "\"source=/a,b\"");
  CHECK(detail::csv_field("source=/a\"b") == "\"source=/a\"\"b\"");
  CHECK(detail::csv_field(" x") == "\" x\"");
  CHECK(detail::csv_field("source=C:\\a\\b") == "source=C:\\a\\b");
}

TEST_CASE("docker args: an engine before 1.44 gets no bind-recursive, only when the caller accepts") {
  const auto f = fixture::resolve(node_os::linux_node, "/mnt/batch/tasks", {{"Task", true}});
  docker_engine old{docker_api_version{1, 41}, false};
  CHECK(render_docker_args(f.resolution, f.environment, record_separator::newline, old).error().code() ==
        error_code::docker_api_without_recursive_read_only);
  old.accept_non_recursive_read_only = true;
  const auto args = docker_args(f.resolution, f.environment, old);
  REQUIRE(args.size() > 2);
  CHECK(args[1] == "type=bind,source=/mnt/batch/tasks/workitems/job/job-1/task1,"
                   "target=/mnt/batch/tasks/workitems/job/job-1/task1,readonly,bind-propagation=rprivate");
  CHECK(render_docker_args(f.resolution, f.environment, record_separator::newline, old)->find("bind-recursive") ==
        std::string::npos);
}
