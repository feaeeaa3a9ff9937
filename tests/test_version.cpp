#include "batchmount/version.hpp"

#include <string>

#include "catch.hpp"

TEST_CASE("the header's version macros agree with the CMake project version") {
  const std::string from_header = std::to_string(BATCHMOUNT_VERSION_MAJOR) + "." +
                                  std::to_string(BATCHMOUNT_VERSION_MINOR) + "." +
                                  std::to_string(BATCHMOUNT_VERSION_PATCH);
  CHECK(from_header == BATCHMOUNT_TEST_PROJECT_VERSION);
  CHECK(BATCHMOUNT_VERSION == BATCHMOUNT_VERSION_MAJOR * 10000 + BATCHMOUNT_VERSION_MINOR * 100 +
                                  BATCHMOUNT_VERSION_PATCH);
}
