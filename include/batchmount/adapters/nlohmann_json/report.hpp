#ifndef BATCHMOUNT_ADAPTERS_NLOHMANN_JSON_REPORT_HPP
#define BATCHMOUNT_ADAPTERS_NLOHMANN_JSON_REPORT_HPP

// The report writer: a resolution and its filtered environment as the JSON report
// batchmount-resolve prints.

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "batchmount/environment.hpp"
#include "batchmount/render/detail/json.hpp"
#include "batchmount/resolution.hpp"
#include "batchmount/result.hpp"
#include "batchmount/tables.hpp"

namespace batchmount {
inline namespace v1 {

// The resolution report batchmount-resolve prints with --format json: "os", "mounts"
// ({"source" (wire name, null for the whole root), "hostPath", "containerPath",
// "readOnly"}), "environment" (name -> container value), "removedEnvironment",
// "workingDirectory" (null for containerImageDefault) and "warnings"; where the request had
// containerRunOptions, "runOptions" (each finding: {"class", "option", "message"}) and
// "runOptionsOutsideScope" (the binds from outside the node root, as written). Strings are
// stored as given: dump() throws on one that is not UTF-8; render_report_json checks first.
inline nlohmann::json report_json(const resolution& r, const container_environment& env) {
  nlohmann::json out = nlohmann::json::object();
  out["os"] = std::string(to_string(r.os));
  auto mounts = nlohmann::json::array();
  for (const auto& m : r.mounts)
    mounts.push_back({{"source", m.source ? nlohmann::json(std::string(to_wire(*m.source))) : nullptr},
                      {"hostPath", m.host_path},
                      {"containerPath", m.container_path},
                      {"readOnly", m.read_only}});
  out["mounts"] = std::move(mounts);
  auto variables = nlohmann::json::object();
  for (const auto& v : env.variables()) variables[v.name] = v.value;
  out["environment"] = std::move(variables);
  out["removedEnvironment"] = env.removed_names();
  out["workingDirectory"] = r.working_directory ? nlohmann::json(*r.working_directory) : nullptr;
  auto warnings = nlohmann::json::array();
  for (const auto w : r.warnings) warnings.push_back(std::string(warning_text(w)));
  for (auto& w : env.warnings()) warnings.push_back(std::move(w));
  out["warnings"] = std::move(warnings);
  if (!r.run_options.text.empty() || !r.run_options.readable || !r.run_option_findings.empty()) {
    auto findings = nlohmann::json::array();
    for (const auto& f : r.run_option_findings)
      findings.push_back({{"class", std::string(to_string(f.kind))}, {"option", f.option}, {"message", f.message}});
    out["runOptions"] = std::move(findings);
    out["runOptionsOutsideScope"] = r.run_options_outside_scope;
  }
  return out;
}

// report_json dumped with `indent` (nlohmann-json's meaning), or output_needs_utf8 naming
// the first path, name or value that is not valid UTF-8 (removed names included), where a
// plain dump() would throw.
inline result<std::string> render_report_json(const resolution& r, const container_environment& env,
                                              int indent = -1) {
  const auto check = [](std::string_view text) -> std::optional<error> {
    if (detail::is_valid_utf8(text)) return std::nullopt;
    return error(error_code::output_needs_utf8, text);
  };
  for (const auto& m : r.mounts)
    for (const auto* text : {&m.host_path, &m.container_path})
      if (auto e = check(*text)) return *e;
  for (const auto& d : env.decisions)
    for (const auto* text : {&d.name, &d.container_value})
      if (auto e = check(*text)) return *e;
  if (r.working_directory)
    if (auto e = check(*r.working_directory)) return *e;
  for (const auto& f : r.run_option_findings)
    if (auto e = check(f.message)) return *e;
  for (const auto& o : r.run_options_outside_scope)
    if (auto e = check(o)) return *e;
  return report_json(r, env).dump(indent);
}

}  // namespace v1
}  // namespace batchmount

#endif
