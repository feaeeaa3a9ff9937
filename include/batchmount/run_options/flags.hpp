#ifndef BATCHMOUNT_RUN_OPTIONS_FLAGS_HPP
#define BATCHMOUNT_RUN_OPTIONS_FLAGS_HPP

// Every flag of `docker create` (the docker CLI 28 and 20.10, plus the hidden aliases --net
// and --net-alias it still reads): its long name, its one-letter form (0: none) and whether
// it takes a value. tests/test_run_options_flags.py compares this table with `docker create
// --help` of every docker CLI installed. Sorted by name.

#include <cstddef>
#include <string_view>

namespace batchmount {
inline namespace v1 {

struct docker_flag {
  std::string_view name;
  char short_name;
  bool takes_value;
};

inline constexpr docker_flag docker_create_flags[] = {
    {"add-host", 0, true},
    {"annotation", 0, true},
    {"attach", 'a', true},
    {"blkio-weight", 0, true},
    {"blkio-weight-device", 0, true},
    {"cap-add", 0, true},
    {"cap-drop", 0, true},
    {"cgroup-parent", 0, true},
    {"cgroupns", 0, true},
    {"cidfile", 0, true},
    {"cpu-count", 0, true},
    {"cpu-percent", 0, true},
    {"cpu-period", 0, true},
    {"cpu-quota", 0, true},
    {"cpu-rt-period", 0, true},
    {"cpu-rt-runtime", 0, true},
    {"cpu-shares", 'c', true},
    {"cpus", 0, true},
    {"cpuset-cpus", 0, true},
    {"cpuset-mems", 0, true},
    {"device", 0, true},
    {"device-cgroup-rule", 0, true},
    {"device-read-bps", 0, true},
    {"device-read-iops", 0, true},
    {"device-write-bps", 0, true},
    {"device-write-iops", 0, true},
    {"disable-content-trust", 0, false},
    {"dns", 0, true},
    {"dns-option", 0, true},
    {"dns-search", 0, true},
    {"domainname", 0, true},
    {"entrypoint", 0, true},
    {"env", 'e', true},
    {"env-file", 0, true},
    {"expose", 0, true},
    {"gpus", 0, true},
    {"group-add", 0, true},
    {"health-cmd", 0, true},
    {"health-interval", 0, true},
    {"health-retries", 0, true},
    {"health-start-interval", 0, true},
    {"health-start-period", 0, true},
    {"health-timeout", 0, true},
    {"help", 0, false},
    {"hostname", 'h', true},
    {"init", 0, false},
    {"interactive", 'i', false},
    {"io-maxbandwidth", 0, true},
    {"io-maxiops", 0, true},
    {"ip", 0, true},
    {"ip6", 0, true},
    {"ipc", 0, true},
    {"isolation", 0, true},
    {"kernel-memory", 0, true},
    {"label", 'l', true},
    {"label-file", 0, true},
    {"link", 0, true},
    {"link-local-ip", 0, true},
    {"log-driver", 0, true},
    {"log-opt", 0, true},
    {"mac-address", 0, true},
    {"memory", 'm', true},
    {"memory-reservation", 0, true},
    {"memory-swap", 0, true},
    {"memory-swappiness", 0, true},
    {"mount", 0, true},
    {"name", 0, true},
    {"net", 0, true},
    {"net-alias", 0, true},
    {"network", 0, true},
    {"network-alias", 0, true},
    {"no-healthcheck", 0, false},
    {"oom-kill-disable", 0, false},
    {"oom-score-adj", 0, true},
    {"pid", 0, true},
    {"pids-limit", 0, true},
    {"platform", 0, true},
    {"privileged", 0, false},
    {"publish", 'p', true},
    {"publish-all", 'P', false},
    {"pull", 0, true},
    {"quiet", 'q', false},
    {"read-only", 0, false},
    {"restart", 0, true},
    {"rm", 0, false},
    {"runtime", 0, true},
    {"security-opt", 0, true},
    {"shm-size", 0, true},
    {"stop-signal", 0, true},
    {"stop-timeout", 0, true},
    {"storage-opt", 0, true},
    {"sysctl", 0, true},
    {"tmpfs", 0, true},
    {"tty", 't', false},
    {"ulimit", 0, true},
    {"use-api-socket", 0, false},
    {"user", 'u', true},
    {"userns", 0, true},
    {"uts", 0, true},
    {"volume", 'v', true},
    {"volume-driver", 0, true},
    {"volumes-from", 0, true},
    {"workdir", 'w', true},
};

namespace detail {
inline const docker_flag* find_long_flag(std::string_view name) noexcept {
  for (const auto& f : docker_create_flags)
    if (f.name == name) return &f;
  return nullptr;
}
inline const docker_flag* find_short_flag(char c) noexcept {
  for (const auto& f : docker_create_flags)
    if (f.short_name != 0 && f.short_name == c) return &f;
  return nullptr;
}
}  // namespace detail

}  // namespace v1
}  // namespace batchmount

#endif
