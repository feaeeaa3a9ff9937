#ifndef BATCHMOUNT_BENCH_WORKLOAD_HPP
#define BATCHMOUNT_BENCH_WORKLOAD_HPP

// The typical request of the benchmarks: Task read-only, Shared, Applications with two
// packages, and a realistic 40-variable task environment (the node agent's AZ_BATCH_*
// variables plus what a login environment carries).
#include <string>
#include <utility>
#include <vector>

#include "batchmount/batchmount.hpp"

namespace bench {

inline const std::vector<batchmount::bind_mount_entry>& typical_entries() {
  static const std::vector<batchmount::bind_mount_entry> entries = {
      {"Task", true}, {"Shared", false}, {"Applications", false}};
  return entries;
}

inline const char* node_root(batchmount::node_os os) {
  return os == batchmount::node_os::linux_node ? "/mnt/batch/tasks" : "D:\\batch\\tasks";
}

// 40 variables as a node agent hands them to a Linux or Windows task of job "myJob".
inline std::vector<std::pair<std::string, std::string>> typical_environment(batchmount::node_os os) {
  const bool w = os == batchmount::node_os::windows_node;
  const std::string root = node_root(os);
  const char s = w ? '\\' : '/';
  const auto p = [&](std::initializer_list<const char*> parts) {
    std::string out = root;
    for (const char* part : parts) (out += s) += part;
    return out;
  };
  std::vector<std::pair<std::string, std::string>> env = {
      {"AZ_BATCH_NODE_ROOT_DIR", root},
      {"AZ_BATCH_NODE_SHARED_DIR", p({"shared"})},
      {"AZ_BATCH_NODE_STARTUP_DIR", p({"startup"})},
      {"AZ_BATCH_NODE_STARTUP_WORKING_DIR", p({"startup", "wd"})},
      {"AZ_BATCH_NODE_MOUNTS_DIR", p({"fsmounts"})},
      {"AZ_BATCH_JOB_PREP_DIR", p({"workitems", "myJob", "job-1", "jobpreparation"})},
      {"AZ_BATCH_JOB_PREP_WORKING_DIR", p({"workitems", "myJob", "job-1", "jobpreparation", "wd"})},
      {"AZ_BATCH_TASK_DIR", p({"workitems", "myJob", "job-1", "task0001"})},
      {"AZ_BATCH_TASK_WORKING_DIR", p({"workitems", "myJob", "job-1", "task0001", "wd"})},
      {"AZ_BATCH_CERTIFICATES_DIR", p({"workitems", "myJob", "job-1", "task0001", "certs"})},
      {w ? "AZ_BATCH_APP_PACKAGE_blender#2.79" : "AZ_BATCH_APP_PACKAGE_BLENDER_2_79", p({"applications", "blender2.79"})},
      {w ? "AZ_BATCH_APP_PACKAGE_ffmpeg" : "AZ_BATCH_APP_PACKAGE_FFMPEG", p({"applications", "ffmpeg4.4"})},
      {"AZ_BATCH_ACCOUNT_NAME", "contosobatch"},
      {"AZ_BATCH_ACCOUNT_URL", "https://contosobatch.westus2.batch.azure.com/"},
      {"AZ_BATCH_POOL_ID", "render-pool"},
      {"AZ_BATCH_NODE_ID", "tvmps_0123456789abcdef0123456789abcdef_d"},
      {"AZ_BATCH_NODE_IS_DEDICATED", "true"},
      {"AZ_BATCH_JOB_ID", "myJob"},
      {"AZ_BATCH_TASK_ID", "task0001"},
      {"AZ_BATCH_TASK_USER", "_azbatch"},
      {"AZ_BATCH_TASK_USER_IDENTITY", "PoolNonAdmin"},
      {"AZ_BATCH_TASK_RESERVED_EPHEMERAL_DISK_SPACE_BYTES", "1000000000"},
      {"PATH", w ? "C:\\Windows\\system32;C:\\Windows" : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"},
      {"HOME", w ? "C:\\Users\\_azbatch" : "/home/_azbatch"},
      {"LANG", "C.UTF-8"},
      {"HOSTNAME", "render-node-17"},
      {"SHELL", "/bin/bash"},
      {"USER", "_azbatch"},
      {"LOGNAME", "_azbatch"},
      {"TERM", "xterm"},
      {"TZ", "UTC"},
      {"TMPDIR", w ? "C:\\Temp" : "/tmp"},
      {"OMP_NUM_THREADS", "8"},
      {"BLENDER_USER_SCRIPTS", w ? "C:\\scripts" : "/opt/scripts"},
      {"FRAME_START", "1"},
      {"FRAME_END", "240"},
      {"OUTPUT_CONTAINER", "https://contoso.blob.core.windows.net/frames"},
      {"SCENE", "classroom.blend"},
      {"RENDER_ENGINE", "CYCLES"},
  };
  return env;
}

}  // namespace bench

#endif
