#include "batchmount/result.hpp"

#include <string>

#include "catch.hpp"

using batchmount::error;
using batchmount::error_code;
using batchmount::result;

namespace {
constexpr result<int> halve(int n) {
  if (n % 2 != 0) return error(error_code::invalid_agent_version, "odd", 3);
  return n / 2;
}
}  // namespace

TEST_CASE("result holds a value or an error, spelled like std::expected") {
  STATIC_REQUIRE(halve(4).has_value());
  STATIC_REQUIRE(*halve(4) == 2);
  STATIC_REQUIRE(halve(4).value() == 2);
  STATIC_REQUIRE_FALSE(halve(3).has_value());
  STATIC_REQUIRE(halve(3).error().code() == error_code::invalid_agent_version);
  STATIC_REQUIRE(halve(3).error().index() == 3);
  STATIC_REQUIRE(halve(3).error().value() == "odd");

  const result<std::string> text = std::string("abc");
  REQUIRE(text);
  CHECK(text->size() == 3);
  result<std::string> moved = std::string("xyz");
  CHECK(std::move(moved).value() == "xyz");
}

TEST_CASE("an error's message names the rule, the entry index and the escaped value") {
  const error e(error_code::unknown_source, "Ta\"sk\n", 2);
  const std::string message = e.message();
  CHECK(message.find("source must be one of Shared, Applications, Startup, VfsMounts, JobPrep, Task") !=
        std::string::npos);
  CHECK(message.find("entry #2") != std::string::npos);
  CHECK(message.find("got \"Ta\\\"sk\\x0a\"") != std::string::npos);

  const error no_index(error_code::invalid_task_id, std::string_view("a\0b", 3));
  CHECK_FALSE(no_index.has_index());
  CHECK(no_index.message().find("entry #") == std::string::npos);
  CHECK(no_index.message().find("a\\x00b") != std::string::npos);
  // Bytes that are not UTF-8 are escaped; UTF-8 passes as it is.
  const error bytes(error_code::invalid_task_id, "b\xc3\xa4" "d\xa4\xc3");
  CHECK(bytes.message().find("got \"b\xc3\xa4" "d\\xa4\\xc3\"") != std::string::npos);
}

TEST_CASE("an error copies its value, so it outlives the input, and truncates long ones") {
  error e;
  {
    std::string input(500, 'x');
    e = error(error_code::invalid_job_id, input);
    input.assign(500, 'y');
  }
  CHECK(e.value() == std::string(error::value_capacity, 'x'));
  CHECK(e.value_truncated());
  CHECK(e.message().find("...\"") != std::string::npos);
  CHECK(e == error(error_code::invalid_job_id, std::string(500, 'x')));
  CHECK(e != error(error_code::invalid_task_id, std::string(500, 'x')));
}

TEST_CASE("a value outside the enumeration has no rule text") {
  CHECK(batchmount::rule_text(static_cast<error_code>(250)).empty());
}

TEST_CASE("every error code has its own rule text") {
  for (int a = 0; a < static_cast<int>(batchmount::error_code_count); ++a) {
    const auto rule_a = batchmount::rule_text(static_cast<error_code>(a));
    CHECK_FALSE(rule_a.empty());
    for (int b = 0; b < a; ++b) CHECK(rule_a != batchmount::rule_text(static_cast<error_code>(b)));
  }
}
