// The JSON adapter: any bytes; what parses (a task body, a bare containerSettings, a job, a
// pool or ARM pool JSON) must round-trip each task's request through to_json and parse again
// to the same request and the same plan for its kind of task.
#include "invariants.hpp"

namespace {
using namespace batchmount;

void round_trip(const owned_request& a, task_kind kind) {
  const nlohmann::json written = a;
  const auto again = parse_task_json(written);
  BATCHMOUNT_FUZZ_CHECK(again.has_value(), written.dump());
  const auto& b = again->request;
  BATCHMOUNT_FUZZ_CHECK(a.working_directory == b.working_directory, written.dump());
  BATCHMOUNT_FUZZ_CHECK(a.run_options == b.run_options, written.dump());
  BATCHMOUNT_FUZZ_CHECK(a.bind_mounts.has_value() == b.bind_mounts.has_value(), written.dump());
  if (a.bind_mounts) {
    BATCHMOUNT_FUZZ_CHECK(a.bind_mounts->size() == b.bind_mounts->size(), written.dump());
    for (std::size_t i = 0; i < a.bind_mounts->size(); ++i) {
      BATCHMOUNT_FUZZ_CHECK((*a.bind_mounts)[i].source == (*b.bind_mounts)[i].source, written.dump());
      BATCHMOUNT_FUZZ_CHECK((*a.bind_mounts)[i].is_read_only == (*b.bind_mounts)[i].is_read_only, written.dump());
    }
  }
  const auto p1 = a.with_view([kind](const container_request& v) { return make_plan(v, kind); });
  const auto p2 = b.with_view([kind](const container_request& v) { return make_plan(v, kind); });
  BATCHMOUNT_FUZZ_CHECK(p1.has_value() == p2.has_value(), written.dump());
  if (p1) BATCHMOUNT_FUZZ_CHECK(*p1 == *p2, written.dump());
  else BATCHMOUNT_FUZZ_CHECK(p1.error() == p2.error(), written.dump());
}

void expect_json_error(const error& e) {
  BATCHMOUNT_FUZZ_CHECK(e.code() == error_code::invalid_json || e.code() == error_code::invalid_json_type, e.message());
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  const auto json = nlohmann::json::parse(data, data + size, nullptr, false);
  if (json.is_discarded()) return 0;
  const auto document = parse_task_json(json);
  if (document) round_trip(document->request, document->kind);
  else expect_json_error(document.error());

  const auto batch = parse_batch_json(json);
  if (!batch) {
    expect_json_error(batch.error());
    return 0;
  }
  BATCHMOUNT_FUZZ_CHECK(!batch->tasks.empty(), json.dump());
  for (const auto& task : batch->tasks) {
    // The kinds a shape can hold.
    const bool pool = batch->shape == "pool" || batch->shape == "armPool";
    const bool job = batch->shape == "job";
    BATCHMOUNT_FUZZ_CHECK(pool == (task.kind == task_kind::start), batch->shape);
    BATCHMOUNT_FUZZ_CHECK(job == (task.kind == task_kind::job_manager || task.kind == task_kind::job_preparation ||
                                  task.kind == task_kind::job_release),
                          batch->shape);
    BATCHMOUNT_FUZZ_CHECK(batch->find(task.kind) != nullptr, batch->shape);
    round_trip(task.request, task.kind);
  }
  return 0;
}
