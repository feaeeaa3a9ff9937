#ifndef BATCHMOUNT_RENDER_DETAIL_RECORDS_HPP
#define BATCHMOUNT_RENDER_DETAIL_RECORDS_HPP

// Joining records (argv elements, env-file entries) one per line or NUL-terminated.

#include <cstddef>
#include <string>
#include <vector>

#include "batchmount/result.hpp"

namespace batchmount {
inline namespace v1 {

enum class record_separator : unsigned char {
  newline,  // one record a line: a record holding '\n' or '\r' is refused
  nul,      // each record followed by NUL: carries any text
};

namespace detail {
// Joins records with the separator after each; in newline mode fails with
// newline_in_line_output naming the record's index.
inline result<std::string> join_records(const std::vector<std::string>& records,
                                        record_separator separator) {
  std::string out;
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (separator == record_separator::newline &&
        records[i].find_first_of("\r\n") != std::string::npos)
      return error(error_code::newline_in_line_output, records[i], i);
    out += records[i];
    out += separator == record_separator::newline ? '\n' : '\0';
  }
  return out;
}
}  // namespace detail

}  // namespace v1
}  // namespace batchmount

#endif
