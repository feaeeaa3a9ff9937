// batchmount-resolve: resolves the container settings of any kind of Azure Batch task for a
// node and prints the result in a format a runtime or a script reads. Exit status: 0
// resolved; 1 the request breaks a rule ("error: ..." on stderr, nothing on stdout); 2 usage
// or unreadable input.
#include <cstdio>
#include <iostream>
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

int run(int argc, char** argv) {
  options opt;
  if (const auto status = parse_arguments(argc, argv, opt)) return *status;

  const std::string name = input_name(opt.input);
  std::string text;
  if (!read_all(opt.input, text)) return fail_usage("cannot read " + opt.input);
  const auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return fail_usage(name + " is not valid JSON");
  const auto document = bm::parse_batch_json(json);
  if (!document) return fail_rule(document.error(), name);

  chosen_task chosen;
  if (const auto problem = choose_task(*document, opt, chosen)) return fail_usage(*problem);
  bm::context_options context_options;
  if (const auto problem = context_for(opt, *document, chosen, context_options)) return fail_usage(*problem);
  const auto context = bm::make_context(context_options);
  if (!context) return fail_rule(context.error());

  const auto resolution = bm::resolve(chosen.task->request, *context);
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
    const auto container_json = nlohmann::json::parse(container_text, nullptr, /*allow_exceptions=*/false);
    if (container_json.is_discarded()) return fail_usage(*opt.verify + " is not valid JSON");
    const auto container = bm::parse_container_json(container_json);
    if (!container) return fail_rule(container.error(), *opt.verify);
    const auto verdict = bm::verify(*resolution, *env, *container);
    const std::string report = render_verification(opt, verdict);
    std::fwrite(report.data(), 1, report.size(), stdout);
    if (std::fflush(stdout) != 0) return usage;
    return verdict.conforms() ? int{resolved} : int{not_conforming};
  }

  if (opt.format == "docker-args" || opt.format == "docker-api") {
    const auto warnings = bm::docker_engine_warnings(*resolution, opt.docker);
    if (!warnings) return fail_rule(warnings.error());
    for (const auto& w : *warnings) std::cerr << "warning: " << w << "\n";
  }
  const auto output = render(opt, *resolution, *env);
  if (!output) return fail_rule(output.error());
  std::fwrite(output->data(), 1, output->size(), stdout);
  return std::fflush(stdout) == 0 ? int{resolved} : int{usage};
}

}  // namespace

int main(int argc, char** argv) { return run(argc, argv); }
