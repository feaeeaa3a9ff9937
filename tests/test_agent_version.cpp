#include "batchmount/agent_version.hpp"

#include <type_traits>

#include "catch.hpp"

using namespace batchmount;

TEST_CASE("isolation needs node agent 1.11.11 or later") {
  STATIC_REQUIRE(supports_isolation("1.11.11"));
  STATIC_REQUIRE(supports_isolation("1.11.12"));
  STATIC_REQUIRE(supports_isolation("1.12.0"));
  STATIC_REQUIRE(supports_isolation("1.11.11.1"));
  STATIC_REQUIRE(supports_isolation("2"));
  STATIC_REQUIRE_FALSE(supports_isolation("1.11.10"));
  STATIC_REQUIRE_FALSE(supports_isolation("1.11"));
  STATIC_REQUIRE_FALSE(supports_isolation("1.9.99"));
  STATIC_REQUIRE_FALSE(supports_isolation("0.99.99"));
  STATIC_REQUIRE_FALSE(supports_isolation("1.8.2"));
}

TEST_CASE("malformed versions are errors naming the value") {
  for (const char* bad : {"", ".", "1.", ".1", "1..2", "v1.11.11", "1.11.11-beta", "1.11.11 ",
                          " 1.11.11", "1.2.3.4.5", "1,11,11", "1.1234567890.0", "-1.0"}) {
    const auto r = parse_agent_version(bad);
    INFO(bad);
    CHECK_FALSE(supports_isolation(bad));  // malformed: never a "yes"
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code() == error_code::invalid_agent_version);
    CHECK(r.error().value() == bad);
  }
  STATIC_REQUIRE(parse_agent_version("1.11.11")->parts[1] == 11);
  STATIC_REQUIRE(parse_agent_version("999999999.0")->parts[0] == 999999999u);
}

TEST_CASE("the natural if says no to an agent that cannot isolate") {
  // supports_isolation used to return result<bool>, whose truth meant "parsed": the natural
  // test said yes to 1.8.2.
  bool yes_for_old = false, yes_for_new = false, yes_for_malformed = false;
  if (supports_isolation("1.8.2")) yes_for_old = true;
  if (supports_isolation("1.11.11")) yes_for_new = true;
  if (supports_isolation("not a version")) yes_for_malformed = true;
  CHECK_FALSE(yes_for_old);
  CHECK(yes_for_new);
  CHECK_FALSE(yes_for_malformed);
  STATIC_REQUIRE(std::is_same_v<decltype(supports_isolation("1.8.2")), bool>);
  STATIC_REQUIRE(supports_isolation(*parse_agent_version("1.11.11")));
  STATIC_REQUIRE_FALSE(supports_isolation(*parse_agent_version("1.11.10.9")));
}
