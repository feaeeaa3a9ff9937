#ifndef BATCHMOUNT_RENDER_DOCKER_ARGS_HPP
#define BATCHMOUNT_RENDER_DOCKER_ARGS_HPP

// `docker run` / `docker create` arguments: --mount (never -v, whose colons clash with
// Windows drives and odd paths), --env and --workdir.

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "batchmount/environment.hpp"
#include "batchmount/render/detail/records.hpp"
#include "batchmount/render/docker_engine.hpp"
#include "batchmount/resolution.hpp"
#include "batchmount/result.hpp"

namespace batchmount {
inline namespace v1 {
namespace detail {
// One field of the CSV record the docker CLI reads --mount as: quoted with "..." (inner
// quotes doubled) when it holds a comma, a quote, a line break or leading white space.
// A backslash escapes nothing there, so Windows paths pass as they are.
inline std::string csv_field(std::string_view field) {
  const bool quote = field.find_first_of(",\"\r\n") != std::string_view::npos ||
                     (!field.empty() && (field.front() == ' ' || field.front() == '\t'));
  if (!quote) return std::string(field);
  std::string out = "\"";
  for (const char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}
}  // namespace detail

// The value of one --mount option for a mount spec. Linux: bind-propagation=rprivate and,
// for read-only, bind-recursive=readonly (submounts read-only too; docker CLI 25+) unless
// `recursive` is false (an engine before API 1.44, accepted by the caller).
inline std::string docker_mount_value(const mount& m, node_os os, bool recursive = true) {
  std::string out = "type=bind,";
  out += detail::csv_field("source=" + m.host_path);
  out += ',';
  out += detail::csv_field("target=" + m.container_path);
  if (m.read_only) out += ",readonly";
  if (os == node_os::linux_node) {
    out += ",bind-propagation=rprivate";
    if (m.read_only && recursive) out += ",bind-recursive=readonly";
  }
  return out;
}

namespace detail {
// Calls emit({pieces of one argument}) for each argument, in order.
template <class Emit>
void for_each_docker_arg(const resolution& r, const container_environment& env, const docker_engine& engine,
                         Emit&& emit) {
  for (const auto& m : r.mounts) {
    emit({"--mount"});
    const std::string value = docker_mount_value(m, r.os, engine.recursive_read_only());
    emit({value});
  }
  env.for_each_variable([&](std::string_view name, std::string_view value) {
    emit({"--env"});
    emit({name, "=", value});
  });
  if (r.working_directory) {
    emit({"--workdir"});
    emit({*r.working_directory});
  }
  // The accepted containerRunOptions, word for word, after batchmount's own: the docker CLI
  // reads later options last, so what runs is what resolve judged.
  for (const auto& word : r.run_options.words) emit({word});
}
}  // namespace detail

// The argv elements: "--mount", value, ..., "--env", "NAME=VALUE", ..., "--workdir", path,
// then the resolution's accepted containerRunOptions as their words.
// For an engine the resolution cannot be rendered for (docker_engine_warnings fails), the
// read-only mounts are written without bind-recursive; check first.
inline std::vector<std::string> docker_args(const resolution& r, const container_environment& env,
                                            const docker_engine& engine = {}) {
  std::vector<std::string> args;
  detail::for_each_docker_arg(r, env, engine, [&](std::initializer_list<std::string_view> pieces) {
    std::string arg;
    for (const auto piece : pieces) arg += piece;
    args.push_back(std::move(arg));
  });
  return args;
}

// The arguments one per line (for `mapfile -t`) or NUL-terminated (for `xargs -0`); a
// newline in a line-mode argument fails with newline_in_line_output; an engine that cannot
// take the read-only mounts fails with docker_api_without_recursive_read_only.
inline result<std::string> render_docker_args(const resolution& r, const container_environment& env,
                                              record_separator separator = record_separator::newline,
                                              const docker_engine& engine = {}) {
  if (auto checked = docker_engine_warnings(r, engine); !checked) return checked.error();
  detail::record_writer out(separator);
  detail::for_each_docker_arg(r, env, engine, [&](std::initializer_list<std::string_view> pieces) { out.record(pieces); });
  return std::move(out).finish();
}

}  // namespace v1
}  // namespace batchmount

#endif
