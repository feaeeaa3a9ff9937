#ifndef BATCHMOUNT_TESTS_EXACT_TEXT_HPP
#define BATCHMOUNT_TESTS_EXACT_TEXT_HPP

// A text in heap storage of exactly its size, so that a read or write past its end shows
// under ASan.
#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>

struct exact_text {
  std::unique_ptr<char[]> bytes;
  std::size_t size;
  explicit exact_text(std::string_view text) : bytes(new char[text.empty() ? 1 : text.size()]), size(text.size()) {
    std::memcpy(bytes.get(), text.data(), size);
  }
  char* data() const { return bytes.get(); }
  std::string_view view() const { return {bytes.get(), size}; }
};

#endif
