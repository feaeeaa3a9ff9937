#ifndef BATCHMOUNT_DETAIL_SWAR_HPP
#define BATCHMOUNT_DETAIL_SWAR_HPP

// Byte tests eight bytes at a time (SWAR: SIMD within a register), for the environment
// filter's hot road: a name or a path is scanned in a few instructions per word instead of
// several per byte. Every test here is exact (no false positives or negatives) and
// independent of byte order.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "batchmount/detail/ascii.hpp"

// Forces inlining of the few small helpers the hot road is built of, where the compiler's
// heuristics would otherwise leave a call per byte test.
#if defined(__GNUC__) || defined(__clang__)
#define BATCHMOUNT_ALWAYS_INLINE __attribute__((always_inline))
#else
#define BATCHMOUNT_ALWAYS_INLINE
#endif

// Whether the code runs in a constant expression, where the word-at-a-time roads (memcpy
// loads) cannot: constexpr functions then take their byte-at-a-time road. Without the
// builtin, always the byte road.
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

// Whether text holds any of `Bytes`, a word at a time.
template <char... Bytes>
BATCHMOUNT_ALWAYS_INLINE inline bool holds_any_words(std::string_view text) noexcept {
  return any_word<8>(text, filler_for<Bytes...>(), [](std::uint64_t w) { return (has_byte(w, Bytes) | ...) != 0; });
}

#if (defined(__GNUC__) || defined(__clang__)) && !defined(BATCHMOUNT_NO_VECTORS)
#define BATCHMOUNT_VECTORS 1
// Sixteen bytes as one value (GCC's and Clang's vector extension: SSE2 on x86-64, NEON on
// ARM, plain words where there is neither). Not the standard library, so behind a macro;
// without it, holds_any takes the word road, which tests compare it with.
typedef unsigned char bytes16 __attribute__((vector_size(16)));

inline bytes16 load16(const char* p) noexcept {
  bytes16 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
// Whether any byte of v is not zero.
inline bool any(const bytes16& v) noexcept {
  std::uint64_t halves[2];
  std::memcpy(halves, &v, sizeof halves);
  return (halves[0] | halves[1]) != 0;
}

// holds_any for text of 8 bytes or more: 16 bytes tested for every byte at once (text
// shorter than 16 as its first and last eight bytes), the answers gathered without a branch
// (almost every text holds none), the last 16 bytes read where they end (overlapping the
// block before; a byte read twice cannot change the answer).
template <char... Bytes>
BATCHMOUNT_ALWAYS_INLINE inline bool holds_any_vectors(std::string_view text) noexcept {
  const std::size_t n = text.size();
  const char* p = text.data();
  const auto marks = [](const bytes16& v) {
    const bytes16 out = (static_cast<bytes16>(v == static_cast<unsigned char>(Bytes)) | ...);
    return out;
  };
  bytes16 found;
  if (n < 16) {
    const std::uint64_t ends[2] = {load(p), load(p + n - 8)};
    bytes16 v;
    std::memcpy(&v, ends, sizeof v);
    found = marks(v);
  } else {
    found = marks(load16(p + n - 16));
    for (std::size_t i = 0; i + 16 < n; i += 16) found |= marks(load16(p + i));
  }
  return any(found);
}

// The number of bytes of text equal to c, for text of 16 bytes or more: each block's marks
// as ones, summed across the block by one multiplication (at most 16: no carry leaves the
// top byte); the last block read where the text ends, its lanes before the unread rest
// dropped.
inline std::size_t count_vectors(std::string_view text, char c) noexcept {
  const std::size_t n = text.size();
  const char* p = text.data();
  const auto ones = [](const bytes16& marks) {
    const bytes16 bits = marks & static_cast<unsigned char>(1);
    std::uint64_t halves[2];
    std::memcpy(halves, &bits, sizeof halves);
    return static_cast<std::size_t>(((halves[0] + halves[1]) * 0x0101010101010101ULL) >> 56);
  };
  const auto byte = static_cast<unsigned char>(c);
  std::size_t total = 0, i = 0;
  for (; i + 16 <= n; i += 16) total += ones(static_cast<bytes16>(load16(p + i) == byte));
  if (i < n) {
    const bytes16 lanes = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    const bytes16 unread = static_cast<bytes16>(lanes >= static_cast<unsigned char>(16 - (n - i)));
    total += ones(static_cast<bytes16>(load16(p + n - 16) == byte) & unread);
  }
  return total;
}

// The byte maps of the word road, sixteen bytes at a time.
inline bytes16 backslash_slashes(bytes16 v) noexcept {
  return v ^ (static_cast<bytes16>(v == static_cast<unsigned char>('/')) & static_cast<unsigned char>('/' ^ '\\'));
}
inline bytes16 ascii_upper(bytes16 v) noexcept {
  const bytes16 lower = static_cast<bytes16>(v >= static_cast<unsigned char>('a')) &
                        static_cast<bytes16>(v <= static_cast<unsigned char>('z'));
  return v - (lower & static_cast<unsigned char>(0x20));
}

// map_words for text of 16 bytes or more, sixteen bytes at a time with `f` (the same byte
// map as the word road's, applied twice where the last block overlaps the one before).
template <class Block>
BATCHMOUNT_ALWAYS_INLINE inline void map_vectors(char* out, const char* in, std::size_t n, Block&& f) noexcept {
  for (std::size_t i = 0;; i += 16) {
    const std::size_t at = i + 16 >= n ? n - 16 : i;
    const bytes16 v = f(load16(in + at));
    std::memcpy(out + at, &v, sizeof v);
    if (at == n - 16) return;
  }
}
#endif

// Whether text holds any of `Bytes` (the environment's check of every name and value).
template <char... Bytes>
BATCHMOUNT_ALWAYS_INLINE inline bool holds_any(std::string_view text) noexcept {
#if defined(BATCHMOUNT_VECTORS)
  if (text.size() >= 8) return holds_any_vectors<Bytes...>(text);
#endif
  return holds_any_words<Bytes...>(text);
}

// The number of bytes of text equal to c.
constexpr std::size_t count(std::string_view text, char c) noexcept {
#if defined(BATCHMOUNT_VECTORS)
  if (!BATCHMOUNT_CONSTANT_EVALUATED() && text.size() >= 16) return count_vectors(text, c);
#endif
  std::size_t total = 0;
  for (const char b : text) total += b == c ? 1 : 0;
  return total;
}

// Writes in[0..n) to out (which may be in) with every '/' made '\\', a word at a time.
inline void copy_backslashed_words(char* out, const char* in, std::size_t n) noexcept {
  map_words(out, in, n, [](std::uint64_t w) { return backslash_slashes(w); }, [](char c) { return c == '/' ? '\\' : c; });
}
// The same, sixteen bytes at a time where vectors are available.
inline void copy_backslashed(char* out, const char* in, std::size_t n) noexcept {
#if defined(BATCHMOUNT_VECTORS)
  if (n >= 16) return map_vectors(out, in, n, [](bytes16 v) { return backslash_slashes(v); });
#endif
  copy_backslashed_words(out, in, n);
}

// Writes in[0..n) of ASCII text to out (which may be in) upper-cased, with every '/' made
// '\\', a word at a time.
inline void copy_folded_ascii_words(char* out, const char* in, std::size_t n) noexcept {
  map_words(
      out, in, n, [](std::uint64_t w) { return backslash_slashes(ascii_upper_word(w)); },
      [](char c) { return c == '/' ? '\\' : detail::ascii_upper(c); });
}
// The same, sixteen bytes at a time where vectors are available.
inline void copy_folded_ascii(char* out, const char* in, std::size_t n) noexcept {
#if defined(BATCHMOUNT_VECTORS)
  if (n >= 16) return map_vectors(out, in, n, [](bytes16 v) { return backslash_slashes(ascii_upper(v)); });
#endif
  copy_folded_ascii_words(out, in, n);
}

}  // namespace swar
}  // namespace detail
}  // namespace v1
}  // namespace batchmount

#endif
