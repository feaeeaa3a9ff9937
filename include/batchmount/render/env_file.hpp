#ifndef BATCHMOUNT_RENDER_ENV_FILE_HPP
#define BATCHMOUNT_RENDER_ENV_FILE_HPP

// The container environment as NAME=VALUE records (docker --env-file, systemd, shells).

#include <string>
#include <vector>

#include "batchmount/environment.hpp"
#include "batchmount/render/detail/records.hpp"
#include "batchmount/result.hpp"

namespace batchmount {
inline namespace v1 {

// NAME=VALUE one a line, or NUL-terminated. Line mode refuses a value with a newline or
// carriage return (newline_in_line_output), and a name starting with '#' or white space
// (env_file_name), which docker's env-file reader would take as a comment or trim.
inline result<std::string> render_env_file(const container_environment& env,
                                           record_separator separator = record_separator::newline) {
  std::vector<std::string> records;
  for (const auto& v : env.variables()) {
    if (separator == record_separator::newline &&
        (v.name.front() == '#' || v.name.front() == ' ' || v.name.front() == '\t'))
      return error(error_code::env_file_name, v.name, records.size());
    records.push_back(v.name + "=" + v.value);
  }
  return detail::join_records(records, separator);
}

}  // namespace v1
}  // namespace batchmount

#endif
