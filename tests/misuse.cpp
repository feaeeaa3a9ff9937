// Misusing a result (value() of an error, error() of a value) stops the program rather than
// reading an inactive member. Each case must end in abort(); the handler turns that into
// exit status 0 (after flushing coverage counters in coverage builds).
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "batchmount/result.hpp"

#if defined(BATCHMOUNT_TEST_COVERAGE)
extern "C" void __gcov_dump(void);
#endif

extern "C" void on_abort(int) {
#if defined(BATCHMOUNT_TEST_COVERAGE)
  __gcov_dump();
#endif
  std::_Exit(0);
}

int main(int argc, char** argv) {
  using batchmount::error;
  using batchmount::error_code;
  using batchmount::result;
  if (argc != 2) return 2;
  std::signal(SIGABRT, on_abort);
  result<int> failed = error(error_code::invalid_job_id, "x");
  const result<int> succeeded = 1;
  if (std::strcmp(argv[1], "value") == 0) std::printf("%d\n", failed.value());
  if (std::strcmp(argv[1], "deref") == 0) std::printf("%d\n", *failed);
  if (std::strcmp(argv[1], "error") == 0) std::printf("%d\n", static_cast<int>(succeeded.error().code()));
  std::puts("misuse was not stopped");
  return 1;
}
