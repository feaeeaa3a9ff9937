#ifndef BATCHMOUNT_TESTS_FUZZ_INVARIANTS_HPP
#define BATCHMOUNT_TESTS_FUZZ_INVARIANTS_HPP

// What every accepted input must satisfy, checked with code that does not share the
// library's path logic: an independent lexical normalizer and an independent CSV reader.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "batchmount/adapters/nlohmann_json.hpp"
#include "batchmount/batchmount.hpp"
#include "batchmount/render/cri.hpp"
#include "batchmount/render/docker_api.hpp"
#include "batchmount/render/docker_args.hpp"
#include "batchmount/render/env_file.hpp"
#include "batchmount/render/oci.hpp"

namespace fuzz {

[[noreturn]] inline void violated(const char* what, const std::string& detail = "") {
  std::fprintf(stderr, "INVARIANT VIOLATED: %s %s\n", what, detail.c_str());
  std::abort();
}
#define BATCHMOUNT_FUZZ_CHECK(condition, detail) \
  do {                                           \
    if (!(condition)) ::fuzz::violated(#condition, detail); \
  } while (0)

inline char fold(char c, bool windows) { return windows && c >= 'a' && c <= 'z' ? char(c - 32) : c; }

// Components of an absolute path after lexical normalization, or nullopt if not absolute.
// Element 0 is the root ("/" or the upper-case drive "X:").
inline std::optional<std::vector<std::string>> components(std::string_view path, bool windows) {
  std::vector<std::string> out;
  std::size_t i = 0;
  if (windows) {
    // Win32 device prefixes name the same drive path.
    if (path.size() >= 4 && (path[0] == '\\' || path[0] == '/') && (path[1] == '\\' || path[1] == '/') &&
        (path[2] == '?' || path[2] == '.') && (path[3] == '\\' || path[3] == '/'))
      path.remove_prefix(4);
    if (path.size() < 3 || !std::isalpha(static_cast<unsigned char>(path[0])) || path[1] != ':' ||
        (path[2] != '\\' && path[2] != '/'))
      return std::nullopt;
    out.push_back(std::string(1, fold(path[0], true)) + ":");
    i = 3;
  } else {
    if (path.empty() || path[0] != '/') return std::nullopt;
    out.push_back("/");
    i = 1;
  }
  std::string part;
  auto flush = [&] {
    if (part == "..") {
      if (out.size() > 1) out.pop_back();
    } else if (!part.empty() && part != ".") {
      if (windows) while (!part.empty() && (part.back() == '.' || part.back() == ' ')) part.pop_back();
      std::string folded;
      for (char c : part) folded += fold(c, windows);
      if (windows) folded = folded.substr(0, folded.find(':'));  // NTFS "name:stream"
      if (!folded.empty()) out.push_back(folded);
    }
    part.clear();
  };
  for (; i < path.size(); ++i) {
    const char c = path[i];
    if (c == '/' || (windows && c == '\\')) flush();
    else part += c;
  }
  flush();
  return out;
}

inline bool inside(const std::vector<std::string>& inner, const std::vector<std::string>& outer) {
  if (inner.size() < outer.size()) return false;
  for (std::size_t k = 0; k < outer.size(); ++k)
    if (inner[k] != outer[k]) return false;
  return true;
}

// A Windows value as the path it names (decision 31), read independently of the library:
// double quotes dropped; a UNC path to an administrative share (\\server\X$\rest, also after
// \\?\UNC\) is X:\rest; a path rooted without a drive is on the root's drive (C: in the
// container, whose host path has the root's drive); a path on C: inside the root's container
// path is the host path on the root's drive.
inline std::string windows_plain(std::string_view value, std::string_view root) {
  std::string t;
  for (const char c : value)
    if (c != '"') t += c;
  const auto sep = [](char c) { return c == '\\' || c == '/'; };
  const auto upper = [](std::string s) {
    for (char& c : s) c = fold(c, true);
    return s;
  };
  std::string unc;
  const bool two = t.size() >= 2 && sep(t[0]) && sep(t[1]);
  if (two && t.size() >= 8 && t[2] == '?' && sep(t[3]) && upper(t.substr(4, 3)) == "UNC" && sep(t[7])) unc = t.substr(8);
  else if (two && !(t.size() >= 4 && (t[2] == '?' || t[2] == '.') && sep(t[3]))) unc = t.substr(2);
  if (!unc.empty()) {
    const std::size_t server_end = std::find_if(unc.begin(), unc.end(), sep) - unc.begin();
    if (server_end == 0 || server_end + 3 > unc.size()) return t;
    const std::string share = unc.substr(server_end + 1, 2);
    if (!std::isalpha(static_cast<unsigned char>(share[0])) || share[1] != '$') return t;
    if (server_end + 3 < unc.size() && !sep(unc[server_end + 3])) return t;
    return std::string(1, share[0]) + ":\\" + (server_end + 4 <= unc.size() ? unc.substr(server_end + 4) : "");
  }
  if (!t.empty() && sep(t[0]) && !two) return std::string(1, root[0]) + ":" + t;
  if (t.size() >= 3 && fold(t[0], true) == 'C' && t[1] == ':' && sep(t[2]) && fold(root[0], true) != 'C') {
    const auto c = components(t, true);
    const auto container_root = components("C:" + std::string(root.substr(2)), true);
    if (c && container_root && inside(*c, *container_root)) return std::string(1, root[0]) + t.substr(1);
  }
  return t;
}

// Go encoding/csv-style reader for one record, as the docker CLI reads --mount.
inline std::vector<std::string> csv_record(const std::string& text) {
  std::vector<std::string> fields(1);
  bool quoted = false, start = true;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') { fields.back() += '"'; ++i; }
      else if (c == '"') quoted = false;
      else fields.back() += c;
    } else if (c == '"' && start) { quoted = true; start = false; }
    else if (c == ',') { fields.emplace_back(); start = true; }
    else { BATCHMOUNT_FUZZ_CHECK(c != '"', text); fields.back() += c; start = false; }
  }
  BATCHMOUNT_FUZZ_CHECK(!quoted, text);
  return fields;
}

inline std::string field_value(const std::vector<std::string>& fields, const std::string& key) {
  for (const auto& f : fields)
    if (f.compare(0, key.size() + 1, key + "=") == 0) return f.substr(key.size() + 1);
  violated("missing --mount field", key);
}

// Context options for a kind of task with fixed ids: job "job", task `task_id` where the kind
// has one of its own, subtask 2 for a subtask.
inline batchmount::context_options options_for(batchmount::task_kind kind, batchmount::node_os os,
                                               std::optional<std::string_view> root,
                                               std::optional<std::string_view> schedule, std::string_view task_id) {
  using namespace batchmount;
  context_options o;
  o.os = os;
  o.node_root = root;
  o.kind = kind;
  if (row(kind).in_job) {
    o.job_id = "job";
    o.job_schedule_id = schedule;
    if (kind != task_kind::job_preparation && kind != task_kind::job_release) o.task_id = task_id;
  }
  if (kind == task_kind::multi_instance_subtask) o.subtask = 2;
  return o;
}

// A variable name as the OS compares it, against an upper-case ASCII name (an independent
// ASCII fold: the library's NTFS folding may match more, never less).
inline bool named(const std::string& name, const char* wanted, bool windows) {
  std::string upper;
  for (const char c : name) upper += fold(c, windows);
  return upper == wanted;
}

// Every invariant of a resolution, its environment and every rendering of them.
inline void check(const batchmount::owned_request& request, const batchmount::resolution& r, const std::vector<batchmount::env_var>& host_env,
                  const batchmount::container_environment& env,
                  batchmount::env_rule rule = batchmount::env_rule::isolation_invariant) {
  using namespace batchmount;
  const bool windows = r.os == node_os::windows_node;
  const auto root = components(r.node_root, windows);
  BATCHMOUNT_FUZZ_CHECK(root.has_value(), r.node_root);
  std::vector<std::string> container_root = *root;
  if (windows) container_root[0] = "C:";

  // Mounts: under the node root, container paths under the container root, read-only kept.
  for (const auto& m : r.mounts) {
    const auto host = components(m.host_path, windows);
    const auto target = components(m.container_path, windows);
    BATCHMOUNT_FUZZ_CHECK(host && inside(*host, *root), m.host_path);
    BATCHMOUNT_FUZZ_CHECK(target && inside(*target, container_root), m.container_path);
    for (const auto& c : *host) BATCHMOUNT_FUZZ_CHECK(c != ".." && c != ".", m.host_path);
  }
  // A read-only entry is a read-only mount of its directory (under whichever name mounts it).
  if (request.bind_mounts)
    for (const auto& e : *request.bind_mounts) {
      if (!e.source || !e.is_read_only || !*e.is_read_only) continue;
      const auto path = parse_data_path(*e.source);
      bool found = false;
      for (const auto& m : r.mounts)
        if (m.host_path == r.explain(*path).host_directory) found = m.read_only;
      BATCHMOUNT_FUZZ_CHECK(found, "a read-only entry is not a read-only mount");
    }
  // Each directory is mounted once.
  for (std::size_t i = 0; i < r.mounts.size(); ++i)
    for (std::size_t j = 0; j < i; ++j) BATCHMOUNT_FUZZ_CHECK(r.mounts[i].host_path != r.mounts[j].host_path, r.mounts[i].host_path);

  // Environment: no surviving AZ_BATCH_* variable (nor HOME, PWD or a PATH entry, under the
  // isolation invariant) points inside an unmounted data path; every other variable is kept
  // unchanged.
  BATCHMOUNT_FUZZ_CHECK(env.decisions.size() == host_env.size(), "");
  std::vector<std::vector<std::string>> hidden;
  for (const auto& why : r.explanations)
    if (why.state == selection::not_selected && !why.host_directory.empty())
      hidden.push_back(*components(why.host_directory, windows));
  const auto is_hidden = [&](const std::string& value) {
    const auto c = components(windows ? windows_plain(value, r.node_root) : value, windows);
    if (!c) return false;
    for (const auto& dir : hidden)
      if (inside(*c, dir)) return true;
    return false;
  };
  const char list_separator = windows ? ';' : ':';
  const auto split = [&](const std::string& list) {
    std::vector<std::string> out(1);
    for (const char c : list) {
      if (c == list_separator) out.emplace_back();
      else out.back() += c;
    }
    return out;
  };
  for (std::size_t i = 0; i < env.decisions.size(); ++i) {
    const auto& d = env.decisions[i];
    const std::string& value = host_env[i].value;
    std::string upper;
    for (char c : d.name.substr(0, 9)) upper += fold(c, windows);
    const bool batch = upper == "AZ_BATCH_";
    const bool invariant = rule == env_rule::isolation_invariant;
    const bool single = batch || (invariant && (named(d.name, "HOME", windows) || named(d.name, "PWD", windows)));
    const bool list = !batch && invariant && named(d.name, "PATH", windows);
    if (!single && !list) {
      BATCHMOUNT_FUZZ_CHECK(d.action == env_action::kept && d.container_value == value, d.name);
      if (is_hidden(value)) BATCHMOUNT_FUZZ_CHECK(d.path.has_value(), d.name + "=" + value);  // warned
      continue;
    }
    if (d.action == env_action::removed) continue;
    if (single) {
      BATCHMOUNT_FUZZ_CHECK(!is_hidden(value), d.name + "=" + value);
      continue;
    }
    // PATH: no entry of the host's that is inside an unmounted data path survives; on Linux the
    // container's entries are the host's others, in order.
    std::vector<std::string> visible;
    for (const auto& entry : split(value))
      if (!is_hidden(entry)) visible.push_back(entry);
    const auto kept = split(d.container_value);
    BATCHMOUNT_FUZZ_CHECK(kept.size() <= visible.size(), d.name + "=" + value);
    if (!windows) {
      std::size_t at = 0;
      for (const auto& entry : kept) {
        while (at < visible.size() && visible[at] != entry) ++at;
        BATCHMOUNT_FUZZ_CHECK(at < visible.size(), d.name + "=" + value + " -> " + d.container_value);
        ++at;
      }
    }
  }

  // Renderings: JSON parses and carries the same paths; --mount reads back the same paths.
  const auto oci = render_oci(r, env);
  const auto api = render_docker_api(r, env);
  if (oci) {
    const auto doc = nlohmann::json::parse(*oci);
    BATCHMOUNT_FUZZ_CHECK(doc["mounts"].size() == r.mounts.size(), *oci);
    for (std::size_t i = 0; i < r.mounts.size(); ++i) {
      BATCHMOUNT_FUZZ_CHECK(doc["mounts"][i]["source"] == r.mounts[i].host_path, *oci);
      BATCHMOUNT_FUZZ_CHECK(doc["mounts"][i]["destination"] == r.mounts[i].container_path, *oci);
    }
    BATCHMOUNT_FUZZ_CHECK(doc["process"]["env"].size() == env.variables().size(), *oci);
    BATCHMOUNT_FUZZ_CHECK(api.has_value(), "OCI rendered but the Docker API did not");
    const auto api_doc = nlohmann::json::parse(*api);
    for (std::size_t i = 0; i < r.mounts.size(); ++i) {
      BATCHMOUNT_FUZZ_CHECK(api_doc["HostConfig"]["Mounts"][i]["Source"] == r.mounts[i].host_path, *api);
      BATCHMOUNT_FUZZ_CHECK(api_doc["HostConfig"]["Mounts"][i]["Target"] == r.mounts[i].container_path, *api);
      BATCHMOUNT_FUZZ_CHECK(api_doc["HostConfig"]["Mounts"][i]["ReadOnly"] == r.mounts[i].read_only, *api);
    }
  } else {
    BATCHMOUNT_FUZZ_CHECK(oci.error().code() == error_code::output_needs_utf8, oci.error().message());
  }
  // CRI: the same mounts in the same order, each private, recursive exactly where Linux
  // read-only; the same variables; workingDir exactly when the resolution has one.
  if (const auto cri = render_cri(r, env)) {
    BATCHMOUNT_FUZZ_CHECK(oci.has_value(), "CRI rendered but OCI did not");
    const auto doc = nlohmann::json::parse(*cri);
    BATCHMOUNT_FUZZ_CHECK(doc["mounts"].size() == r.mounts.size(), *cri);
    for (std::size_t i = 0; i < r.mounts.size(); ++i) {
      const auto& m = doc["mounts"][i];
      BATCHMOUNT_FUZZ_CHECK(m["hostPath"] == r.mounts[i].host_path && m["containerPath"] == r.mounts[i].container_path, *cri);
      BATCHMOUNT_FUZZ_CHECK(m["readonly"] == r.mounts[i].read_only && m["propagation"] == "PROPAGATION_PRIVATE", *cri);
      BATCHMOUNT_FUZZ_CHECK(m.value("recursiveReadOnly", false) == (r.mounts[i].read_only && r.os == node_os::linux_node), *cri);
    }
    BATCHMOUNT_FUZZ_CHECK(doc["envs"].size() == env.variables().size(), *cri);
    BATCHMOUNT_FUZZ_CHECK(doc.contains("workingDir") == r.working_directory.has_value(), *cri);
  } else {
    BATCHMOUNT_FUZZ_CHECK(cri.error().code() == error_code::output_needs_utf8, cri.error().message());
  }
  // The report refuses what it cannot encode, and what it writes parses.
  const auto report = render_report_json(r, env);
  if (report) {
    const auto doc = nlohmann::json::parse(*report);
    BATCHMOUNT_FUZZ_CHECK(doc["mounts"].size() == r.mounts.size(), *report);
    BATCHMOUNT_FUZZ_CHECK(doc["removedEnvironment"].size() == env.removed_names().size(), *report);
  } else {
    BATCHMOUNT_FUZZ_CHECK(report.error().code() == error_code::output_needs_utf8, report.error().message());
  }
  const auto args = docker_args(r, env);
  std::size_t mount = 0;
  for (std::size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] != "--mount") continue;
    const auto fields = csv_record(args[i + 1]);
    BATCHMOUNT_FUZZ_CHECK(field_value(fields, "source") == r.mounts[mount].host_path, args[i + 1]);
    BATCHMOUNT_FUZZ_CHECK(field_value(fields, "target") == r.mounts[mount].container_path, args[i + 1]);
    ++mount;
  }
  BATCHMOUNT_FUZZ_CHECK(mount == r.mounts.size(), "");
  const auto nul = render_docker_args(r, env, record_separator::nul);
  BATCHMOUNT_FUZZ_CHECK(nul.has_value(), "the NUL form always renders");
  (void)render_env_file(env);
}

}  // namespace fuzz

#endif
