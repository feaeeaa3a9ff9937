#ifndef BATCHMOUNT_RENDER_DETAIL_RECORDS_HPP
#define BATCHMOUNT_RENDER_DETAIL_RECORDS_HPP

// Records (argv elements, env-file entries) one per line or NUL-terminated.

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>

#include "batchmount/result.hpp"

namespace batchmount {
inline namespace v1 {

enum class record_separator : unsigned char {
  newline,  // one record a line: a record holding '\n' or '\r' is refused
  nul,      // each record followed by NUL: carries any text
};

namespace detail {
// Writes records, each the join of its pieces, straight into one string; in newline mode
// the first record holding a line break fails finish() with newline_in_line_output naming
// the record's index.
class record_writer {
 public:
  explicit record_writer(record_separator separator) : separator_(separator) {}

  void record(std::initializer_list<std::string_view> pieces) {
    if (failure_.failed()) return;
    const std::size_t start = out_.size();
    for (const auto piece : pieces) out_ += piece;
    bool line_break = false;
    if (separator_ == record_separator::newline)
      for (std::size_t i = start; i < out_.size(); ++i) line_break |= out_[i] == '\n' || out_[i] == '\r';
    if (line_break) return failure_.keep(error(error_code::newline_in_line_output, std::string_view(out_).substr(start), count_));
    out_ += separator_ == record_separator::newline ? '\n' : '\0';
    ++count_;
  }
  // A failure decided by the caller (index = the record about to be written).
  void fail(error_code code, std::string_view value) { failure_.keep(error(code, value, count_)); }

  result<std::string> finish() && {
    if (failure_.failed()) return failure_.get();
    return std::move(out_);
  }

 private:
  record_separator separator_;
  std::string out_;
  std::size_t count_ = 0;
  first_error failure_;
};
}  // namespace detail

}  // namespace v1
}  // namespace batchmount

#endif
