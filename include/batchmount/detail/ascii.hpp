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

}  // namespace detail
}  // namespace v1
}  // namespace batchmount

#endif
