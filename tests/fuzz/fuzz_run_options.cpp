// containerRunOptions. Byte 0: bit 0 the OS, bit 1 a null list, bits 2-7 which data paths are
// selected (read-only where the next byte's bit says); the rest: the run-options text.
// Invariants: reading never crashes and either fails with run_options_unreadable naming a
// word position within the text or gives options whose words are the text's; judging (accept
// mode) never crashes; every bind an option makes is classified as an independent
// normalizer of paths says (outside the node root: out of scope; under it and inside a
// mount: never an exposure; under it and in no mount: an exposure); refuse mode fails
// exactly when accept mode has a finding refused by default, naming that finding.
#include "invariants.hpp"

#include "batchmount/run_options.hpp"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  using namespace batchmount;
  if (size < 2) return 0;
  const node_os os = (data[0] & 1) ? node_os::windows_node : node_os::linux_node;
  const bool windows = os == node_os::windows_node;
  owned_request request;
  if (!(data[0] & 2)) {
    request.bind_mounts.emplace();
    for (std::size_t i = 0; i < data_path_count; ++i)
      if (data[0] & (1u << (2 + i % 6)))
        request.bind_mounts->push_back({std::string(to_wire(all_data_paths[i])), ((data[1] >> i) & 1) != 0});
  }
  request.working_directory = "containerImageDefault";
  const std::string text(reinterpret_cast<const char*>(data) + 2, size - 2);
  request.run_options = text;

  const auto read = read_run_options(text, os);
  if (!read) {
    BATCHMOUNT_FUZZ_CHECK(read.error().code() == error_code::run_options_unreadable, read.error().message());
    BATCHMOUNT_FUZZ_CHECK(read.error().index() <= text.size(), read.error().message());
  } else {
    for (const auto& o : read->options) BATCHMOUNT_FUZZ_CHECK(o.position < read->words.size(), o.written);
  }
  const auto context = make_context(fuzz::options_for(task_kind::task, os, std::nullopt, std::nullopt, "task1"));
  if (!context) fuzz::violated("a fixed valid context failed", context.error().message());
  const auto accepted = resolve(request, *context, run_option_policy::accept);
  if (!accepted) {
    // Only the bind-mount list can fail here (a working directory rule), never the run options.
    BATCHMOUNT_FUZZ_CHECK(accepted.error().code() != error_code::run_options_unreadable, accepted.error().message());
    return 0;
  }
  const auto refused = resolve(request, *context);
  const run_option_finding* first_refused = nullptr;
  for (const auto& f : accepted->run_option_findings)
    if (!first_refused && refused_by_default(f.kind)) first_refused = &f;
  BATCHMOUNT_FUZZ_CHECK(refused.has_value() == (first_refused == nullptr), text);
  if (first_refused) BATCHMOUNT_FUZZ_CHECK(refused.error().value() == std::string_view(first_refused->option).substr(0, error::value_capacity), text);

  if (!read) return 0;
  const auto root = fuzz::components(accepted->node_root, windows);
  for (const auto& o : read->options) {
    const auto bind = bind_of(o, os);
    if (!bind || !*bind) continue;
    bool outside = false, exposed = false;
    for (const auto& f : accepted->run_option_findings)
      if (f.position == o.position && f.option == o.written) exposed = exposed || f.kind == run_option_class::mount_exposes_unselected;
    for (const auto& w : accepted->run_options_outside_scope) outside = outside || w == o.written;
    const auto source = fuzz::components((*bind)->source, windows);
    // The independent reading: where is the source?
    const bool under_or_holding = source && (fuzz::inside(*source, *root) || fuzz::inside(*root, *source));
    bool in_mount = false;
    for (const auto& m : accepted->mounts) {
      const auto mc = fuzz::components(m.host_path, windows);
      in_mount = in_mount || (source && mc && fuzz::inside(*source, *mc));
    }
    // A source the library reads as a path may be refused by the independent normalizer (a
    // device prefix, a stream) and vice versa only for odd spellings: judge the plain ones.
    if (!source) continue;
    if (!under_or_holding) BATCHMOUNT_FUZZ_CHECK(outside && !exposed, o.written);
    else if (in_mount) BATCHMOUNT_FUZZ_CHECK(!outside && !exposed, o.written);
    else BATCHMOUNT_FUZZ_CHECK(exposed && !outside, o.written);
  }
  return 0;
}
