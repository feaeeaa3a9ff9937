// batchmount-resolve: resolves a task's containerSettings for a node and prints the result
// in a format a runtime or a script reads. Exit status: 0 resolved; 1 the request breaks a
// rule ("error: ..." on stderr, nothing on stdout); 2 usage or unreadable input.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "batchmount/adapters/nlohmann_json.hpp"
#include "batchmount/batchmount.hpp"
#include "batchmount/render/docker_api.hpp"
#include "batchmount/render/docker_args.hpp"
#include "batchmount/render/env_file.hpp"
#include "batchmount/render/oci.hpp"

namespace bm = batchmount;

namespace {

constexpr std::string_view usage_text =
    "usage: batchmount-resolve [OPTIONS] [TASK_JSON]     TASK_JSON: a file, or - / absent for stdin\n"
    "  --os linux|windows          default linux\n"
    "  --node-root PATH            default /mnt/batch/tasks (linux), D:\\batch\\tasks (windows)\n"
    "  --job-id ID                 required\n"
    "  --job-schedule-id ID        job directory workitems/{schedule}/{job} instead of workitems/{job}/job-1\n"
    "  --job-prep-task-id ID       default jobpreparation\n"
    "  --task-id ID                overrides the task body's \"id\"\n"
    "  --app-package ID[:VERSION]  repeatable; used only when the environment is synthesized\n"
    "  --env-file FILE             the task's host environment, NAME=VALUE lines; without it the\n"
    "                              standard AZ_BATCH_* environment for the context is synthesized\n"
    "  --format json|oci|docker-args|docker-api|env|explain     default json\n"
    "  -0, --null                  docker-args and env: NUL-separated instead of one per line\n";

enum exit_status { resolved = 0, broken_rule = 1, usage = 2 };

struct options {
  bm::node_os os = bm::node_os::linux_node;
  std::optional<std::string> node_root, job_id, job_schedule_id, task_id, env_file;
  std::string job_prep_task_id{bm::default_job_prep_task_id};
  std::vector<std::pair<std::string, std::optional<std::string>>> app_packages;
  std::string format = "json";
  bool nul = false;
  std::string input = "-";
};

int fail_usage(const std::string& message) {
  std::cerr << "error: " << message << "\n" << usage_text;
  return usage;
}
int fail_rule(const bm::error& e) {
  std::cerr << "error: " << e.message() << "\n";
  return broken_rule;
}

// Parses argv into `out`; returns an exit status on a usage error.
std::optional<int> parse_arguments(int argc, char** argv, options& out) {
  bool input_seen = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const auto value = [&](std::string& into) -> bool {
      if (i + 1 >= argc) return false;
      into = argv[++i];
      return true;
    };
    std::string v;
    if (arg == "-h" || arg == "--help") {
      std::cout << usage_text;
      return int{resolved};
    } else if (arg == "-0" || arg == "--null") {
      out.nul = true;
    } else if (arg == "--os" || arg == "--node-root" || arg == "--job-id" ||
               arg == "--job-schedule-id" || arg == "--job-prep-task-id" || arg == "--task-id" ||
               arg == "--app-package" || arg == "--env-file" || arg == "--format") {
      if (!value(v)) return fail_usage(std::string(arg) + " needs a value");
      if (arg == "--os") {
        const auto os = bm::parse_os(v);
        if (!os) return fail_usage("--os must be linux or windows, got \"" + v + "\"");
        out.os = *os;
      } else if (arg == "--node-root") out.node_root = v;
      else if (arg == "--job-id") out.job_id = v;
      else if (arg == "--job-schedule-id") out.job_schedule_id = v;
      else if (arg == "--job-prep-task-id") out.job_prep_task_id = v;
      else if (arg == "--task-id") out.task_id = v;
      else if (arg == "--env-file") out.env_file = v;
      else if (arg == "--format") {
        if (v != "json" && v != "oci" && v != "docker-args" && v != "docker-api" && v != "env" &&
            v != "explain")
          return fail_usage("--format must be json, oci, docker-args, docker-api, env or explain, got \"" +
                            v + "\"");
        out.format = v;
      } else {  // --app-package ID[:VERSION]
        const auto colon = v.find(':');
        if (colon == std::string::npos) out.app_packages.emplace_back(v, std::nullopt);
        else out.app_packages.emplace_back(v.substr(0, colon), v.substr(colon + 1));
      }
    } else if (arg.size() > 1 && arg[0] == '-') {
      return fail_usage("unknown option " + std::string(arg));
    } else {
      if (input_seen) return fail_usage("only one TASK_JSON may be given");
      input_seen = true;
      out.input = std::string(arg);
    }
  }
  if (!out.job_id) return fail_usage("--job-id is required");
  return std::nullopt;
}

bool read_all(const std::string& path, std::string& out) {
  if (path == "-") {
    out.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    return !std::cin.bad();
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) return false;
  out.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
  return !file.bad();
}

// NAME=VALUE lines; empty lines and lines starting with '#' are skipped.
std::optional<std::string> read_env_file(const std::string& path, std::vector<bm::env_var>& out) {
  std::string text;
  if (!read_all(path, text)) return "cannot read --env-file " + path;
  std::istringstream lines(text);
  std::string line;
  for (std::size_t number = 1; std::getline(lines, line); ++number) {
    if (line.empty() || line[0] == '#') continue;
    const auto eq = line.find('=');
    if (eq == std::string::npos || eq == 0)
      return "--env-file " + path + " line " + std::to_string(number) + " is not NAME=VALUE";
    out.push_back({line.substr(0, eq), line.substr(eq + 1)});
  }
  return std::nullopt;
}

std::string explain(const bm::resolution& r, const bm::container_environment& env) {
  std::ostringstream out;
  out << "node: " << bm::to_wire(r.os) << ", root " << r.node_root << "\n";
  out << "data paths:\n";
  for (const auto& why : r.explanations) out << "  " << why.text() << "\n";
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
  for (const auto w : r.warnings) out << "warning: " << bm::warning_text(w) << "\n";
  return out.str();
}

// Pretty-prints a JSON document the library rendered (it is valid JSON by construction).
std::string pretty(const std::string& compact) { return nlohmann::json::parse(compact).dump(2) + "\n"; }

int run(int argc, char** argv) {
  options opt;
  if (const auto status = parse_arguments(argc, argv, opt)) return *status;

  std::string text;
  if (!read_all(opt.input, text)) return fail_usage("cannot read " + opt.input);
  const auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return fail_usage(opt.input + " is not valid JSON");
  const auto document = bm::parse_task_json(json);
  if (!document) return fail_rule(document.error());

  const std::optional<std::string>& task_id = opt.task_id ? opt.task_id : document->id;
  if (!task_id) return fail_usage("--task-id is required when the input has no \"id\"");
  bm::context_options context_options{opt.os, std::nullopt, *opt.job_id, std::nullopt, *task_id,
                                      opt.job_prep_task_id};
  if (opt.node_root) context_options.node_root = *opt.node_root;
  if (opt.job_schedule_id) context_options.job_schedule_id = *opt.job_schedule_id;
  const auto context = bm::make_context(context_options);
  if (!context) return fail_rule(context.error());

  const auto resolution = bm::resolve(document->request, *context);
  if (!resolution) return fail_rule(resolution.error());

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
  }
  const auto env = bm::filter_environment(*resolution, host_env);
  if (!env) return fail_rule(env.error());

  const auto separator = opt.nul ? bm::record_separator::nul : bm::record_separator::newline;
  bm::result<std::string> output = std::string();
  if (opt.format == "json") {
    output = bm::render_report_json(*resolution, *env, 2);
    if (output) *output += "\n";
  } else if (opt.format == "oci") {
    output = bm::render_oci(*resolution, *env);
    if (output) output = pretty(*output);
  } else if (opt.format == "docker-api") {
    output = bm::render_docker_api(*resolution, *env);
    if (output) output = pretty(*output);
  } else if (opt.format == "docker-args") {
    output = bm::render_docker_args(*resolution, *env, separator);
  } else if (opt.format == "env") {
    output = bm::render_env_file(*env, separator);
  } else {
    output = explain(*resolution, *env);
  }
  if (!output) return fail_rule(output.error());
  std::fwrite(output->data(), 1, output->size(), stdout);
  return std::fflush(stdout) == 0 ? int{resolved} : int{usage};
}

}  // namespace

int main(int argc, char** argv) { return run(argc, argv); }
