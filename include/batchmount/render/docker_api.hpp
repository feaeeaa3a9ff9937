#ifndef BATCHMOUNT_RENDER_DOCKER_API_HPP
#define BATCHMOUNT_RENDER_DOCKER_API_HPP

// A Docker Engine API ContainerCreate body fragment: HostConfig.Mounts, Env, WorkingDir.

#include <optional>
#include <string>
#include <string_view>

#include "batchmount/environment.hpp"
#include "batchmount/render/detail/json.hpp"
#include "batchmount/render/docker_engine.hpp"
#include "batchmount/render/run_options.hpp"
#include "batchmount/resolution.hpp"
#include "batchmount/result.hpp"

namespace batchmount {
inline namespace v1 {

// {"HostConfig":{"Mounts":[{"Type":"bind","Source","Target","ReadOnly","BindOptions"}],
//  "Binds":[...]},"Env":[...],"WorkingDir":...}; accepted containerRunOptions' --mount binds
// follow batchmount's mounts, their -v values are the Binds, their -e NAME=VALUE follow the
// Env, their -w replaces WorkingDir (run_options_not_carried names the rest). On Linux BindOptions sets Propagation "rprivate" and, for
// read-only mounts, ReadOnlyForceRecursive (API 1.44+: the daemon fails rather than
// leaving submounts writable). Windows mounts carry no BindOptions. WorkingDir is omitted
// for containerImageDefault. For an engine before API 1.44 read-only mounts carry no
// ReadOnlyForceRecursive (see docker_engine). Fails with output_needs_utf8 or
// docker_api_without_recursive_read_only.
inline result<std::string> render_docker_api(const resolution& r, const container_environment& env,
                                             const docker_engine& engine = {}) {
  if (auto checked = docker_engine_warnings(r, engine); !checked) return checked.error();
  const bool windows = r.os == node_os::windows_node;
  detail::json_writer out;
  out.begin_object().key("HostConfig").begin_object().key("Mounts").begin_array();
  for (const auto& m : r.mounts) {
    out.begin_object()
        .key("Type").string("bind")
        .key("Source").string(m.host_path)
        .key("Target").string(m.container_path)
        .key("ReadOnly").boolean(m.read_only);
    if (!windows) {
      out.key("BindOptions").begin_object().key("Propagation").string("rprivate");
      if (m.read_only && engine.recursive_read_only()) out.key("ReadOnlyForceRecursive").boolean(true);
      out.end_object();
    }
    out.end_object();
  }
  // Accepted containerRunOptions the API body can carry: exactly those docker_api_carries
  // names (render/run_options.hpp), so that the warning lists what is left out.
  const auto each = [&](std::string_view flag, auto&& write) {
    for (const auto& o : r.run_options.options)
      if (o.flag == flag && detail::docker_api_carries(o, r.os)) write(o);
  };
  each("mount", [&](const run_option& o) {
    const auto bind = bind_of(o, r.os);
    out.begin_object()
        .key("Type").string("bind")
        .key("Source").string((*bind)->source)
        .key("Target").string((*bind)->target)
        .key("ReadOnly").boolean((*bind)->read_only);
    if ((*bind)->recursive) out.key("BindOptions").begin_object().key("ReadOnlyForceRecursive").boolean(true).end_object();
    out.end_object();
  });
  out.end_array();
  bool binds = false;
  each("volume", [&](const run_option& o) {
    if (!binds) out.key("Binds").begin_array(), binds = true;
    out.string(*o.value);
  });
  if (binds) out.end_array();
  out.end_object().key("Env").begin_array();
  env.for_each_variable([&](std::string_view name, std::string_view value) { out.assignment(name, value); });
  each("env", [&](const run_option& o) { out.string(*o.value); });
  out.end_array();
  std::optional<std::string> workdir = r.working_directory;
  each("workdir", [&](const run_option& o) { workdir = *o.value; });
  if (workdir) out.key("WorkingDir").string(*workdir);
  out.end_object();
  return std::move(out).finish();
}

}  // namespace v1
}  // namespace batchmount

#endif
