// Environment filtering with arbitrary names and values, on both OSes. Byte 0: bit 0 the
// OS, bits 1-6 which data paths are mounted, bit 7 a null list. The rest: NAME=VALUE
// records separated by 0x1E.
#include "invariants.hpp"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  using namespace batchmount;
  if (size < 1) return 0;
  const node_os os = (data[0] & 1) ? node_os::windows_node : node_os::linux_node;
  owned_request request;
  if (!(data[0] & 0x80)) {
    request.bind_mounts.emplace();
    for (std::size_t i = 0; i < data_path_count; ++i)
      if (data[0] & (2u << i)) request.bind_mounts->push_back({std::string(to_wire(all_data_paths[i])), ((data[0] >> i) & 1) != 0});
    request.working_directory = "containerImageDefault";
  }
  const auto context = make_context({os, std::nullopt, "job", std::nullopt, "task1"});
  const auto r = resolve(request, *context);
  if (!r) fuzz::violated("a valid request failed", r.error().message());
  std::vector<env_var> host(1);
  bool in_value = false;
  for (std::size_t i = 1; i < size; ++i) {
    const char c = static_cast<char>(data[i]);
    if (data[i] == 0x1E) { host.emplace_back(); in_value = false; }
    else if (c == '=' && !in_value) in_value = true;
    else (in_value ? host.back().value : host.back().name) += c;
  }
  const auto env = filter_environment(*r, host);
  if (!env) {
    const auto code = env.error().code();
    BATCHMOUNT_FUZZ_CHECK(code == error_code::invalid_environment_name || code == error_code::invalid_environment_value,
                          env.error().message());
    return 0;
  }
  fuzz::check(request, *r, host, *env);
  // The in-place road and the canonicalizing road decide alike.
  const env_scope scope(*r);
  for (std::size_t i = 0; i < host.size(); ++i) {
    std::vector<char> a(host[i].value.size() + 8), b(host[i].value.size() + 8);
    arena fast_arena(a.data(), a.size()), slow_arena(b.data(), b.size());
    const auto fast = detail::decide(scope, {host[i].name, host[i].value}, i, fast_arena, true);
    const auto slow = detail::decide(scope, {host[i].name, host[i].value}, i, slow_arena, false);
    BATCHMOUNT_FUZZ_CHECK(fast.has_value() && slow.has_value(), host[i].value);
    BATCHMOUNT_FUZZ_CHECK(fast->action == slow->action && fast->reason == slow->reason && fast->path == slow->path &&
                              fast->container_value == slow->container_value,
                          host[i].name + "=" + host[i].value);
  }
  return 0;
}
