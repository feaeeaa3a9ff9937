#ifndef BATCHMOUNT_RENDER_RUN_OPTIONS_HPP
#define BATCHMOUNT_RENDER_RUN_OPTIONS_HPP

// Which of a resolution's accepted containerRunOptions each renderer carries, so that what a
// node agent runs is what was judged: the docker arguments carry every word after
// batchmount's own (the whole `docker create`); the Engine API body carries -v (Binds),
// --mount type=bind (Mounts), -e NAME=VALUE (Env) and -w (WorkingDir); OCI and CRI have no
// place for docker options. What a renderer cannot carry it names in a warning, never
// dropping it silently.

#include <string>
#include <vector>

#include "batchmount/resolution/types.hpp"
#include "batchmount/run_options/read.hpp"

namespace batchmount {
inline namespace v1 {

enum class run_option_carrier : unsigned char { docker_args, docker_api, oci, cri };

namespace detail {
// Whether the Engine API rendering carries this option (a bind, a variable with its value,
// the working directory): render_docker_api writes exactly these.
inline bool docker_api_carries(const run_option& o, node_os os) {
  if (o.flag == "volume" || o.flag == "workdir") return o.value.has_value();
  if (o.flag == "env") return o.value && o.value->find('=') != std::string::npos;
  if (o.flag == "mount") {
    const auto bind = bind_of(o, os);
    return bind && *bind;
  }
  return false;
}
}  // namespace detail

// The options `carrier` does not carry, as written, in option order (all of them for an
// unreadable text, which nobody carries).
inline std::vector<std::string> run_options_not_carried(const resolution& r, run_option_carrier carrier) {
  std::vector<std::string> out;
  if (!r.run_options.readable) {
    out.push_back(r.run_options.text);
    return out;
  }
  for (const auto& o : r.run_options.options) {
    const bool carried = carrier == run_option_carrier::docker_args ||
                         (carrier == run_option_carrier::docker_api && detail::docker_api_carries(o, r.os));
    if (!carried && (out.empty() || out.back() != o.written)) out.push_back(o.written);  // "-it": once
  }
  return out;
}

// One warning naming what `carrier` leaves out, or none.
inline std::vector<std::string> run_option_warnings(const resolution& r, run_option_carrier carrier) {
  const auto left = run_options_not_carried(r, carrier);
  if (left.empty()) return {};
  std::string text = r.run_options.readable ? "containerRunOptions not carried by this output (pass them yourself, as judged):"
                                            : "containerRunOptions could not be read and are not carried:";
  for (const auto& o : left) (text += " ") += o;
  return {text};
}

}  // namespace v1
}  // namespace batchmount

#endif
