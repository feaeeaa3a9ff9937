// Prints the NTFS upcase of every BMP code point that changes, "XXXX YYYY" a line, for
// tests/fold_check.py to compare with Python's Unicode data.
#include <cstdio>

#include "batchmount/detail/fold.hpp"

int main() {
  for (unsigned code = 0; code <= 0xFFFF; ++code) {
    if (code >= 0xD800 && code <= 0xDFFF) continue;
    const unsigned upper = batchmount::detail::ntfs_upcase(code);
    if (upper != code) std::printf("%04X %04X\n", code, upper);
  }
  return 0;
}
