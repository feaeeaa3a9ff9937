#ifndef BATCHMOUNT_ENVIRONMENT_NAMES_HPP
#define BATCHMOUNT_ENVIRONMENT_NAMES_HPP

// Names and words as each OS compares them (internal to the environment stage).

#include <algorithm>
#include <cstddef>
#include <string_view>

#include "batchmount/detail/ascii.hpp"
#include "batchmount/detail/fold.hpp"
#include "batchmount/detail/swar.hpp"
#include "batchmount/tables.hpp"

namespace batchmount {
inline namespace v1 {
namespace detail {
// A name as the OS compares it: case-insensitively (NTFS folding) on Windows.
// (`wanted` is ASCII: an ASCII name compares as ASCII, case-insensitively.)
template <class Os>
inline bool name_is(std::string_view name, std::string_view wanted, Os os) noexcept {
  if (os == node_os::linux_node) return name.size() == wanted.size() && swar::equal(name.data(), wanted.data(), name.size());
  for (const char c : name)
    if (static_cast<unsigned char>(c) >= 0x80) return fold_equal(name, wanted);
  return iequals(name, wanted);
}

// The separator of path lists (PATH and the like): ':' on Linux, ';' on Windows.
constexpr char list_separator(node_os os) noexcept { return os == node_os::windows_node ? ';' : ':'; }

// Whether `text` holds `word` somewhere, as the OS compares names. An empty word: true (the
// caller then looks closer, which is never wrong).
template <class Os>
inline bool mentions(std::string_view text, std::string_view word, Os os) noexcept {
  if (word.empty()) return true;
  if (os == node_os::linux_node) {
    // string_view::find, with the second byte tested before a place is compared whole.
    if (word.size() < 2 || text.size() < word.size()) return text.find(word) != std::string_view::npos;
    const char* at = text.data();
    const char* const last = text.data() + (text.size() - word.size());  // the last place the word fits
    while ((at = static_cast<const char*>(std::memchr(at, word[0], static_cast<std::size_t>(last - at) + 1)))) {
      if (at[1] == word[1] && std::memcmp(at, word.data(), word.size()) == 0) return true;
      if (at++ == last) break;
    }
    return false;
  }
  const auto ascii = [](char c) { return static_cast<unsigned char>(c) < 0x80; };
  const char first = ascii_upper(word[0]);
  const char second = word.size() > 1 ? ascii_upper(word[1]) : '\0';
  const auto starts_at = [&](std::size_t i) {
    // An ASCII byte folds only to itself upper-cased: skip where it cannot start the word,
    // or where an ASCII first byte is followed by one that cannot continue it.
    if (ascii(text[i])) {
      if (ascii(first) && ascii_upper(text[i]) != first) return false;
      if (word.size() > 1 && i + 1 < text.size() && ascii(text[i + 1]) && ascii(second) &&
          ascii_upper(text[i + 1]) != second)
        return false;
    }
    return fold_prefix(text.substr(i), word, false) != std::string_view::npos;
  };
  // An ASCII word starts no later than its length before the end: every character that
  // folds to an ASCII one takes at least a byte (only a word's own bytes past ASCII, as 'ſ'
  // for S, may stand for text shorter than they are).
  std::size_t places = text.size();
  if (std::all_of(word.begin(), word.end(), ascii)) places = text.size() < word.size() ? 0 : text.size() - word.size() + 1;
  std::size_t i = 0;
  if (ascii(first)) {
    // Eight starting places at a time: the word at i and the word at i + 1 hold each place's
    // byte and the byte after it at the same byte index, so in ASCII words, upper-cased, one
    // test per word marks the places the byte test above lets through. Only a word with a
    // mark, or with a byte past ASCII, is looked at place by place.
    const bool pair = word.size() > 1 && ascii(second);
    for (; i + 8 <= places && i + 9 <= text.size(); i += 8) {
      const std::uint64_t here = swar::load(text.data() + i), next = swar::load(text.data() + i + 1);
      bool look = true;
      if (!((here | next) & swar::high))
        look = (swar::equal_bytes(swar::ascii_upper_word(here), first) &
                (pair ? swar::equal_bytes(swar::ascii_upper_word(next), second) : ~std::uint64_t{0})) != 0;
      if (look)
        for (std::size_t j = i; j < i + 8; ++j)
          if (starts_at(j)) return true;
    }
  }
  for (; i < places; ++i)
    if (starts_at(i)) return true;
  return false;
}
}  // namespace detail

}  // namespace v1
}  // namespace batchmount

#endif
