#include "batchmount/request.hpp"

#include <array>
#include <vector>

#include "catch.hpp"

using namespace batchmount;

namespace {
constexpr bind_mount_entry article_entries[] = {{"Task", true}};
}

TEST_CASE("null, empty and a list are three different requests") {
  STATIC_REQUIRE(bind_mount_list().is_null());
  STATIC_REQUIRE(bind_mount_list::null().is_null());
  STATIC_REQUIRE_FALSE(bind_mount_list::empty().is_null());
  STATIC_REQUIRE(bind_mount_list::empty().is_empty());
  STATIC_REQUIRE(bind_mount_list::empty().size() == 0);
  STATIC_REQUIRE_FALSE(bind_mount_list(article_entries).is_null());
  STATIC_REQUIRE_FALSE(bind_mount_list(article_entries).is_empty());
  STATIC_REQUIRE(bind_mount_list(article_entries).size() == 1);
  STATIC_REQUIRE(container_request{}.bind_mounts.is_null());
  STATIC_REQUIRE_FALSE(container_request{}.working_directory.has_value());
}

TEST_CASE("entries keep a missing source and an absent isReadOnly apart from values") {
  constexpr bind_mount_entry blank{};
  STATIC_REQUIRE_FALSE(blank.source.has_value());
  STATIC_REQUIRE_FALSE(blank.is_read_only.has_value());
  constexpr auto task = bind_mount_entry::of(data_path::vfs_mounts, false);
  STATIC_REQUIRE(*task.source == "VfsMounts");
  STATIC_REQUIRE(task.is_read_only == false);
}

TEST_CASE("a list views the caller's vector or array without copying") {
  std::vector<bind_mount_entry> entries = {{"Shared", false}, {"Task", true}};
  const bind_mount_list from_vector(entries);
  REQUIRE(from_vector.size() == 2);
  CHECK(from_vector.begin() == entries.data());
  CHECK(*from_vector[1].source == "Task");

  const std::array<bind_mount_entry, 1> array = {{{"Startup", std::nullopt}}};
  const bind_mount_list from_array(array);
  REQUIRE(from_array.size() == 1);
  CHECK(*from_array[0].source == "Startup");
  int seen = 0;
  for (const auto& e : from_array) seen += e.source ? 1 : 0;
  CHECK(seen == 1);
  // A temporary vector would dangle, so it does not convert.
  STATIC_REQUIRE_FALSE(
      std::is_constructible<bind_mount_list, std::vector<bind_mount_entry>&&>::value);
}
