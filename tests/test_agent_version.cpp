#include "batchmount/agent_version.hpp"

#include "catch.hpp"

using namespace batchmount;

TEST_CASE("isolation needs node agent 1.11.11 or later") {
  STATIC_REQUIRE(supports_isolation("1.11.11").value());
  STATIC_REQUIRE(supports_isolation("1.11.12").value());
  STATIC_REQUIRE(supports_isolation("1.12.0").value());
  STATIC_REQUIRE(supports_isolation("1.11.11.1").value());
  STATIC_REQUIRE(supports_isolation("2").value());
  STATIC_REQUIRE_FALSE(supports_isolation("1.11.10").value());
  STATIC_REQUIRE_FALSE(supports_isolation("1.11").value());
  STATIC_REQUIRE_FALSE(supports_isolation("1.9.99").value());
  STATIC_REQUIRE_FALSE(supports_isolation("0.99.99").value());
  STATIC_REQUIRE_FALSE(supports_isolation("1.8.2").value());
}

TEST_CASE("malformed versions are errors naming the value") {
  for (const char* bad : {"", ".", "1.", ".1", "1..2", "v1.11.11", "1.11.11-beta", "1.11.11 ",
                          " 1.11.11", "1.2.3.4.5", "1,11,11", "1.1234567890.0", "-1.0"}) {
    const auto r = supports_isolation(bad);
    INFO(bad);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code() == error_code::invalid_agent_version);
    CHECK(r.error().value() == bad);
  }
  STATIC_REQUIRE(parse_agent_version("1.11.11")->parts[1] == 11);
  STATIC_REQUIRE(parse_agent_version("999999999.0")->parts[0] == 999999999u);
}
