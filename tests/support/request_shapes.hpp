#ifndef BATCHMOUNT_TESTS_REQUEST_SHAPES_HPP
#define BATCHMOUNT_TESTS_REQUEST_SHAPES_HPP

// The request shapes the exhaustive property tests walk: every subset of the six data-path
// names, in the order given and reversed, with every read-only assignment of its members
// (2 x 3^6 lists). Written without the library, for the oracles.
#include <cstddef>
#include <string>
#include <vector>

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

}  // namespace shapes

#endif
