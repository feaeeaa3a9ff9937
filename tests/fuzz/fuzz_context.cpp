// Id and node-root validation. Byte 0 picks the OS; the rest is five fields separated by
// 0x1F: node root, job id, job schedule id (empty: none), task id, job prep task id.
#include "invariants.hpp"

namespace {
bool plain_id(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (const char c : id)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
      return false;
  return true;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  using namespace batchmount;
  if (size < 1) return 0;
  const node_os os = (data[0] & 1) ? node_os::windows_node : node_os::linux_node;
  std::vector<std::string> fields(1);
  for (std::size_t i = 1; i < size; ++i) {
    if (data[i] == 0x1F) fields.emplace_back();
    else fields.back() += static_cast<char>(data[i]);
  }
  fields.resize(5);
  const auto context = make_context({os, std::string_view(fields[0]), fields[1],
                                     fields[2].empty() ? std::nullopt : std::optional<std::string_view>(fields[2]),
                                     fields[3], fields[4]});
  if (!context) return 0;
  for (std::size_t k = 1; k < 5; ++k)
    BATCHMOUNT_FUZZ_CHECK(plain_id(fields[k]) || (k == 2 && fields[k].empty()), fields[k]);
  const bool windows = os == node_os::windows_node;
  // The canonical root is a fixed point, and every directory lies under it, '..'-free.
  const auto again = make_context({os, std::string_view(context->node_root()), fields[1], std::nullopt, fields[3], fields[4]});
  BATCHMOUNT_FUZZ_CHECK(again && again->node_root() == context->node_root(), context->node_root());
  const auto root = fuzz::components(context->node_root(), windows);
  BATCHMOUNT_FUZZ_CHECK(root.has_value(), context->node_root());
  for (const data_path path : all_data_paths) {
    const auto dir = fuzz::components(context->host_directory(path), windows);
    BATCHMOUNT_FUZZ_CHECK(dir && fuzz::inside(*dir, *root) && dir->size() > root->size(),
                          context->host_directory(path));
    for (const auto& c : *dir) BATCHMOUNT_FUZZ_CHECK(c != ".." && c != ".", context->host_directory(path));
  }
  const auto task = fuzz::components(context->host_directory(data_path::task), windows);
  const auto prep = fuzz::components(context->host_directory(data_path::job_prep), windows);
  BATCHMOUNT_FUZZ_CHECK(*task != *prep, "Task and JobPrep share a directory");
  return 0;
}
