#ifndef BATCHMOUNT_RUN_OPTIONS_WORDS_HPP
#define BATCHMOUNT_RUN_OPTIONS_WORDS_HPP

// containerRunOptions split into words. The service does not say how the node agent splits
// the string; batchmount assumes a POSIX shell's quoting, exactly as Python's
// shlex.split(text) does it (POSIX mode, no comments, no expansion): space, tab, CR and LF
// separate words; '...' keeps everything literally; "..." keeps everything but a backslash
// before '"' or '\'; outside quotes a backslash keeps the next character literally (a
// newline too); '' is an empty word.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "batchmount/result.hpp"

namespace batchmount {
inline namespace v1 {

// One word and where it starts in the text.
struct shell_word {
  std::string text;
  std::size_t offset = 0;  // the byte where the word starts

  friend bool operator==(const shell_word& a, const shell_word& b) { return a.text == b.text && a.offset == b.offset; }
};

// Fails with run_options_unreadable naming the unfinished word as written (from its start to
// the end of the text) and its position (the index it would have) for an unbalanced quote or
// a backslash at the very end.
inline result<std::vector<shell_word>> split_shell_words(std::string_view text) {
  enum class state : unsigned char { between, word, single_quoted, double_quoted, escaped };
  std::vector<shell_word> out;
  state now = state::between;
  state before_escape = state::word;
  shell_word current;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (now) {
      case state::between:
      case state::word:
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
          if (now == state::word) out.push_back(std::move(current)), current = {};
          now = state::between;
          break;
        }
        if (now == state::between) current.offset = i;
        if (c == '\\') before_escape = state::word, now = state::escaped;
        else if (c == '\'') now = state::single_quoted;
        else if (c == '"') now = state::double_quoted;
        else current.text += c, now = state::word;
        break;
      case state::single_quoted:
        if (c == '\'') now = state::word;
        else current.text += c;
        break;
      case state::double_quoted:
        if (c == '"') now = state::word;
        else if (c == '\\') before_escape = state::double_quoted, now = state::escaped;
        else current.text += c;
        break;
      case state::escaped:
        // Inside "..." only '"' and '\' are escaped; the backslash stays before anything else.
        if (before_escape == state::double_quoted && c != '"' && c != '\\') current.text += '\\';
        current.text += c;
        now = before_escape;
        break;
    }
  }
  if (now == state::single_quoted || now == state::double_quoted || now == state::escaped)
    return error(error_code::run_options_unreadable, text.substr(current.offset), out.size());
  if (now == state::word) out.push_back(std::move(current));
  return out;
}

}  // namespace v1
}  // namespace batchmount

#endif
