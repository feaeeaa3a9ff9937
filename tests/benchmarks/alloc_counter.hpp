#ifndef BATCHMOUNT_BENCH_ALLOC_COUNTER_HPP
#define BATCHMOUNT_BENCH_ALLOC_COUNTER_HPP

// Heap allocations counted by replacing the global operator new in the benchmark binary
// (define BATCHMOUNT_BENCH_DEFINE_ALLOCATOR in exactly one translation unit).
#include <cstddef>
#include <cstdlib>
#include <new>

namespace bench {
inline std::size_t& allocations() {
  static std::size_t count = 0;
  return count;
}
}  // namespace bench

#if defined(BATCHMOUNT_BENCH_DEFINE_ALLOCATOR)
void* operator new(std::size_t size) {
  ++bench::allocations();
  if (void* p = std::malloc(size ? size : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return operator new(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
#endif

#endif
