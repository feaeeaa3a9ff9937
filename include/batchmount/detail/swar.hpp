#ifndef BATCHMOUNT_DETAIL_SWAR_HPP
#define BATCHMOUNT_DETAIL_SWAR_HPP

// Byte tests eight bytes at a time (SWAR: SIMD within a register), for the environment
// filter's work on each variable: a name or a path is scanned in a few instructions per word instead of
// several per byte. Every test here is exact (no false positives or negatives) and
// independent of byte order.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "batchmount/detail/ascii.hpp"

// Forces inlining of the few small helpers of the per-variable work, where the compiler's
// heuristics would otherwise leave a call per byte test.
#if defined(__GNUC__) || defined(__clang__)
#define BATCHMOUNT_ALWAYS_INLINE __attribute__((always_inline))
#else
#define BATCHMOUNT_ALWAYS_INLINE
#endif

// Whether the code runs in a constant expression, where eight bytes cannot be loaded at
// once (memcpy): constexpr functions then compare byte by byte. Without the builtin, they
// always do.
#if defined(__GNUC__) || defined(__clang__)
#define BATCHMOUNT_CONSTANT_EVALUATED() __builtin_is_constant_evaluated()
#else
#define BATCHMOUNT_CONSTANT_EVALUATED() true
#endif

namespace batchmount {
inline namespace v1 {
namespace detail {
namespace swar {

constexpr std::uint64_t low7 = 0x7f7f7f7f7f7f7f7fULL;
constexpr std::uint64_t high = 0x8080808080808080ULL;

constexpr std::uint64_t broadcast(char c) noexcept {
  return 0x0101010101010101ULL * static_cast<unsigned char>(c);
}

inline std::uint64_t load(const char* p) noexcept {
  std::uint64_t word;
  std::memcpy(&word, p, sizeof word);
  return word;
}

// The high bit of each byte of `word` that equals c's byte, and no other bit: exact, as
// no carry crosses a byte (the low seven bits plus 0x7f never exceed 0xff).
constexpr std::uint64_t equal_bytes(std::uint64_t word, char c) noexcept {
  const std::uint64_t x = word ^ broadcast(c);
  return ~(((x & low7) + low7) | x) & high;
}

// Upper case of every byte of a word whose bytes are all ASCII (no high bit set): 'a'..'z'
// lose 0x20, nothing else changes (no carry crosses a byte: each byte stays below 0xa0).
constexpr std::uint64_t ascii_upper_word(std::uint64_t word) noexcept {
  const std::uint64_t from_a = word + broadcast(static_cast<char>(0x80 - 'a'));
  const std::uint64_t past_z = word + broadcast(static_cast<char>(0x80 - 'z' - 1));
  return word - (((from_a & ~past_z) & high) >> 2);
}

// Every '/' byte of a word made '\\', any other byte unchanged.
constexpr std::uint64_t backslash_slashes(std::uint64_t word) noexcept {
  return word ^ ((equal_bytes(word, '/') >> 7) * static_cast<unsigned char>('/' ^ '\\'));
}

// The high bits of two neighbouring marked bytes (in either byte order).
constexpr std::uint64_t adjacent(std::uint64_t marks) noexcept { return marks & (marks << 8); }

// Nonzero iff some byte of `word` is zero (as a yes/no answer exact: the classic test;
// cheaper than equal_bytes where no mask is needed).
constexpr std::uint64_t has_zero(std::uint64_t word) noexcept {
  return (word - 0x0101010101010101ULL) & ~word & high;
}
constexpr std::uint64_t has_byte(std::uint64_t word, char c) noexcept { return has_zero(word ^ broadcast(c)); }
// Nonzero iff some byte of `word` is below n (n <= 0x80; exact as a yes/no answer).
constexpr std::uint64_t has_less(std::uint64_t word, unsigned char n) noexcept {
  return (word - 0x0101010101010101ULL * n) & ~word & high;
}

// Calls test(word) for words covering every byte of text and every pair of neighbouring
// bytes (words start 7 bytes apart; the last one ends at the text's end) and returns true
// as soon as one test does. Text of 4 to 7 bytes is read as two overlapping halves (its
// first and last four bytes: a byte may appear twice, and the two middle bytes of the word
// may not be neighbours in the text, which only errs towards true for a neighbour test);
// shorter text is padded with `filler`, a byte that must not make a test true.
// `Stride` 8 covers every byte but not every neighbouring pair: for tests of single bytes.
template <std::size_t Stride = 7, class Test>
BATCHMOUNT_ALWAYS_INLINE inline bool any_word(std::string_view text, char filler, Test&& test) noexcept {
  static_assert(Stride == 7 || Stride == 8, "words must overlap by a byte, or at least touch");
  const std::size_t n = text.size();
  const char* p = text.data();
  if (n >= 8) {
    for (std::size_t i = 0;; i += Stride) {
      if (i + 8 >= n) return test(load(p + n - 8));
      if (test(load(p + i))) return true;
    }
  }
  if (n >= 4) {
    std::uint32_t first, last;
    std::memcpy(&first, p, 4);
    std::memcpy(&last, p + n - 4, 4);
    return test(first | static_cast<std::uint64_t>(last) << 32);
  }
  // At most three bytes, placed one by one (a loop here becomes a call to memcpy).
  std::uint64_t word = broadcast(filler);
  const auto place = [&](std::size_t i) {
    word = (word & ~(0xffULL << (8 * i))) | static_cast<std::uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
  };
  if (n > 0) place(0);
  if (n > 1) place(1);
  if (n > 2) place(2);
  return test(word);
}

// Writes in[0..n) mapped by `f` to out (which may be in), eight bytes at a time; `f` is a
// byte-wise map that may be applied twice (the last word overlaps the one before). Shorter
// text byte by byte with `byte`.
template <class Word, class Byte>
inline void map_words(char* out, const char* in, std::size_t n, Word&& f, Byte&& byte) noexcept {
  if (n < 8) {
    for (std::size_t i = 0; i < n; ++i) out[i] = byte(in[i]);
    return;
  }
  for (std::size_t i = 0;; i += 8) {
    const std::size_t at = i + 8 >= n ? n - 8 : i;
    const std::uint64_t word = f(load(in + at));
    std::memcpy(out + at, &word, sizeof word);
    if (at == n - 8) return;
  }
}

// Whether a[0..n) and b[0..n) are equal: words compared in place (the last overlapping the
// one before), bytes below a word; no call for the short strings a path's parts are.
inline bool equal(const char* a, const char* b, std::size_t n) noexcept {
  if (n < 8) {
    for (std::size_t i = 0; i < n; ++i)
      if (a[i] != b[i]) return false;
    return true;
  }
  for (std::size_t i = 0;; i += 8) {
    const std::size_t at = i + 8 >= n ? n - 8 : i;
    if (load(a + at) != load(b + at)) return false;
    if (at == n - 8) return true;
  }
}

// A byte none of `Bytes` is, to pad with.
template <char... Bytes>
constexpr bool is_one_of(char c) noexcept {
  return (false || ... || (c == Bytes));
}
template <char... Bytes>
constexpr char filler_for() noexcept {
  char c = 1;
  while (is_one_of<Bytes...>(c)) ++c;
  return c;
}

// Whether text holds any of `Bytes` (the environment's check of every name and value),
// eight bytes at a time.
template <char... Bytes>
BATCHMOUNT_ALWAYS_INLINE inline bool holds_any(std::string_view text) noexcept {
  return any_word<8>(text, filler_for<Bytes...>(), [](std::uint64_t w) { return (has_byte(w, Bytes) | ...) != 0; });
}

// The number of bytes of text equal to c.
constexpr std::size_t count(std::string_view text, char c) noexcept {
  std::size_t total = 0;
  for (const char b : text) total += b == c ? 1 : 0;
  return total;
}

// Writes in[0..n) to out (which may be in) with every '/' made '\\', a word at a time.
inline void copy_backslashed(char* out, const char* in, std::size_t n) noexcept {
  map_words(out, in, n, [](std::uint64_t w) { return backslash_slashes(w); }, [](char c) { return c == '/' ? '\\' : c; });
}

}  // namespace swar
}  // namespace detail
}  // namespace v1
}  // namespace batchmount

#endif
