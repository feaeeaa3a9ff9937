#ifndef BATCHMOUNT_DETAIL_FOLD_HPP
#define BATCHMOUNT_DETAIL_FOLD_HPP

// Windows compares names as NTFS does: each UTF-16 unit is upcased with Unicode's simple
// uppercase mapping (NTFS's $UpCase table), so "D:\Bâtch" and "D:\BÂTCH" name one directory,
// and 'ſ' (U+017F) equals 'S', 'ı' (U+0131) equals 'I'. Code points outside the BMP are two
// UTF-16 units that NTFS does not upcase; bytes that are not valid UTF-8 compare exactly.
// The one place that decides Windows case-insensitivity, for paths and variable names.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "batchmount/detail/ascii.hpp"
#include "batchmount/detail/ntfs_upcase_table.hpp"
#include "batchmount/detail/swar.hpp"

namespace batchmount {
inline namespace v1 {
namespace detail {

// The simple uppercase mapping of a BMP code point (anything else is returned unchanged).
constexpr std::uint32_t ntfs_upcase(std::uint32_t code) noexcept {
  if (code < 0x80) return static_cast<unsigned char>(ascii_upper(static_cast<char>(code)));
  if (code > 0xFFFF) return code;
  std::size_t lo = 0, hi = sizeof(upcase_ranges) / sizeof(upcase_ranges[0]);
  while (hi - lo > 1) {  // the last range whose first is <= code
    const std::size_t mid = (lo + hi) / 2;
    if (upcase_ranges[mid].first <= code) lo = mid;
    else hi = mid;
  }
  const upcase_range& r = upcase_ranges[lo];
  if (code < r.first || code > r.last || (code - r.first) % r.step != 0) return code;
  return static_cast<std::uint32_t>(static_cast<std::int32_t>(code) + r.delta);
}

// One unit of a folded comparison: an upcased code point, or (for a byte that does not
// start valid UTF-8) 0x110000 + the byte, which equals nothing but the same byte.
struct folded_unit {
  std::uint32_t value;
  std::size_t length;
};

constexpr folded_unit fold_unit_at(std::string_view text, std::size_t i) noexcept {
  const auto b0 = static_cast<unsigned char>(text[i]);
  if (b0 < 0x80) return {static_cast<unsigned char>(ascii_upper(text[i])), 1};
  const std::size_t n = utf8_sequence_length(text, i);
  if (n == 0) return {0x110000u + b0, 1};
  std::uint32_t code = b0 & (n == 2 ? 0x1Fu : n == 3 ? 0x0Fu : 0x07u);
  for (std::size_t k = 1; k < n; ++k) code = (code << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3Fu);
  return {ntfs_upcase(code), n};
}

// If `text` begins with `prefix` under NTFS folding ('/' and '\\' alike when `separators`),
// the number of bytes of `text` that matched; otherwise npos. Lengths may differ: 'ı' is two
// bytes, the 'I' it equals one.
constexpr std::size_t fold_prefix(std::string_view text, std::string_view prefix, bool separators) noexcept {
  // Eight bytes at a time while both sides are ASCII (paths and names almost always are):
  // there NTFS folding is ASCII upper case, so words compare equal exactly when the bytes
  // would. A word with a byte past ASCII on either side hands the whole comparison to the
  // byte-by-byte loop below.
  if (!BATCHMOUNT_CONSTANT_EVALUATED() && prefix.size() >= 8 && text.size() >= prefix.size()) {
    const auto fold = [separators](std::uint64_t word) {
      word = swar::ascii_upper_word(word);
      return separators ? swar::backslash_slashes(word) : word;
    };
    for (std::size_t i = 0;; i += 8) {
      const std::size_t at = i + 8 >= prefix.size() ? prefix.size() - 8 : i;
      const std::uint64_t a = swar::load(text.data() + at), b = swar::load(prefix.data() + at);
      if ((a | b) & swar::high) break;
      if (fold(a) != fold(b)) return std::string_view::npos;
      if (at == prefix.size() - 8) return prefix.size();
    }
  }
  std::size_t t = 0, p = 0;
  while (p < prefix.size()) {
    if (t >= text.size()) return std::string_view::npos;
    const char a = text[t], b = prefix[p];
    // ASCII on both sides, the common case: no decoding.
    if (static_cast<unsigned char>(a) < 0x80 && static_cast<unsigned char>(b) < 0x80) {
      const bool same = ascii_upper(a) == ascii_upper(b) ||
                        (separators && (a == '/' || a == '\\') && (b == '/' || b == '\\'));
      if (!same) return std::string_view::npos;
      ++t, ++p;
      continue;
    }
    const folded_unit x = fold_unit_at(text, t), y = fold_unit_at(prefix, p);
    if (x.value != y.value) return std::string_view::npos;
    t += x.length, p += y.length;
  }
  return t;
}

// Whether two names are equal under NTFS folding.
constexpr bool fold_equal(std::string_view a, std::string_view b, bool separators = false) noexcept {
  // Texts whose last eight bytes are ASCII on both sides end in those eight characters: if
  // they differ under folding, so do the texts (a quick no for names compared pairwise).
  if (!BATCHMOUNT_CONSTANT_EVALUATED() && a.size() >= 8 && b.size() >= 8) {
    std::uint64_t x = swar::load(a.data() + a.size() - 8), y = swar::load(b.data() + b.size() - 8);
    if (((x | y) & swar::high) == 0) {
      x = swar::ascii_upper_word(x);
      y = swar::ascii_upper_word(y);
      if (separators) x = swar::backslash_slashes(x), y = swar::backslash_slashes(y);
      if (x != y) return false;
    }
  }
  return fold_prefix(a, b, separators) == a.size();
}

}  // namespace detail
}  // namespace v1
}  // namespace batchmount

#endif
