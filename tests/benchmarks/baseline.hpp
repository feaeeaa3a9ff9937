#ifndef BATCHMOUNT_BENCH_BASELINE_HPP
#define BATCHMOUNT_BENCH_BASELINE_HPP

// The same job as batchmount's resolve_full, written the way a node agent writes it by
// hand: std::map environment, std::filesystem::path joins, std::string concatenation,
// exceptions for errors. Straightforward, not deliberately slow, and (unlike batchmount)
// with string-prefix containment: it is the cost reference, not a model to copy.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace baseline {

struct entry {
  std::string source;
  bool read_only;
};
struct mount {
  std::string host, container;
  bool read_only;
};
struct output {
  std::vector<mount> mounts;
  std::map<std::string, std::string> environment;
  std::vector<std::string> removed;
  std::optional<std::string> working_directory;
};

inline std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

inline void check_id(const std::string& id) {
  if (id.empty() || id.size() > 64 ||
      !std::all_of(id.begin(), id.end(), [](unsigned char c) { return std::isalnum(c) || c == '-' || c == '_'; }))
    throw std::invalid_argument("invalid id: " + id);
}

inline output resolve(bool windows, const std::string& node_root, const std::string& job, const std::string& task,
                      const std::vector<entry>& entries, bool image_default,
                      const std::vector<std::pair<std::string, std::string>>& host_env) {
  check_id(job);
  check_id(task);
  static const std::map<std::string, std::string> names = {
      {"shared", "Shared"}, {"applications", "Applications"}, {"startup", "Startup"},
      {"vfsmounts", "VfsMounts"}, {"jobprep", "JobPrep"}, {"task", "Task"}};
  std::map<std::string, bool> selected;
  for (const auto& e : entries) {
    const auto it = names.find(lower(e.source));
    if (it == names.end()) throw std::invalid_argument("unknown source " + e.source);
    const auto [pos, inserted] = selected.emplace(it->second, e.read_only);
    if (!inserted && pos->second != e.read_only) throw std::invalid_argument("conflicting isReadOnly");
  }
  if (!selected.count("Task") && !image_default) throw std::invalid_argument("working directory needs Task");

  const std::string sep = windows ? "\\" : "/";
  const auto dir_of = [&](const std::string& name) {
    std::filesystem::path p(node_root);
    if (name == "Shared") p /= "shared";
    else if (name == "Applications") p /= "applications";
    else if (name == "Startup") p /= "startup";
    else if (name == "VfsMounts") p /= "fsmounts";
    else if (name == "JobPrep") p = p / "workitems" / job / "job-1" / "jobpreparation";
    else p = p / "workitems" / job / "job-1" / task;
    std::string s = p.lexically_normal().string();
    if (windows) std::replace(s.begin(), s.end(), '/', '\\');
    return s;
  };
  const auto to_container = [&](const std::string& host) { return windows ? "C:" + host.substr(2) : host; };

  output out;
  std::map<std::string, std::string> unmounted;  // directory -> name
  for (const auto& [key, name] : names) {
    const std::string dir = dir_of(name);
    const auto it = selected.find(name);
    if (it == selected.end()) unmounted[dir] = name;
    else out.mounts.push_back({dir, to_container(dir), it->second});
  }
  std::sort(out.mounts.begin(), out.mounts.end(),
            [](const mount& a, const mount& b) { return a.host.size() < b.host.size(); });
  if (!image_default) out.working_directory = to_container(dir_of("Task") + sep + "wd");

  std::map<std::string, std::string> env(host_env.begin(), host_env.end());
  for (auto it = env.begin(); it != env.end();) {
    bool remove = false;
    if (it->first.rfind("AZ_BATCH_", 0) == 0) {
      for (const auto& [dir, name] : unmounted)
        if (it->second == dir || it->second.rfind(dir + sep, 0) == 0) remove = true;
      if (!remove && windows && it->second.rfind(node_root, 0) == 0) it->second = to_container(it->second);
    }
    if (remove) {
      out.removed.push_back(it->first);
      it = env.erase(it);
    } else {
      ++it;
    }
  }
  out.environment = std::move(env);
  return out;
}

}  // namespace baseline

#endif
