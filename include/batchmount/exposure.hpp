#ifndef BATCHMOUNT_EXPOSURE_HPP
#define BATCHMOUNT_EXPOSURE_HPP

// Exposure analysis for a security review of a node: given the resolutions of the tasks that
// run on one node, every host path two or more tasks can reach, and who can write it.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "batchmount/detail/path.hpp"
#include "batchmount/resolution.hpp"
#include "batchmount/tables.hpp"

namespace batchmount {
inline namespace v1 {

enum class channel : unsigned char {
  read_only,  // every task that reaches it reads it: shared data, no channel between tasks
  one_way,    // one task writes, others read: the writer can send to the readers
  two_way,    // two or more tasks write: they can send to each other
};

constexpr std::string_view to_string(channel c) noexcept {
  std::string_view text;
  switch (c) {
    case channel::read_only: text = "read-only"; break;
    case channel::one_way: text = "one-way"; break;
    case channel::two_way: text = "two-way"; break;
  }
  return text;
}

// One host path reachable by two or more tasks (indices into the analysed list).
struct exposure {
  std::string host_path;
  std::vector<std::size_t> readers;  // reach it read-only
  std::vector<std::size_t> writers;  // reach it read/write
  channel kind = channel::read_only;
};

namespace detail {
// A mount with the index of the task it belongs to (the one thing a mount record does not
// carry); only what the analysis reads of it.
struct exposed_mount {
  std::size_t task;
  std::string_view host_path;
  bool read_only;
};
inline void collect(std::size_t task, const resolution& r, std::vector<exposed_mount>& out) {
  for (const auto& m : r.mounts) out.push_back({task, m.host_path, m.read_only});
}
inline void collect(std::size_t task, const resolution_view& r, std::vector<exposed_mount>& out) {
  for (std::size_t i = 0; i < r.mount_count; ++i) out.push_back({task, r.mounts[i].host_path, r.mounts[i].read_only});
}
}  // namespace detail

// For each distinct mounted host path (in first-seen order), the tasks whose mounts reach it
// (the path itself or an ancestor: a null list's whole-root mount reaches everything), when
// two or more do. A task reaching a path both ways counts as a writer. Works on resolutions
// and resolution_views of one node (one OS).
template <class Resolution>
std::vector<exposure> analyze_exposure(const std::vector<Resolution>& tasks) {
  std::vector<exposure> out;
  if (tasks.empty()) return out;
  const node_os os = tasks.front().os;
  std::vector<detail::exposed_mount> mounts;
  for (std::size_t t = 0; t < tasks.size(); ++t) detail::collect(t, tasks[t], mounts);

  std::vector<std::string_view> paths;
  for (const auto& m : mounts) {
    bool seen = false;
    for (const auto p : paths) seen = seen || (detail::within(p, m.host_path, os) && detail::within(m.host_path, p, os));
    if (!seen) paths.push_back(m.host_path);
  }
  for (const auto path : paths) {
    exposure e;
    e.host_path = std::string(path);
    for (const auto& m : mounts) {
      if (!detail::within(path, m.host_path, os)) continue;
      auto& list = m.read_only ? e.readers : e.writers;
      if (list.empty() || list.back() != m.task) list.push_back(m.task);
    }
    // A writer is not also a reader.
    std::vector<std::size_t> readers;
    for (const auto t : e.readers) {
      bool writes = false;
      for (const auto w : e.writers) writes = writes || w == t;
      if (!writes) readers.push_back(t);
    }
    e.readers = std::move(readers);
    if (e.readers.size() + e.writers.size() < 2) continue;
    e.kind = e.writers.size() >= 2 ? channel::two_way : e.writers.size() == 1 ? channel::one_way : channel::read_only;
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace v1
}  // namespace batchmount

#endif
