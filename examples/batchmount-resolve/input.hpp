// batchmount-resolve: the input document, the task it names, the context and the host
// environment.
#ifndef BATCHMOUNT_RESOLVE_INPUT_HPP
#define BATCHMOUNT_RESOLVE_INPUT_HPP

#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "batchmount/adapters/nlohmann_json.hpp"
#include "batchmount/batchmount.hpp"
#include "options.hpp"

namespace cli {

// How the input is named in messages.
inline std::string input_name(const std::string& path) { return path == "-" ? "(stdin)" : path; }

inline bool read_all(const std::string& path, std::string& out) {
  if (path == "-") {
    out.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    return !std::cin.bad();
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) return false;
  out.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
  return !file.bad();
}

// NAME=VALUE lines, ended by LF or CRLF (a file written on Windows: the '\r' before a newline,
// or before the end of the file, is not part of the value); empty lines and lines starting
// with '#' are skipped. A usage problem (unreadable, malformed) is returned as its message.
inline std::optional<std::string> read_env_file(const std::string& path, std::vector<bm::env_var>& out) {
  std::string text;
  if (!read_all(path, text)) return "cannot read --env-file " + path;
  std::istringstream lines(text);
  std::string line;
  for (std::size_t number = 1; std::getline(lines, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    const auto eq = line.find('=');
    if (eq == std::string::npos || eq == 0)
      return "--env-file " + path + " line " + std::to_string(number) + " is not NAME=VALUE";
    out.push_back({line.substr(0, eq), line.substr(eq + 1)});
  }
  return std::nullopt;
}

// The task the command line and the document name together, and where it runs.
struct chosen_task {
  const bm::task_document* task = nullptr;
  bm::task_kind kind = bm::task_kind::task;
  std::uint32_t subtask = 0;
};

// Picks the document's task for --kind and --subtask, or infers it when the document holds
// exactly one kind. A usage problem is returned as its message (exit 2).
inline std::optional<std::string> choose_task(const bm::batch_document& document, const options& opt,
                                              chosen_task& out) {
  std::string present;
  for (const auto& t : document.tasks) {
    const auto kind = t.kind == bm::task_kind::multi_instance_primary ? bm::task_kind::task : t.kind;
    present += (present.empty() ? "" : ", ") + std::string(bm::to_string(kind)) + " (" +
               (t.field.empty() ? std::string("the task body") : t.field) + ")";
  }
  if (opt.kind && document.shape == "containerSettings") {
    // A bare containerSettings says nothing of where it stands: it is what --kind says.
    out.task = &document.tasks.front();
    out.kind = *opt.kind;
  } else if (opt.kind) {
    out.task = document.find(*opt.kind);
    if (!out.task && *opt.kind == bm::task_kind::task) out.task = document.find(bm::task_kind::multi_instance_primary);
    if (!out.task)
      return "--kind " + std::string(bm::to_string(*opt.kind)) + ": the document holds no such task with " +
             "containerSettings; it holds " + present;
  } else if (document.tasks.size() == 1) {
    out.task = &document.tasks.front();
  } else {
    return "the " + document.shape + " document holds several kinds of task; choose one with --kind (" +
           present + ")";
  }
  if (!(opt.kind && document.shape == "containerSettings")) out.kind = out.task->kind;
  if (opt.subtask && *opt.subtask > 0) {
    const bool bare_task = document.shape == "containerSettings" && out.kind == bm::task_kind::task;
    if (out.kind != bm::task_kind::multi_instance_primary && !bare_task)
      return "--subtask is for a multi-instance task (a task body with multiInstanceSettings)";
    out.kind = bm::task_kind::multi_instance_subtask;
    out.subtask = *opt.subtask;
  }
  return std::nullopt;
}

// The context options for the chosen task: the command line first, then the document (a job
// body's id and its preparation and release ids), then the defaults. The returned options
// view `opt`, `document` and `chosen`. A usage problem is returned as its message.
inline std::optional<std::string> context_for(const options& opt, const bm::batch_document& document,
                                              const chosen_task& chosen, bm::context_options& out) {
  out.os = opt.os;
  out.kind = chosen.kind;
  out.subtask = chosen.subtask;
  if (opt.node_root) out.node_root = *opt.node_root;
  out.job_has_job_prep_task = document.job_has_job_prep_task;
  // A start task belongs to the pool: the job options are not asked for, and ignored when a
  // script passes them for every kind (they name no directory a start task has).
  if (!bm::row(chosen.kind).in_job) return std::nullopt;
  const auto& job_id = opt.job_id ? opt.job_id : document.job_id;
  if (!job_id) return "--job-id is required (or a job body's \"id\")";
  out.job_id = *job_id;
  if (opt.job_schedule_id) out.job_schedule_id = *opt.job_schedule_id;
  const auto& prep = opt.job_prep_task_id ? opt.job_prep_task_id : document.job_prep_task_id;
  const auto& release = opt.job_release_task_id ? opt.job_release_task_id : document.job_release_task_id;
  if (prep) out.job_prep_task_id = *prep;
  if (release) out.job_release_task_id = *release;
  const bool own_id_kind = chosen.kind == bm::task_kind::job_preparation || chosen.kind == bm::task_kind::job_release;
  const auto& task_id = opt.task_id ? opt.task_id : chosen.task->id;
  if (own_id_kind) {
    // The running task's id is the job's preparation (release) task id: --task-id names it
    // (the library checks it against --job-prep-task-id / --job-release-task-id).
    if (opt.task_id) out.task_id = *opt.task_id;
    return std::nullopt;
  }
  if (!task_id) return "--task-id is required when the document's task has no \"id\"";
  out.task_id = *task_id;
  return std::nullopt;
}

}  // namespace cli

#endif
