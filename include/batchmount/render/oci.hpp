#ifndef BATCHMOUNT_RENDER_OCI_HPP
#define BATCHMOUNT_RENDER_OCI_HPP

// An OCI runtime-spec config fragment: "mounts", "process.env" and "process.cwd", to merge
// into a bundle's config.json.

#include <string>

#include "batchmount/environment.hpp"
#include "batchmount/render/detail/json.hpp"
#include "batchmount/resolution.hpp"
#include "batchmount/result.hpp"

namespace batchmount {
inline namespace v1 {

struct oci_options {
  // Linux read-only mounts use "rro" (recursive read-only: submounts under fsmounts
  // included; runc >= 1.1 on kernel >= 5.12). Off: plain "ro", which leaves submounts
  // writable; only for runtimes that reject "rro".
  bool recursive_read_only = true;
};

// {"mounts":[...],"process":{"env":[...],"cwd":...}}. Linux mounts are binds with
// "rbind" and "rprivate" (plus "rro" or "ro"); Windows mounts use the OCI Windows form
// (destination, source, and "ro" only). "cwd" is omitted for containerImageDefault.
// Fails with output_needs_utf8 when a path or variable is not valid UTF-8.
inline result<std::string> render_oci(const resolution& r, const container_environment& env,
                                      const oci_options& options = {}) {
  const bool windows = r.os == node_os::windows_node;
  detail::json_writer out;
  out.begin_object().key("mounts").begin_array();
  for (const auto& m : r.mounts) {
    out.begin_object().key("destination").string(m.container_path);
    if (!windows) out.key("type").string("bind");
    out.key("source").string(m.host_path).key("options").begin_array();
    if (!windows) out.string("rbind").string("rprivate");
    if (m.read_only) out.string(windows || !options.recursive_read_only ? "ro" : "rro");
    out.end_array().end_object();
  }
  out.end_array().key("process").begin_object().key("env").begin_array();
  env.for_each_variable([&](std::string_view name, std::string_view value) { out.assignment(name, value); });
  out.end_array();
  if (r.working_directory) out.key("cwd").string(*r.working_directory);
  out.end_object().end_object();
  return std::move(out).finish();
}

}  // namespace v1
}  // namespace batchmount

#endif
