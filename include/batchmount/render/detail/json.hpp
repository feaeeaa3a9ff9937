#ifndef BATCHMOUNT_RENDER_DETAIL_JSON_HPP
#define BATCHMOUNT_RENDER_DETAIL_JSON_HPP

// The JSON encoder the JSON renderers share: strict UTF-8 check and string escaping.

#include <cstddef>
#include <utility>
#include <string>
#include <initializer_list>
#include <string_view>
#include <vector>

#include "batchmount/detail/ascii.hpp"
#include "batchmount/result.hpp"

namespace batchmount {
inline namespace v1 {
namespace detail {

// Appends valid UTF-8 `text` JSON-escaped, without quotes.
inline void append_json_escaped(std::string& out, std::string_view text) {
  std::size_t plain = 0;  // bytes that need no escape are appended in runs
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const auto byte = static_cast<unsigned char>(c);
    if (c != '"' && c != '\\' && byte >= 0x20 && byte != 0x7f) continue;
    out.append(text.data() + plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        static constexpr char hex[] = "0123456789abcdef";
        out += "\\u00";
        out += hex[byte >> 4];
        out += hex[byte & 0xf];
    }
  }
  out.append(text.data() + plain, text.size() - plain);
}

// Appends the pieces, joined, as one JSON string literal; fails with output_needs_utf8 on
// a piece that is not UTF-8.
inline result<bool> append_json_string(std::string& out, std::initializer_list<std::string_view> pieces) {
  for (const auto piece : pieces)
    if (!is_valid_utf8(piece)) return error(error_code::output_needs_utf8, piece);
  out += '"';
  for (const auto piece : pieces) append_json_escaped(out, piece);
  out += '"';
  return true;
}

// A minimal streaming JSON writer: commas by nesting level, strings through
// append_json_string, and the first encoding failure kept for finish().
class json_writer {
 public:
  json_writer& begin_object() { return open('{'); }
  json_writer& end_object() { return close('}'); }
  json_writer& begin_array() { return open('['); }
  json_writer& end_array() { return close(']'); }
  json_writer& key(std::string_view name) {
    value_prefix();
    emit({name});
    out_ += ':';
    after_key_ = true;
    return *this;
  }
  json_writer& string(std::string_view text) {
    value_prefix();
    emit({text});
    return *this;
  }
  // One string "<name>=<value>", written without a temporary.
  json_writer& assignment(std::string_view name, std::string_view value) {
    value_prefix();
    emit({name, "=", value});
    return *this;
  }
  json_writer& boolean(bool value) {
    value_prefix();
    out_ += value ? "true" : "false";
    return *this;
  }
  json_writer& null() {
    value_prefix();
    out_ += "null";
    return *this;
  }
  // The document, or the first value that could not be encoded.
  result<std::string> finish() && {
    if (failure_.failed()) return failure_.get();
    return std::move(out_);
  }

 private:
  json_writer& open(char bracket) {
    value_prefix();
    out_ += bracket;
    first_.push_back(true);
    return *this;
  }
  json_writer& close(char bracket) {
    out_ += bracket;
    first_.pop_back();
    return *this;
  }
  void value_prefix() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (first_.empty()) return;
    if (!first_.back()) out_ += ',';
    first_.back() = false;
  }
  void emit(std::initializer_list<std::string_view> pieces) {
    const auto ok = append_json_string(out_, pieces);
    if (!ok) failure_.keep(ok.error());
  }

  std::string out_;
  std::vector<bool> first_;
  bool after_key_ = false;
  first_error failure_;
};

}  // namespace detail
}  // namespace v1
}  // namespace batchmount

#endif
