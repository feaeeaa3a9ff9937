// Id, kind and node-root validation. Byte 0: bit 0 the OS, bits 1-3 the kind of task (modulo
// 7), bits 4-5 the subtask number; the rest is six fields separated by 0x1F: node root, job
// id, job schedule id (empty: none), task id, job preparation task id, job release task id.
#include "invariants.hpp"

namespace {
bool plain_id(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (const char c : id)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
      return false;
  return true;
}

std::string upper(std::string text) {
  for (char& c : text) c = fuzz::fold(c, true);
  return text;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  using namespace batchmount;
  if (size < 1) return 0;
  const node_os os = (data[0] & 1) ? node_os::windows_node : node_os::linux_node;
  const auto kind = static_cast<task_kind>(((data[0] >> 1) & 7u) % task_kind_count);
  std::vector<std::string> fields(1);
  for (std::size_t i = 1; i < size; ++i) {
    if (data[i] == 0x1F) fields.emplace_back();
    else fields.back() += static_cast<char>(data[i]);
  }
  fields.resize(6);
  context_options options;
  options.os = os;
  options.kind = kind;
  options.subtask = (data[0] >> 4) & 3u;
  options.node_root = fields[0];
  options.job_id = fields[1];
  if (!fields[2].empty()) options.job_schedule_id = fields[2];
  options.task_id = fields[3];
  options.job_prep_task_id = fields[4];
  if (!fields[5].empty()) options.job_release_task_id = fields[5];
  // The copy of text already canonical and the canonicalizing loop agree, under both
  // policies: the same result or the same error.
  for (const auto policy : {detail::parent_references::reject, detail::parent_references::resolve}) {
    std::string fast(fields[0].size() + 1, '\0'), slow(fields[0].size() + 1, '\0');
    const auto a = detail::canonicalize_into(fields[0], os, policy, &fast[0], true);
    const auto b = detail::canonicalize_into(fields[0], os, policy, &slow[0], false);
    BATCHMOUNT_FUZZ_CHECK(a.has_value() == b.has_value(), fields[0]);
    if (a) BATCHMOUNT_FUZZ_CHECK(*a == *b && fast.compare(0, *a, slow, 0, *b) == 0, fields[0]);
    else BATCHMOUNT_FUZZ_CHECK(a.error() == b.error(), fields[0]);
  }
  const auto context = make_context(options);
  if (!context) return 0;
  const bool in_job = row(kind).in_job;
  const bool own_id = kind == task_kind::job_preparation || kind == task_kind::job_release;
  BATCHMOUNT_FUZZ_CHECK((kind == task_kind::multi_instance_subtask) == (options.subtask != 0), "subtask");
  if (in_job) {
    for (std::size_t k = 1; k < 6; ++k)
      if (!((k == 2 || k == 5) && fields[k].empty()) && !(k == 3 && own_id && fields[k].empty()))
        BATCHMOUNT_FUZZ_CHECK(plain_id(fields[k]), fields[k]);
    // Decision 11: the three ids name three directories.
    const std::string task = upper(context->task_id()), prep = upper(context->job_prep_task_id()),
                      release = upper(context->job_release_task_id());
    BATCHMOUNT_FUZZ_CHECK(prep != release, release);
    if (!own_id) BATCHMOUNT_FUZZ_CHECK(task != prep && task != release, fields[3]);
    else BATCHMOUNT_FUZZ_CHECK(task == (kind == task_kind::job_preparation ? prep : release), fields[3]);
  } else {
    BATCHMOUNT_FUZZ_CHECK(fields[1].empty() && fields[2].empty() && fields[3].empty(), "a start task has no job");
  }
  const bool windows = os == node_os::windows_node;
  // The canonical root is a fixed point, and every directory lies under it, '..'-free.
  const std::string canonical_root = context->node_root();
  options.node_root = canonical_root;
  const auto again = make_context(options);
  BATCHMOUNT_FUZZ_CHECK(again && again->node_root() == context->node_root(), context->node_root());
  const auto root = fuzz::components(context->node_root(), windows);
  BATCHMOUNT_FUZZ_CHECK(root.has_value(), context->node_root());
  // Nothing under the node root may land on the container's root or kernel filesystems.
  BATCHMOUNT_FUZZ_CHECK(root->size() > 1, context->node_root());
  if (!windows) BATCHMOUNT_FUZZ_CHECK((*root)[1] != "proc" && (*root)[1] != "sys" && (*root)[1] != "dev", context->node_root());
  for (const data_path path : all_data_paths) {
    if (path == data_path::job_prep && !in_job) {
      BATCHMOUNT_FUZZ_CHECK(context->host_directory(path).empty(), "a start task has no JobPrep directory");
      continue;
    }
    const auto dir = fuzz::components(context->host_directory(path), windows);
    BATCHMOUNT_FUZZ_CHECK(dir && fuzz::inside(*dir, *root) && dir->size() > root->size(),
                          context->host_directory(path));
    for (const auto& c : *dir) BATCHMOUNT_FUZZ_CHECK(c != ".." && c != ".", context->host_directory(path));
  }
  // The task's own directory lies in its Task directory; Task is another data path's only
  // where the kind says so.
  const auto task = fuzz::components(context->host_directory(data_path::task), windows);
  const auto own = fuzz::components(context->host_task_directory(), windows);
  BATCHMOUNT_FUZZ_CHECK(own && fuzz::inside(*own, *task), context->host_task_directory());
  for (const data_path path : all_data_paths) {
    if (path == data_path::task || context->host_directory(path).empty()) continue;
    const bool same = *fuzz::components(context->host_directory(path), windows) == *task;
    BATCHMOUNT_FUZZ_CHECK(same == (row(kind).same_directory_as == path), context->host_directory(path));
  }
  return 0;
}
