#ifndef BATCHMOUNT_DETAIL_ASCII_HPP
#define BATCHMOUNT_DETAIL_ASCII_HPP

#include <cstddef>
#include <string_view>

namespace batchmount {
inline namespace v1 {
namespace detail {

// Locale-independent character classes: the wire format and Batch ids are ASCII.
constexpr char ascii_upper(char c) noexcept {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

constexpr char ascii_lower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

constexpr bool is_ascii_alpha(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

constexpr bool is_ascii_digit(char c) noexcept { return c >= '0' && c <= '9'; }

constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_upper(a[i]) != ascii_upper(b[i])) return false;
  return true;
}

constexpr bool starts_with(std::string_view text, std::string_view prefix,
                           bool case_insensitive) noexcept {
  if (text.size() < prefix.size()) return false;
  const auto head = text.substr(0, prefix.size());
  return case_insensitive ? iequals(head, prefix) : head == prefix;
}

// Calls f(entry) for each entry of a `sep`-separated list (empty entries included).
template <class F>
constexpr void for_each_entry(std::string_view list, char sep, F&& f) {
  for (std::size_t pos = 0;;) {
    const std::size_t end = list.find(sep, pos);
    f(list.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos));
    if (end == std::string_view::npos) return;
    pos = end + 1;
  }
}

// The length (1 to 4) of the well-formed UTF-8 sequence starting at text[i], or 0: no
// overlong forms, no surrogates, nothing past U+10FFFF.
constexpr std::size_t utf8_sequence_length(std::string_view text, std::size_t i) noexcept {
  const auto b0 = static_cast<unsigned char>(text[i]);
  if (b0 < 0x80) return 1;
  std::size_t extra = 0;
  unsigned min = 0, code = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    extra = 1, min = 0x80, code = b0 & 0x1Fu;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    extra = 2, min = 0x800, code = b0 & 0x0Fu;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    extra = 3, min = 0x10000, code = b0 & 0x07u;
  } else {
    return 0;
  }
  if (i + extra >= text.size()) return 0;  // truncated
  for (std::size_t k = 1; k <= extra; ++k) {
    const auto b = static_cast<unsigned char>(text[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    code = (code << 6) | (b & 0x3Fu);
  }
  if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
  return extra + 1;
}

constexpr bool is_valid_utf8(std::string_view text) noexcept {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = utf8_sequence_length(text, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

}  // namespace detail
}  // namespace v1
}  // namespace batchmount

#endif
