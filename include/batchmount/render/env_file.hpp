#ifndef BATCHMOUNT_RENDER_ENV_FILE_HPP
#define BATCHMOUNT_RENDER_ENV_FILE_HPP

// The container environment as NAME=VALUE records (docker --env-file, systemd, shells).

#include <string>

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
  detail::record_writer out(separator);
  env.for_each_variable([&](std::string_view name, std::string_view value) {
    if (separator == record_separator::newline && (name.front() == '#' || name.front() == ' ' || name.front() == '\t'))
      out.fail(error_code::env_file_name, name);
    out.record({name, "=", value});
  });
  return std::move(out).finish();
}

}  // namespace v1
}  // namespace batchmount

#endif
