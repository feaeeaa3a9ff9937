#ifndef BATCHMOUNT_RENDER_DETAIL_JSON_HPP
#define BATCHMOUNT_RENDER_DETAIL_JSON_HPP

// The JSON encoder the JSON renderers share: strict UTF-8 check and string escaping.

#include <cstddef>
#include <utility>
#include <string>
#include <string_view>
#include <vector>

#include "batchmount/detail/ascii.hpp"
#include "batchmount/result.hpp"

namespace batchmount {
inline namespace v1 {
namespace detail {

// Appends `text` as a JSON string literal; fails with output_needs_utf8 on bad UTF-8.
inline result<bool> append_json_string(std::string& out, std::string_view text) {
  if (!is_valid_utf8(text)) return error(error_code::output_needs_utf8, text);
  out += '"';
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (byte < 0x20 || byte == 0x7f) {
          static constexpr char hex[] = "0123456789abcdef";
          out += "\\u00";
          out += hex[byte >> 4];
          out += hex[byte & 0xf];
        } else {
          out += c;
        }
    }
  }
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
    emit(name);
    out_ += ':';
    after_key_ = true;
    return *this;
  }
  json_writer& string(std::string_view text) {
    value_prefix();
    emit(text);
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
    if (failed_) return failure_;
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
  void emit(std::string_view text) {
    const auto ok = append_json_string(out_, text);
    if (!ok && !failed_) {
      failed_ = true;
      failure_ = ok.error();
    }
  }

  std::string out_;
  std::vector<bool> first_;
  bool after_key_ = false;
  bool failed_ = false;
  error failure_;
};

}  // namespace detail
}  // namespace v1
}  // namespace batchmount

#endif
