#ifndef BATCHMOUNT_RENDER_DOCKER_API_HPP
#define BATCHMOUNT_RENDER_DOCKER_API_HPP

// A Docker Engine API ContainerCreate body fragment: HostConfig.Mounts, Env, WorkingDir.

#include <string>

#include "batchmount/environment.hpp"
#include "batchmount/render/detail/json.hpp"
#include "batchmount/render/docker_engine.hpp"
#include "batchmount/resolution.hpp"
#include "batchmount/result.hpp"

namespace batchmount {
inline namespace v1 {

// {"HostConfig":{"Mounts":[{"Type":"bind","Source","Target","ReadOnly","BindOptions"}]},
//  "Env":[...],"WorkingDir":...}. On Linux BindOptions sets Propagation "rprivate" and, for
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
  out.end_array().end_object().key("Env").begin_array();
  env.for_each_variable([&](std::string_view name, std::string_view value) { out.assignment(name, value); });
  out.end_array();
  if (r.working_directory) out.key("WorkingDir").string(*r.working_directory);
  out.end_object();
  return std::move(out).finish();
}

}  // namespace v1
}  // namespace batchmount

#endif
