// Environment filtering with arbitrary names and values, on both OSes and every kind of task.
// Byte 0: bit 0 the OS, bits 1-6 which data paths are mounted, bit 7 a null list. Byte 1:
// the kind (modulo 7), bit 7 the article's literal rule. The rest: NAME=VALUE records
// separated by 0x1E.
#include "invariants.hpp"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  using namespace batchmount;
  if (size < 2) return 0;
  const auto kind = static_cast<task_kind>((data[1] & 0x7F) % task_kind_count);
  const env_rule rule = (data[1] & 0x80) ? env_rule::article_literal : env_rule::isolation_invariant;
  const node_os os = (data[0] & 1) ? node_os::windows_node : node_os::linux_node;
  owned_request request;
  if (!(data[0] & 0x80)) {
    request.bind_mounts.emplace();
    for (std::size_t i = 0; i < data_path_count; ++i)
      if (data[0] & (2u << i)) request.bind_mounts->push_back({std::string(to_wire(all_data_paths[i])), ((data[0] >> i) & 1) != 0});
    request.working_directory = "containerImageDefault";
  }
  const auto context = make_context(fuzz::options_for(kind, os, std::nullopt, std::nullopt, "task1"));
  if (!context) fuzz::violated("a fixed valid context failed", context.error().message());
  const auto r = resolve(request, *context);
  if (!r) {
    // A start task has no JobPrep; the two names of one directory may disagree.
    const auto code = r.error().code();
    BATCHMOUNT_FUZZ_CHECK(code == error_code::job_prep_outside_job || code == error_code::conflicting_read_only,
                          r.error().message());
    return 0;
  }
  std::vector<env_var> host(1);
  bool in_value = false;
  for (std::size_t i = 2; i < size; ++i) {
    const char c = static_cast<char>(data[i]);
    if (data[i] == 0x1E) { host.emplace_back(); in_value = false; }
    else if (c == '=' && !in_value) in_value = true;
    else (in_value ? host.back().value : host.back().name) += c;
  }
  const auto env = filter_environment(*r, host, rule);
  if (!env) {
    const auto code = env.error().code();
    BATCHMOUNT_FUZZ_CHECK(code == error_code::invalid_environment_name || code == error_code::invalid_environment_value,
                          env.error().message());
    return 0;
  }
  fuzz::check(request, *r, host, *env, rule);
  // The shortcuts and canonicalization alone decide alike.
  const detail::env_scope scope(*r, rule);
  for (std::size_t i = 0; i < host.size(); ++i) {
    std::vector<char> a(4 * host[i].value.size() + 8), b(4 * host[i].value.size() + 8);
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
