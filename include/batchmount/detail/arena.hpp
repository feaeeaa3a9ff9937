#ifndef BATCHMOUNT_DETAIL_ARENA_HPP
#define BATCHMOUNT_DETAIL_ARENA_HPP

// A bump allocator over caller-provided bytes: the allocation-free API writes every path it
// builds here and hands out string_views into it.

#include <cstddef>
#include <cstring>
#include <string_view>

namespace batchmount {
inline namespace v1 {

class arena {
 public:
  arena() = default;
  arena(char* storage, std::size_t capacity) noexcept : data_(storage), capacity_(capacity) {}
  template <std::size_t N>
  explicit arena(char (&storage)[N]) noexcept : arena(storage, N) {}

  std::size_t used() const noexcept { return used_; }
  std::size_t capacity() const noexcept { return capacity_; }
  // True once a write did not fit; what was written since is not to be used.
  bool overflowed() const noexcept { return overflowed_; }

  // A position to come back to (rewind) or to take a view from (since).
  std::size_t mark() const noexcept { return used_; }
  void rewind(std::size_t mark) noexcept { used_ = mark; }
  std::string_view since(std::size_t mark) const noexcept {
    return overflowed_ ? std::string_view() : std::string_view(data_ + mark, used_ - mark);
  }

  // The bytes written since `mark`, for rewriting in place.
  char* at(std::size_t mark) noexcept { return data_ + mark; }

  void put(std::string_view text) noexcept {
    if (char* out = grow(text.size())) copy(out, text.data(), text.size());
  }
  void put(char c) noexcept {
    if (char* out = grow(1)) *out = c;
  }
  // Room for n bytes at the end, or nullptr (and overflowed) when they do not fit.
  char* grow(std::size_t n) noexcept {
    if (overflowed_ || n > capacity_ - used_) {
      overflowed_ = true;
      return nullptr;
    }
    char* out = data_ + used_;
    used_ += n;
    return out;
  }
  // Gives back the last n bytes of the latest grow.
  void shrink(std::size_t n) noexcept { used_ -= n; }

 private:
  // memcpy without a call for the short pieces paths are built of (ids, names, a root): two
  // possibly overlapping moves of 8 or 4 bytes.
  static void copy(char* out, const char* in, std::size_t n) noexcept {
    if (n > 16) std::memcpy(out, in, n);
    else if (n >= 8) head_and_tail<8>(out, in, n);
    else if (n >= 4) head_and_tail<4>(out, in, n);
    else
      for (std::size_t i = 0; i < n; ++i) out[i] = in[i];
  }
  // n bytes (W <= n <= 2W) as the first and the last W, which may overlap.
  template <std::size_t W>
  static void head_and_tail(char* out, const char* in, std::size_t n) noexcept {
    char head[W], tail[W];
    std::memcpy(head, in, W);
    std::memcpy(tail, in + n - W, W);
    std::memcpy(out, head, W);
    std::memcpy(out + n - W, tail, W);
  }

  char* data_ = nullptr;
  std::size_t capacity_ = 0;
  std::size_t used_ = 0;
  bool overflowed_ = false;
};

}  // namespace v1
}  // namespace batchmount

#endif
