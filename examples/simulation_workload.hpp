#ifndef BATCHMOUNT_EXAMPLES_SIMULATION_WORKLOAD_HPP
#define BATCHMOUNT_EXAMPLES_SIMULATION_WORKLOAD_HPP

// A scheduler simulator's use of batchmount: a realistic mix of request shapes, planned once
// per shape; per task, a context and a resolution in a reused arena, and the task's
// AZ_BATCH_* environment filtered. Per-task cost does not depend on how many tasks ran.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "batchmount/batchmount.hpp"
#include "batchmount/exposure.hpp"

namespace sim {
namespace bm = batchmount;

struct shape {
  const char* name;
  std::vector<bm::bind_mount_entry> entries;
  bool null_list;
  std::optional<std::string_view> working_directory;
  unsigned weight;  // out of 100
};

// The request mix: mostly isolated tasks, a few legacy ones that mount the whole root.
inline const std::vector<shape>& shapes() {
  static const std::vector<shape> mix = {
      {"Task read-only (the article)", {{"Task", true}}, false, std::nullopt, 35},
      {"Shared + Task", {{"Shared", false}, {"Task", false}}, false, std::nullopt, 25},
      {"render: Task, Shared ro, Applications ro", {{"Task", false}, {"Shared", true}, {"Applications", true}}, false,
       std::nullopt, 15},
      {"data: VfsMounts ro, JobPrep ro, Task", {{"VfsMounts", true}, {"JobPrep", true}, {"Task", false}}, false,
       std::nullopt, 10},
      {"no data paths, image working dir", {}, false, std::string_view("containerImageDefault"), 10},
      {"legacy: null list (whole root)", {}, true, std::nullopt, 5},
  };
  return mix;
}

struct node_class {
  const char* name;
  bm::node_os os;
  const char* root;
  std::size_t first_node;  // nodes [first_node, next class's first_node)
};

inline const std::vector<node_class>& node_classes() {
  static const std::vector<node_class> classes = {
      {"linux (Ubuntu, /mnt/batch/tasks)", bm::node_os::linux_node, "/mnt/batch/tasks", 0},
      {"linux (other, /mnt/resource/batch/tasks)", bm::node_os::linux_node, "/mnt/resource/batch/tasks", 500},
      {"windows (D:\\batch\\tasks)", bm::node_os::windows_node, "D:\\batch\\tasks", 750},
  };
  return classes;
}

constexpr std::size_t node_count = 1000;

inline std::uint64_t mix64(std::uint64_t x) {  // splitmix64: a deterministic task stream
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

// Writes "prefix" + decimal n into out; returns the view.
inline std::string_view format_id(char* out, const char* prefix, std::uint64_t n) {
  std::size_t size = 0;
  while (*prefix) out[size++] = *prefix++;
  char digits[20];
  std::size_t d = 0;
  do digits[d++] = static_cast<char>('0' + n % 10); while ((n /= 10) != 0);
  while (d > 0) out[size++] = digits[--d];
  return {out, size};
}

class simulator {
 public:
  simulator() {
    for (const auto& s : shapes()) {
      bm::container_request request{bm::bind_mount_list(s.entries.data(), s.entries.size()), s.working_directory};
      if (s.null_list) request.bind_mounts = bm::bind_mount_list::null();
      plans_.push_back(*bm::make_plan(request));  // once per shape, never per task
      for (unsigned k = 0; k < s.weight; ++k) shape_of_percent_.push_back(plans_.size() - 1);
    }
  }

  struct task_result {
    std::size_t node;
    std::size_t node_class;
    std::size_t shape;
    bm::resolution_view resolution;
    std::size_t removed;  // environment variables removed
  };

  // Resolves task number `index`; the views live until the next call.
  task_result run(std::uint64_t index) {
    const std::uint64_t h = mix64(index);
    const std::size_t node = static_cast<std::size_t>(h % node_count);
    std::size_t cls = 0;
    while (cls + 1 < node_classes().size() && node >= node_classes()[cls + 1].first_node) ++cls;
    const auto& nc = node_classes()[cls];
    const std::size_t shape = shape_of_percent_[(h >> 20) % 100];
    const std::uint64_t job = (h >> 32) % 1000;

    bm::arena into(storage_);
    char job_id[24], schedule_id[24], task_id[24];
    auto options = bm::context_options::job_task(format_id(job_id, "job", job), format_id(task_id, "task", index));
    options.on(nc.os).with_node_root(std::string_view(nc.root));
    if (job % 4 == 0) options.job_schedule_id = format_id(schedule_id, "nightly", job % 16);
    const auto context = bm::make_context(options, into);
    task_result out{node, cls, shape, *bm::resolve(plans_[shape], *context), 0};

    // The task's AZ_BATCH_* path variables, as the node agent sets them.
    std::array<bm::env_var_view, 10> env = {{
        {"AZ_BATCH_NODE_ROOT_DIR", context->node_root},
        {"AZ_BATCH_NODE_SHARED_DIR", context->host_directory(bm::data_path::shared)},
        {"AZ_BATCH_NODE_STARTUP_DIR", context->host_directory(bm::data_path::startup)},
        {"AZ_BATCH_NODE_MOUNTS_DIR", context->host_directory(bm::data_path::vfs_mounts)},
        {"AZ_BATCH_JOB_PREP_DIR", context->host_directory(bm::data_path::job_prep)},
        {"AZ_BATCH_TASK_DIR", context->host_directory(bm::data_path::task)},
        {"AZ_BATCH_TASK_WORKING_DIR", context->host_working_directory(bm::data_path::task)},
        {"AZ_BATCH_JOB_ID", context->job_id},
        {"AZ_BATCH_TASK_ID", context->task_id},
        {"PATH", "/usr/local/bin:/usr/bin:/bin"},
    }};
    std::array<bm::env_decision_view, 10> decisions;
    const auto n = bm::filter_environment(out.resolution, env.data(), env.size(), decisions.data(), decisions.size(), into);
    for (std::size_t i = 0; n && i < *n; ++i) out.removed += decisions[i].action == bm::env_action::removed;
    return out;
  }

 private:
  std::vector<bm::plan> plans_;
  std::vector<std::size_t> shape_of_percent_;
  char storage_[4096];
};

}  // namespace sim

#endif
