// batchmount-resolve: the resolution in the format asked for.
#ifndef BATCHMOUNT_RESOLVE_OUTPUT_HPP
#define BATCHMOUNT_RESOLVE_OUTPUT_HPP

#include <sstream>
#include <string>

#include "batchmount/adapters/nlohmann_json.hpp"
#include "batchmount/batchmount.hpp"
#include "batchmount/render/cri.hpp"
#include "batchmount/render/docker_api.hpp"
#include "batchmount/render/docker_args.hpp"
#include "batchmount/render/env_file.hpp"
#include "batchmount/render/oci.hpp"
#include "batchmount/render/run_options.hpp"
#include "batchmount/verify.hpp"
#include "options.hpp"

namespace cli {

// Why each data path is or is not there, the mounts, every environment decision that is not
// a plain pass-through, the working directory and the warnings, in words.
inline std::string explain(const bm::resolution& r, const bm::container_environment& env) {
  std::ostringstream out;
  out << "node: " << bm::to_string(r.os) << ", root " << r.node_root << "; kind: " << bm::to_string(r.kind) << "\n";
  out << "data paths:\n";
  for (const auto& why : r.explanations)
    if (!why.host_directory.empty() || why.state != bm::selection::not_selected) out << "  " << why.text() << "\n";
  out << "mounts (in mount order):\n";
  if (r.mounts.empty()) out << "  (none)\n";
  for (const auto& m : r.mounts)
    out << "  " << m.host_path << " -> " << m.container_path
        << (m.read_only ? " (read-only, recursive)" : " (read/write)") << "\n";
  out << "environment:\n";
  for (const auto& d : env.decisions)
    if (d.action != bm::env_action::kept || d.path) out << "  " << d.text() << "\n";
  out << "working directory: "
      << (r.working_directory ? *r.working_directory : std::string("(containerImageDefault)")) << "\n";
  if (!r.run_options.text.empty() || !r.run_options.readable) {
    out << "containerRunOptions:\n";
    if (r.run_option_findings.empty() && r.run_options_outside_scope.empty()) out << "  (nothing that reaches the node's data)\n";
    for (const auto& f : r.run_option_findings) out << "  " << bm::to_string(f.kind) << ": " << f.message << "\n";
    for (const auto& o : r.run_options_outside_scope) out << "  outside the node root (not judged): " << o << "\n";
  }
  for (const auto w : r.warnings) out << "warning: " << bm::warning_text(w) << "\n";
  for (const auto& w : env.warnings()) out << "warning: " << w << "\n";
  return out.str();
}

// Pretty-prints a JSON document the library rendered (it is valid JSON by construction).
inline std::string pretty(const std::string& compact) { return nlohmann::json::parse(compact).dump(2) + "\n"; }

inline bm::result<std::string> render(const options& opt, const bm::resolution& r, const bm::container_environment& env) {
  const auto separator = opt.nul ? bm::record_separator::nul : bm::record_separator::newline;
  bm::result<std::string> output = std::string();
  if (opt.format == "json") {
    output = bm::render_report_json(r, env, 2);
    if (output) *output += "\n";
  } else if (opt.format == "oci") {
    output = bm::render_oci(r, env);
    if (output) output = pretty(*output);
  } else if (opt.format == "docker-api") {
    output = bm::render_docker_api(r, env, opt.docker);
    if (output) output = pretty(*output);
  } else if (opt.format == "docker-args") {
    output = bm::render_docker_args(r, env, separator, opt.docker);
  } else if (opt.format == "cri") {
    output = bm::render_cri(r, env, opt.cri);
    if (output) output = pretty(*output);
  } else if (opt.format == "env") {
    output = bm::render_env_file(env, separator);
  } else {
    output = explain(r, env);
  }
  return output;
}

// The violations of a verified container: one sentence a line (text), or a JSON document
// {"conforms", "violations": [{"class", "subject", "observed", "expected", "dataPath",
// "message"}], "outsideScope": [{"hostPath", "containerPath", "readOnly"}], "alsoMounted": [the
// same, for a selected directory mounted again at another container path], "processChecked":
// false when the document reported no environment or working directory}.
inline std::string render_verification(const options& opt, const bm::verification& v) {
  if (opt.format == "json") {
    auto violations = nlohmann::json::array();
    for (const auto& x : v.violations)
      violations.push_back({{"class", std::string(bm::to_string(x.kind))},
                            {"subject", x.subject},
                            {"observed", x.observed},
                            {"expected", x.expected},
                            {"dataPath", x.path ? nlohmann::json(std::string(bm::to_wire(*x.path))) : nullptr},
                            {"message", x.text()}});
    const auto mounts = [](const std::vector<bm::mount>& list) {
      auto array = nlohmann::json::array();
      for (const auto& m : list)
        array.push_back({{"hostPath", m.host_path}, {"containerPath", m.container_path}, {"readOnly", m.read_only}});
      return array;
    };
    const nlohmann::json doc = {{"conforms", v.conforms()},
                                {"violations", violations},
                                {"outsideScope", mounts(v.outside_scope)},
                                {"alsoMounted", mounts(v.also_mounted)},
                                {"processChecked", v.process_checked},
                                {"acceptedExposures", mounts(v.accepted_exposures)}};
    return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  }
  std::ostringstream out;
  for (const auto& x : v.violations) out << bm::to_string(x.kind) << ": " << x.text() << "\n";
  for (const auto& m : v.outside_scope)
    out << "outside the node root (not judged): " << m.host_path << " -> " << m.container_path << "\n";
  for (const auto& m : v.accepted_exposures)
    out << "accepted (containerRunOptions): " << m.host_path << " -> " << m.container_path << "\n";
  for (const auto& m : v.also_mounted)
    out << "also mounted (judged by its mode): " << m.host_path << " -> " << m.container_path
        << (m.read_only ? " read-only" : " read/write") << "\n";
  if (!v.process_checked)
    out << "not checked: the document reports no environment or working directory (crictl inspect without "
           "info.runtimeSpec); only the mounts were compared\n";
  out << (v.conforms() ? "conforms: the container is isolated as its task asked\n"
                       : "does not conform: " + std::to_string(v.violations.size()) + " violation(s)\n");
  return out.str();
}

}  // namespace cli

#endif
