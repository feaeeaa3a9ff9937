#ifndef BATCHMOUNT_TESTS_REQUEST_SHAPES_HPP
#define BATCHMOUNT_TESTS_REQUEST_SHAPES_HPP

// The request shapes the exhaustive property tests walk: every subset of the six data-path
// names, in the order given and reversed, with every read-only assignment of its members
// (2 x 3^6 lists), and the request each stands for. The shapes are written without the
// library, for the oracles.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "batchmount/request.hpp"

namespace shapes {

struct entry {
  std::string name;
  bool read_only;
};

template <class Visit>
void for_each_list(const std::vector<std::string>& names, Visit&& visit) {
  for (const bool reversed : {false, true})
    for (unsigned subset = 0; subset < 64; ++subset)
      for (unsigned ro = 0; ro < 64; ++ro) {
        if ((ro & ~subset) != 0) continue;
        std::vector<entry> list;
        for (std::size_t k = 0; k < names.size(); ++k) {
          const std::size_t i = reversed ? names.size() - 1 - k : k;
          if (subset & (1u << i)) list.push_back({names[i], (ro & (1u << i)) != 0});
        }
        visit(list);
      }
}

// The request a shape stands for (null when `entries` is), viewing `storage`.
inline batchmount::container_request to_request(const std::optional<std::vector<entry>>& entries,
                                                const std::optional<std::string>& wd,
                                                std::vector<batchmount::bind_mount_entry>& storage) {
  batchmount::container_request request;
  storage.clear();
  if (entries) {
    for (const auto& e : *entries) storage.push_back({std::string_view(e.name), e.read_only});
    request.bind_mounts = batchmount::bind_mount_list(storage.data(), storage.size());
  }
  if (wd) request.working_directory = *wd;
  return request;
}

// "wd=… Task:ro Shared:rw" (or "null"), for failure messages.
inline std::string describe(const std::optional<std::vector<entry>>& entries, const std::optional<std::string>& wd) {
  std::string out = "wd=" + wd.value_or("(absent)");
  if (!entries) return out + " null";
  for (const auto& e : *entries) out += " " + e.name + (e.read_only ? ":ro" : ":rw");
  return out;
}

}  // namespace shapes

#endif
