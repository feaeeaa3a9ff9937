// batchmount-resolve: resolves the container settings of any kind of Azure Batch task for a
// node and prints the result in a format a runtime or a script reads. Exit status: 0
// resolved; 1 the request breaks a rule ("error: ..." on stderr, nothing on stdout); 2 usage
// or unreadable input; 3 (--verify) the container does not conform; 4 the output could not be
// written.
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "input.hpp"
#include "options.hpp"
#include "output.hpp"

namespace {
using namespace cli;

int fail_rule(const bm::error& e, const std::string& where = "") {
  std::cerr << "error: " << (where.empty() ? "" : where + ": ") << e.message() << "\n";
  return broken_rule;
}

// Parses `text` (from `name`) into `out`; the usage error, with where it stops, otherwise.
std::optional<std::string> parse_json(const std::string& text, const std::string& name, nlohmann::json& out) {
  try {
    out = nlohmann::json::parse(text);
    return std::nullopt;
  } catch (const nlohmann::json::parse_error& e) {
    // e.byte counts from 1 and is the byte the parser stopped at (past the end: the text ended).
    const std::size_t at = e.byte == 0 ? 0 : e.byte - 1;
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < at && i < text.size(); ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    return name + " is not valid JSON: at byte " + std::to_string(e.byte) + " (line " + std::to_string(line) +
           ", column " + std::to_string(column) + ")";
  }
}

// Writes the output; a failed write (a full disk, a closed pipe) is exit 4 with a message.
int write_output(const std::string& text, int status) {
  const bool written = std::fwrite(text.data(), 1, text.size(), stdout) == text.size();
  if (std::fflush(stdout) != 0 || !written) {
    std::cerr << "error: the output could not be written\n";
    return output_failed;
  }
  return status;
}

int run(int argc, char** argv) {
  options opt;
  if (const auto status = parse_arguments(argc, argv, opt)) return *status;

  const std::string name = input_name(opt.input);
  std::string text;
  if (!read_all(opt.input, text)) return fail_usage("cannot read " + opt.input);
  nlohmann::json json;
  if (const auto problem = parse_json(text, name, json)) return fail_usage(*problem);
  const auto document = bm::parse_batch_json(json);
  if (!document) return fail_rule(document.error(), name);

  chosen_task chosen;
  if (const auto problem = choose_task(*document, opt, chosen)) return fail_usage(*problem);
  bm::context_options context_options;
  if (const auto problem = context_for(opt, *document, chosen, context_options)) return fail_usage(*problem);
  const auto context = bm::make_context(context_options);
  if (!context) return fail_rule(context.error());

  const auto resolution = bm::resolve(chosen.task->request, *context, opt.run_options);
  if (!resolution) return fail_rule(resolution.error(), name);

  std::vector<bm::env_var> host_env;
  if (opt.env_file) {
    if (const auto problem = read_env_file(*opt.env_file, host_env)) return fail_usage(*problem);
  } else {
    std::vector<bm::application_package> packages;
    for (const auto& [id, version] : opt.app_packages)
      packages.push_back({id, version ? std::optional<std::string_view>(*version) : std::nullopt});
    auto synthesized = bm::standard_environment(*context, packages);
    if (!synthesized) return fail_rule(synthesized.error());
    host_env = std::move(*synthesized);
    // The task's own environmentSettings come on top, as the node agent sets them.
    host_env.insert(host_env.end(), chosen.task->environment.begin(), chosen.task->environment.end());
  }
  const auto env = bm::filter_environment(*resolution, host_env, opt.env_rule);
  if (!env) return fail_rule(env.error());

  if (opt.verify) {
    std::string container_text;
    if (!read_all(*opt.verify, container_text)) return fail_usage("cannot read --verify " + *opt.verify);
    nlohmann::json container_json;
    if (const auto problem = parse_json(container_text, *opt.verify, container_json)) return fail_usage(*problem);
    const auto container = bm::parse_container_json(container_json);
    if (!container) return fail_rule(container.error(), *opt.verify);
    const auto verdict = bm::verify(*resolution, *env, *container);
    return write_output(render_verification(opt, verdict), verdict.conforms() ? int{resolved} : int{not_conforming});
  }

  if (opt.format == "docker-args" || opt.format == "docker-api") {
    const auto warnings = bm::docker_engine_warnings(*resolution, opt.docker);
    if (!warnings) return fail_rule(warnings.error());
    for (const auto& w : *warnings) std::cerr << "warning: " << w << "\n";
  } else if (opt.format == "cri") {
    const auto warnings = bm::cri_runtime_warnings(*resolution, opt.cri);
    if (!warnings) return fail_rule(warnings.error());
    for (const auto& w : *warnings) std::cerr << "warning: " << w << "\n";
  }
  if (opt.format != "json" && opt.format != "explain")
    for (const auto& f : resolution->run_option_findings) std::cerr << "warning: " << f.message << "\n";
  const std::pair<const char*, bm::run_option_carrier> carriers[] = {{"docker-args", bm::run_option_carrier::docker_args},
                                                                      {"docker-api", bm::run_option_carrier::docker_api},
                                                                      {"oci", bm::run_option_carrier::oci},
                                                                      {"cri", bm::run_option_carrier::cri}};
  for (const auto& [format, carrier] : carriers)
    if (opt.format == format)
      for (const auto& w : bm::run_option_warnings(*resolution, carrier)) std::cerr << "warning: " << w << "\n";
  const auto output = render(opt, *resolution, *env);
  if (!output) return fail_rule(output.error());
  return write_output(*output, resolved);
}

}  // namespace

int main(int argc, char** argv) { return run(argc, argv); }
