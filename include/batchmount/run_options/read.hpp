#ifndef BATCHMOUNT_RUN_OPTIONS_READ_HPP
#define BATCHMOUNT_RUN_OPTIONS_READ_HPP

// containerRunOptions read as the docker CLI reads `docker create` options: words split as a
// POSIX shell does (words.hpp), then `--flag VALUE`, `--flag=VALUE`, `-v VALUE`, `-vVALUE`,
// `-v=VALUE` and combined one-letter booleans (`-it`, `-itv/a:/b`), against the table of every
// docker create flag (flags.hpp). Also: the bind a -v or --mount option makes.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "batchmount/detail/ascii.hpp"
#include "batchmount/result.hpp"
#include "batchmount/run_options/flags.hpp"
#include "batchmount/run_options/types.hpp"
#include "batchmount/run_options/words.hpp"
#include "batchmount/tables.hpp"

namespace batchmount {
inline namespace v1 {

namespace detail {
// A boolean flag's value as the docker CLI parses one (Go's strconv.ParseBool).
inline std::optional<bool> parse_go_bool(std::string_view text) noexcept {
  for (const std::string_view yes : {"1", "t", "T", "true", "TRUE", "True"})
    if (text == yes) return true;
  for (const std::string_view no : {"0", "f", "F", "false", "FALSE", "False"})
    if (text == no) return false;
  return std::nullopt;
}

inline std::string join_words(const std::vector<shell_word>& words, std::size_t first, std::size_t last) {
  std::string out;
  for (std::size_t i = first; i <= last; ++i) (out += i == first ? "" : " ") += words[i].text;
  return out;
}
}  // namespace detail

// Reads containerRunOptions on a node of `os` (its words split as that OS's node agent would
// split them: words.hpp). Fails with run_options_unreadable naming the word and its
// position for an unbalanced quote or a final backslash, a word that is no flag where a flag
// is expected (an image name, "-", "--"), a flag docker create does not have, a flag without
// its value, or a boolean flag given a value that is not a boolean.
inline result<run_option_list> read_run_options(std::string_view text, node_os os = node_os::linux_node) {
  const auto split = split_run_option_words(text, os);
  if (!split) return split.error();
  const std::vector<shell_word>& words = *split;
  run_option_list out;
  out.text = std::string(text);
  for (const auto& w : words) out.words.push_back(w.text);
  const auto unreadable = [&](std::size_t i) { return error(error_code::run_options_unreadable, words[i].text, i); };
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string_view w = words[i].text;
    const std::size_t first = i;
    if (w.size() > 2 && w[0] == '-' && w[1] == '-') {  // --flag, --flag=VALUE, --flag VALUE
      const std::size_t eq = w.find('=');
      const docker_flag* flag = detail::find_long_flag(w.substr(2, eq == std::string_view::npos ? w.npos : eq - 2));
      if (!flag) return unreadable(i);
      std::optional<std::string> value;
      if (eq != std::string_view::npos) value = std::string(w.substr(eq + 1));
      if (flag->takes_value && !value) {
        if (i + 1 == words.size()) return unreadable(i);
        value = words[++i].text;
      }
      if (!flag->takes_value && value && !detail::parse_go_bool(*value)) return unreadable(i);
      out.options.push_back({std::string(flag->name), value, detail::join_words(words, first, i), first});
      continue;
    }
    if (w.size() < 2 || w[0] != '-' || w[1] == '-') return unreadable(i);  // not a flag
    // One-letter flags: booleans in a row, then at most one that takes the rest (or the next word).
    std::vector<run_option> letters;
    for (std::size_t j = 1; j < w.size(); ++j) {
      const docker_flag* flag = detail::find_short_flag(w[j]);
      if (!flag) return unreadable(i);
      std::optional<std::string> value;
      std::string_view rest = w.substr(j + 1);
      const bool attached = !rest.empty() && rest[0] == '=';
      if (attached) rest.remove_prefix(1);
      if (flag->takes_value) {
        if (!rest.empty() || attached) {
          value = std::string(rest);
        } else {
          if (i + 1 == words.size()) return unreadable(i);
          value = words[++i].text;
        }
      } else if (attached) {
        if (!detail::parse_go_bool(rest)) return unreadable(i);
        value = std::string(rest);
      }
      letters.push_back({std::string(flag->name), value, {}, first});
      if (flag->takes_value || attached) break;
    }
    for (auto& option : letters) {
      option.written = detail::join_words(words, first, i);
      out.options.push_back(std::move(option));
    }
  }
  return out;
}

// A bind mount a run option makes.
struct run_option_bind {
  std::string source;  // a host path
  std::string target;
  bool read_only = false;
  bool recursive = false;  // read-only forced onto submounts (--mount bind-recursive=readonly)
};

namespace detail {
// Splits a `-v` bind "SRC:DST[:OPTIONS]", where a path may start with a drive ("C:\...").
inline std::vector<std::string> split_bind(std::string_view bind) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= bind.size(); ++i) {
    const bool drive = i == start + 1 && i + 1 < bind.size() && is_ascii_alpha(bind[start]) &&
                       (bind[i + 1] == '\\' || bind[i + 1] == '/');
    if (i == bind.size() || (bind[i] == ':' && !drive)) {
      parts.emplace_back(bind.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

// The fields of one CSV record as the docker CLI reads --mount (Go's encoding/csv): commas
// separate fields; a field that starts with '"' is quoted, '""' inside it is one '"'; a
// quote anywhere else, or a quoted field not closed or followed by more than a comma, is an
// error (nullopt).
inline std::optional<std::vector<std::string>> csv_fields(std::string_view text) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (true) {
    std::string field;
    if (i < text.size() && text[i] == '"') {
      for (++i;; ++i) {
        if (i == text.size()) return std::nullopt;
        if (text[i] != '"') { field += text[i]; continue; }
        if (i + 1 < text.size() && text[i + 1] == '"') { field += '"'; ++i; continue; }
        ++i;
        break;
      }
      if (i < text.size() && text[i] != ',') return std::nullopt;
    } else {
      for (; i < text.size() && text[i] != ','; ++i) {
        if (text[i] == '"') return std::nullopt;
        field += text[i];
      }
    }
    out.push_back(std::move(field));
    if (i == text.size()) return out;
    ++i;  // the comma
  }
}

inline bool is_host_path(std::string_view source, node_os os) noexcept {
  if (os == node_os::linux_node) return !source.empty() && source[0] == '/';
  return (source.size() >= 3 && is_ascii_alpha(source[0]) && source[1] == ':' && (source[2] == '\\' || source[2] == '/')) ||
         (source.size() >= 2 && (source[0] == '\\' || source[0] == '/') && (source[1] == '\\' || source[1] == '/'));
}
}  // namespace detail

// The bind a -v/--volume or --mount option makes: nullopt for any other option, a named or
// anonymous volume, a tmpfs. Fails with run_options_unreadable naming the option as written
// for a --mount value that is no CSV record, or a bind without a source or a target.
inline result<std::optional<run_option_bind>> bind_of(const run_option& option, node_os os) {
  if (!option.value) return std::optional<run_option_bind>();
  const std::string& value = *option.value;
  if (option.flag == "volume") {
    const auto parts = detail::split_bind(value);
    if (parts.size() < 2 || !detail::is_host_path(parts[0], os)) return std::optional<run_option_bind>();
    run_option_bind out{parts[0], parts[1], false, false};
    if (parts.size() > 2)
      for (const auto& flag : detail::csv_fields(parts[2]).value_or(std::vector<std::string>{}))
        out.read_only = out.read_only || flag == "ro" || flag == "readonly";
    return std::optional<run_option_bind>(out);
  }
  if (option.flag != "mount") return std::optional<run_option_bind>();
  const auto fields = detail::csv_fields(value);
  if (!fields) return error(error_code::run_options_unreadable, option.written, option.position);
  std::string type = "volume";
  std::optional<std::string> source, target;
  bool read_only = false, recursive = false, non_recursive = false;
  for (const auto& field : *fields) {
    const std::size_t eq = field.find('=');
    std::string key = field.substr(0, eq);  // the docker CLI reads keys in any case
    for (char& c : key) c = detail::ascii_lower(c);
    const std::optional<std::string> v = eq == std::string::npos ? std::nullopt : std::optional<std::string>(field.substr(eq + 1));
    const bool yes = !v || detail::parse_go_bool(*v).value_or(false);
    if (key == "type") type = v.value_or("");
    else if (key == "source" || key == "src") source = v;
    else if (key == "target" || key == "destination" || key == "dst") target = v;
    else if (key == "readonly" || key == "ro") read_only = yes;
    else if (key == "bind-recursive") recursive = v == std::string("readonly");
    else if (key == "bind-nonrecursive") non_recursive = yes;
  }
  if (type != "bind") return std::optional<run_option_bind>();
  if (!source || !target || source->empty() || target->empty())
    return error(error_code::run_options_unreadable, option.written, option.position);
  return std::optional<run_option_bind>(run_option_bind{*source, *target, read_only, read_only && recursive && !non_recursive});
}

}  // namespace v1
}  // namespace batchmount

#endif
