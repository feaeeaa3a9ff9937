#include "batchmount/render/env_file.hpp"

#include "render_fixture.hpp"

using namespace batchmount;

TEST_CASE("env file: NAME=VALUE a line, the container's values") {
  const auto f = fixture::resolve(node_os::windows_node, "D:\\batch\\tasks", {{"Task", false}});
  const auto text = render_env_file(f.environment);
  REQUIRE(text);
  std::string expected;
  for (const auto& line : fixture::env_strings(f.environment)) (expected += line) += '\n';
  CHECK(*text == expected);
  CHECK(text->find("AZ_BATCH_TASK_DIR=C:\\batch\\tasks\\workitems\\job\\job-1\\task1\n") != std::string::npos);
  CHECK(text->find("AZ_BATCH_NODE_SHARED_DIR") == std::string::npos);
}

TEST_CASE("env file: a newline or carriage return is refused; the NUL form carries it") {
  for (const char* value : {"a\nb", "a\r", "\n"}) {
    const auto f = fixture::resolve(node_os::linux_node, "/mnt/batch/tasks", {{"Task", false}}, std::nullopt,
                                    {{"X", value}});
    const auto text = render_env_file(f.environment);
    REQUIRE_FALSE(text);
    CHECK(text.error().code() == error_code::newline_in_line_output);
    CHECK(text.error().message().find("NUL-separated") != std::string::npos);
    const auto nul = render_env_file(f.environment, record_separator::nul);
    REQUIRE(nul);
    CHECK(nul->find(std::string("X=") + value + '\0') != std::string::npos);
  }
}

TEST_CASE("env file: names docker would read as a comment or trim are refused") {
  for (const char* name : {"#X", " X", "\tX"}) {
    const auto f = fixture::resolve(node_os::linux_node, "/mnt/batch/tasks", {{"Task", false}}, std::nullopt,
                                    {{name, "1"}});
    const auto text = render_env_file(f.environment);
    REQUIRE_FALSE(text);
    CHECK(text.error().code() == error_code::env_file_name);
    CHECK(text.error().value() == name);
    CHECK(render_env_file(f.environment, record_separator::nul).has_value());
  }
}
