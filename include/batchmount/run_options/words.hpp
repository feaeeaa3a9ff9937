#ifndef BATCHMOUNT_RUN_OPTIONS_WORDS_HPP
#define BATCHMOUNT_RUN_OPTIONS_WORDS_HPP

// containerRunOptions split into words. The service does not say how the node agent splits
// the string; batchmount assumes a POSIX shell's quoting, exactly as Python's
// shlex.split(text) does it (POSIX mode, no comments, no expansion): space, tab, CR and LF
// separate words; '...' keeps everything literally; "..." keeps everything but a backslash
// before '"' or '\'; outside quotes a backslash keeps the next character literally (a
// newline too); '' is an empty word. On a Windows node the node agent starts docker with a
// Windows command line, whose rules differ (split_windows_words): a backslash is literal but
// before '"', and single quotes are literal.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "batchmount/result.hpp"
#include "batchmount/tables.hpp"

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

// A Windows command line split as the C runtime and Go's os.Args read one (the rules of
// CommandLineToArgvW): space and tab separate words outside "..."; 2n backslashes before '"'
// are n backslashes and the quote opens or closes, 2n+1 are n and a literal '"'; a backslash
// before anything else is literal; "" inside quotes is a literal '"'. Fails with
// run_options_unreadable, as split_shell_words does, for a quote left open.
inline result<std::vector<shell_word>> split_windows_words(std::string_view text) {
  std::vector<shell_word> out;
  shell_word current;
  bool in_word = false, quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (!quoted && (c == ' ' || c == '\t')) {
      if (in_word) out.push_back(std::move(current)), current = {}, in_word = false;
      continue;
    }
    if (!in_word) current.offset = i, in_word = true;
    if (c == '\\') {
      std::size_t n = 0;
      while (i < text.size() && text[i] == '\\') ++n, ++i;
      if (i < text.size() && text[i] == '"') {
        current.text.append(n / 2, '\\');
        if (n % 2 == 1) current.text += '"';
        else --i;  // the quote is read next
      } else {
        current.text.append(n, '\\');
        --i;
      }
      continue;
    }
    if (c == '"') {
      if (quoted && i + 1 < text.size() && text[i + 1] == '"') current.text += '"', ++i;
      else quoted = !quoted;
      continue;
    }
    current.text += c;
  }
  if (quoted) return error(error_code::run_options_unreadable, text.substr(current.offset), out.size());
  if (in_word) out.push_back(std::move(current));
  return out;
}

// The words of containerRunOptions on a node of this OS.
inline result<std::vector<shell_word>> split_run_option_words(std::string_view text, node_os os) {
  return os == node_os::windows_node ? split_windows_words(text) : split_shell_words(text);
}

}  // namespace v1
}  // namespace batchmount

#endif
