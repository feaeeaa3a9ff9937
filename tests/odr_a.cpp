// With odr_b.cpp: everything batchmount ships, included in two translation units of one
// program. Each renders the same request; the program fails if they disagree.
#include <cstdio>

#include "odr_render.hpp"

std::string render_in_b();
BATCHMOUNT_ODR_RENDER(render_in_a)

int main() {
  const std::string a = render_in_a(), b = render_in_b();
  if (a != b || a.empty()) {
    std::puts("the two translation units disagree");
    return 1;
  }
  std::puts("two translation units, one program: identical output");
  return 0;
}
