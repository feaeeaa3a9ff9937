// batchmount-resolve: the command line. Every option, its value and the usage errors (exit 2).
#ifndef BATCHMOUNT_RESOLVE_OPTIONS_HPP
#define BATCHMOUNT_RESOLVE_OPTIONS_HPP

#include <cstdint>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "batchmount/batchmount.hpp"
#include "batchmount/render/cri.hpp"
#include "batchmount/render/docker_engine.hpp"

namespace cli {
namespace bm = batchmount;

enum exit_status { resolved = 0, broken_rule = 1, usage = 2, not_conforming = 3, output_failed = 4 };

constexpr std::string_view usage_text =
    "usage: batchmount-resolve [OPTIONS] [--] [DOCUMENT]  DOCUMENT: a file, or - / absent for stdin\n"
    "DOCUMENT: a task body, a bare containerSettings, a job body (jobManagerTask,\n"
    "jobPreparationTask, jobReleaseTask), a pool body (startTask) or ARM pool JSON\n"
    "(properties.startTask). Options take their value as --opt VALUE or --opt=VALUE; -- ends the\n"
    "options (a DOCUMENT named -x).\n"
    "  --os linux|windows          default linux\n"
    "  --node-root PATH            default /mnt/batch/tasks (linux), D:\\batch\\tasks (windows)\n"
    "  --kind KIND                 task|job-manager|job-preparation|job-release|start; inferred\n"
    "                              when the document holds exactly one kind of task\n"
    "  --subtask N                 a multi-instance task's subtask N (1 up); 0 or absent: the primary\n"
    "  --job-id ID                 required for every kind but start; a job body's \"id\" serves\n"
    "  --job-schedule-id ID        job directory workitems/{schedule}/{job} instead of workitems/{job}/job-1\n"
    "  --job-prep-task-id ID       default jobpreparation (or the job body's)\n"
    "  --job-release-task-id ID    default jobrelease (or the job body's)\n"
    "  --task-id ID                overrides the document's task \"id\"\n"
    "  --app-package ID[:VERSION]  repeatable; used only when the environment is synthesized\n"
    "  --env-file FILE             the task's host environment, NAME=VALUE lines ended by LF or\n"
    "                              CRLF (the CR is not part of the value; empty lines and lines\n"
    "                              starting with # skipped); without it the standard\n"
    "                              environment for the kind and context is synthesized, plus the\n"
    "                              document's environmentSettings\n"
    "  --env-rule isolation|literal  isolation (default): AZ_BATCH_*, HOME, PWD and PATH are\n"
    "                              filtered; literal: AZ_BATCH_* only, as the article words it\n"
    "  --format json|oci|docker-args|docker-api|cri|env|explain  default json\n"
    "                              (with --verify: json or text, the default; explain is refused)\n"
    "  -0, --null                  docker-args and env: NUL-separated instead of one per line\n"
    "  --docker-api-version X.Y    the Docker Engine's API version (docker version); before 1.44\n"
    "                              read-only mounts are refused, as they cannot be recursive\n"
    "  --cri-runtime-version V     the CRI runtime's version (runtime_version of CRI Version, e.g.\n"
    "                              1.6.20~ds1); before containerd 2.0 read-only mounts are refused\n"
    "  --accept-non-recursive-read-only  render them anyway, with a warning (submounts stay writable)\n"
    "  --accept-run-option-exposure  resolve a task whose containerRunOptions reach past its\n"
    "                              selection (a bind of an unselected directory, --volumes-from, ...);\n"
    "                              the findings become warnings (default: exit 1)\n"
    "  --verify FILE               check a container against the resolution: FILE is an OCI\n"
    "                              config.json, docker inspect or crictl inspect output\n"
    "                              (detected); prints the violations\n"
    "  --version                   print the version and exit\n"
    "  -h, --help                  print this help and exit\n"
    "exit status: 0 resolved (with --verify: the container conforms); 1 the request breaks a rule\n"
    "(error: <rule>: entry #i: got \"<value>\" on stderr, nothing on stdout); 2 usage error or\n"
    "unreadable input (invalid JSON: the byte, line and column); 3 (--verify) the container does\n"
    "not conform; 4 the output could not be written (a full disk, a closed pipe).\n";

struct options {
  bm::node_os os = bm::node_os::linux_node;
  std::optional<bm::task_kind> kind;
  std::optional<std::uint32_t> subtask;
  std::optional<std::string> node_root, job_id, job_schedule_id, task_id, env_file, job_prep_task_id,
      job_release_task_id;
  std::vector<std::pair<std::string, std::optional<std::string>>> app_packages;
  bm::env_rule env_rule = bm::env_rule::isolation_invariant;
  std::string format;  // empty until given: json, or text with --verify
  bool nul = false;
  std::string input = "-";
  bm::docker_engine docker;
  bm::cri_runtime cri;
  bm::run_option_policy run_options = bm::run_option_policy::refuse;
  std::optional<std::string> verify;
};

// A usage error: the message and a one-line hint, exit 2.
inline int fail_usage(const std::string& message) {
  std::cerr << "error: " << message << "\nTry 'batchmount-resolve --help' for the options.\n";
  return usage;
}

// The kinds --kind accepts (a multi-instance task is `task` with its document's
// multiInstanceSettings, and --subtask for a subtask).
constexpr std::string_view kind_choices = "task, job-manager, job-preparation, job-release or start";

inline std::optional<bm::task_kind> parse_kind_option(std::string_view text) {
  const auto kind = bm::parse_task_kind(text);
  if (!kind || *kind == bm::task_kind::multi_instance_primary || *kind == bm::task_kind::multi_instance_subtask)
    return std::nullopt;
  return kind;
}

// Applies one valued option; a usage error's exit status, or nullopt.
inline std::optional<int> apply_value(std::string_view arg, const std::string& v, options& out) {
  if (arg == "--os") {
    const auto os = bm::parse_os(v);
    if (!os) return fail_usage("--os must be linux or windows, got \"" + v + "\"");
    out.os = *os;
  } else if (arg == "--kind") {
    out.kind = parse_kind_option(v);
    if (!out.kind) return fail_usage("--kind must be " + std::string(kind_choices) + ", got \"" + v + "\"");
  } else if (arg == "--subtask") {
    const bool digits = !v.empty() && v.size() <= 9 && v.find_first_not_of("0123456789") == std::string::npos;
    if (!digits) return fail_usage("--subtask must be a number from 0 (the primary) up, got \"" + v + "\"");
    out.subtask = static_cast<std::uint32_t>(std::stoul(v));
  } else if (arg == "--env-rule") {
    if (v != "isolation" && v != "literal")
      return fail_usage("--env-rule must be isolation or literal, got \"" + v + "\"");
    out.env_rule = v == "literal" ? bm::env_rule::article_literal : bm::env_rule::isolation_invariant;
  } else if (arg == "--docker-api-version") {
    const auto version = bm::parse_docker_api_version(v);
    if (!version) return fail_usage("--docker-api-version must be MAJOR.MINOR (e.g. 1.41), got \"" + v + "\"");
    out.docker.api_version = *version;
  } else if (arg == "--cri-runtime-version") {
    const auto version = bm::parse_cri_runtime_version(v);
    if (!version) return fail_usage("--cri-runtime-version must be MAJOR.MINOR[.PATCH] (e.g. 1.6.20~ds1, v2.0.0), got \"" + v + "\"");
    out.cri.version = *version;
  } else if (arg == "--verify") out.verify = v;
  else if (arg == "--node-root") out.node_root = v;
  else if (arg == "--job-id") out.job_id = v;
  else if (arg == "--job-schedule-id") out.job_schedule_id = v;
  else if (arg == "--job-prep-task-id") out.job_prep_task_id = v;
  else if (arg == "--job-release-task-id") out.job_release_task_id = v;
  else if (arg == "--task-id") out.task_id = v;
  else if (arg == "--env-file") out.env_file = v;
  else if (arg == "--format") {
    if (v != "json" && v != "oci" && v != "docker-args" && v != "docker-api" && v != "cri" && v != "env" &&
        v != "explain" && v != "text")
      return fail_usage("--format must be json, oci, docker-args, docker-api, cri, env or explain (text with --verify), got \"" + v + "\"");
    out.format = v;
  } else {  // --app-package ID[:VERSION]
    const auto colon = v.find(':');
    if (colon == std::string::npos) out.app_packages.emplace_back(v, std::nullopt);
    else out.app_packages.emplace_back(v.substr(0, colon), v.substr(colon + 1));
  }
  return std::nullopt;
}

// Parses argv into `out`; returns an exit status when the program is done (help, version, or
// a usage error).
inline std::optional<int> parse_arguments(int argc, char** argv, options& out) {
  bool input_seen = false, options_ended = false;
  static constexpr std::string_view flags[] = {"-h", "--help", "--version", "-0", "--null",
                                               "--accept-non-recursive-read-only", "--accept-run-option-exposure"};
  static constexpr std::string_view valued[] = {
      "--os",        "--node-root",       "--job-id",      "--job-schedule-id", "--job-prep-task-id",
      "--task-id",   "--app-package",     "--env-file",    "--format",          "--kind",
      "--subtask",   "--job-release-task-id", "--env-rule", "--docker-api-version", "--verify",
      "--cri-runtime-version"};
  const auto is_one_of = [](std::string_view arg, const auto& names) {
    for (const auto name : names)
      if (arg == name) return true;
    return false;
  };
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (options_ended || arg == "-" || arg.empty() || arg[0] != '-') {
      if (input_seen) return fail_usage("only one DOCUMENT may be given");
      input_seen = true;
      out.input = std::string(arg);
      continue;
    }
    if (arg == "--") {
      options_ended = true;
      continue;
    }
    // --opt=VALUE is --opt VALUE.
    std::optional<std::string> attached;
    if (arg.size() > 2 && arg.substr(0, 2) == "--") {
      if (const auto eq = arg.find('='); eq != std::string_view::npos) {
        attached = std::string(arg.substr(eq + 1));
        arg = arg.substr(0, eq);
        if (is_one_of(arg, flags)) return fail_usage(std::string(arg) + " takes no value");
      }
    }
    if (arg == "-h" || arg == "--help") {
      std::cout << usage_text;
      return int{resolved};
    }
    if (arg == "--version") {
      std::cout << "batchmount-resolve " << BATCHMOUNT_VERSION_MAJOR << '.' << BATCHMOUNT_VERSION_MINOR << '.'
                << BATCHMOUNT_VERSION_PATCH << "\n";
      return int{resolved};
    }
    if (arg == "-0" || arg == "--null") {
      out.nul = true;
      continue;
    }
    if (arg == "--accept-run-option-exposure") {
      out.run_options = bm::run_option_policy::accept;
      continue;
    }
    if (arg == "--accept-non-recursive-read-only") {
      out.docker.accept_non_recursive_read_only = true;
      out.cri.accept_non_recursive_read_only = true;
      continue;
    }
    if (!is_one_of(arg, valued)) return fail_usage("unknown option " + std::string(arg));
    if (!attached && i + 1 >= argc) return fail_usage(std::string(arg) + " needs a value");
    const std::string v = attached ? *attached : std::string(argv[++i]);
    if (const auto problem = apply_value(arg, v, out)) return problem;
  }
  if (out.format.empty()) out.format = out.verify ? "text" : "json";
  if (out.verify && out.format != "json" && out.format != "text")
    return fail_usage("--verify prints json or text, got --format " + out.format);
  if (!out.verify && out.format == "text") return fail_usage("--format text is for --verify");
  return std::nullopt;
}

}  // namespace cli

#endif
