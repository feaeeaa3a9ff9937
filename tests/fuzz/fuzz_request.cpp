// Wire request bytes -> parse -> plan -> resolve -> environment -> every renderer.
// Byte 0: bit 0 the OS, bits 1-2 the node root, bit 3 a job schedule, bits 4-6 the kind of
// task (7: the document's own kind); the rest is JSON (a task body or a bare containerSettings).
#include "invariants.hpp"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  using namespace batchmount;
  if (size < 1) return 0;
  const node_os os = (data[0] & 1) ? node_os::windows_node : node_os::linux_node;
  static const char* const linux_roots[] = {"/mnt/batch/tasks", "/srv/n, \"x\"=y:z/t", "/b", "/opt/b\xc3\xa4tch"};
  static const char* const windows_roots[] = {"D:\\batch\\tasks", "c:/data", "E:\\\xc3\xa2", "D:\\a, b=c\\t"};
  const unsigned root_choice = (data[0] >> 1) & 3u;
  const auto json = nlohmann::json::parse(data + 1, data + size, nullptr, false);
  if (json.is_discarded()) return 0;
  const auto document = parse_task_json(json);
  if (!document) return 0;
  const unsigned kind_choice = (data[0] >> 4) & 7u;
  const task_kind kind = kind_choice < task_kind_count ? static_cast<task_kind>(kind_choice) : document->kind;
  std::string_view task_id = document->id && is_valid_id(*document->id) ? std::string_view(*document->id) : "task1";
  if (detail::iequals(task_id, default_job_prep_task_id) || detail::iequals(task_id, default_job_release_task_id))
    task_id = "task1";
  const auto context = make_context(fuzz::options_for(
      kind, os, os == node_os::linux_node ? linux_roots[root_choice] : windows_roots[root_choice],
      (data[0] & 8) ? std::optional<std::string_view>("sched") : std::nullopt, task_id));
  if (!context) fuzz::violated("a fixed valid context failed", context.error().message());
  const auto r = resolve(document->request, *context);
  if (!r) return 0;
  const auto host = standard_environment(*context, {{"app", std::string_view("1.0")}});
  const auto env = filter_environment(*r, *host);
  if (!env) fuzz::violated("the standard environment was refused", env.error().message());
  fuzz::check(document->request, *r, *host, *env);
  return 0;
}
