// The JSON adapter: any bytes; what parses must round-trip through to_json and parse again
// to the same request.
#include "invariants.hpp"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  using namespace batchmount;
  const auto json = nlohmann::json::parse(data, data + size, nullptr, false);
  if (json.is_discarded()) return 0;
  const auto document = parse_task_json(json);
  if (!document) {
    const auto code = document.error().code();
    BATCHMOUNT_FUZZ_CHECK(code == error_code::invalid_json || code == error_code::invalid_json_type,
                          document.error().message());
    return 0;
  }
  const nlohmann::json written = document->request;
  const auto again = parse_task_json(written);
  BATCHMOUNT_FUZZ_CHECK(again.has_value(), written.dump());
  const auto& a = document->request;
  const auto& b = again->request;
  BATCHMOUNT_FUZZ_CHECK(a.working_directory == b.working_directory, written.dump());
  BATCHMOUNT_FUZZ_CHECK(a.bind_mounts.has_value() == b.bind_mounts.has_value(), written.dump());
  if (a.bind_mounts) {
    BATCHMOUNT_FUZZ_CHECK(a.bind_mounts->size() == b.bind_mounts->size(), written.dump());
    for (std::size_t i = 0; i < a.bind_mounts->size(); ++i) {
      BATCHMOUNT_FUZZ_CHECK((*a.bind_mounts)[i].source == (*b.bind_mounts)[i].source, written.dump());
      BATCHMOUNT_FUZZ_CHECK((*a.bind_mounts)[i].is_read_only == (*b.bind_mounts)[i].is_read_only, written.dump());
    }
  }
  const auto p1 = a.with_view([](const container_request& v) { return make_plan(v); });
  const auto p2 = b.with_view([](const container_request& v) { return make_plan(v); });
  BATCHMOUNT_FUZZ_CHECK(p1.has_value() == p2.has_value(), written.dump());
  if (p1) BATCHMOUNT_FUZZ_CHECK(*p1 == *p2, written.dump());
  else BATCHMOUNT_FUZZ_CHECK(p1.error() == p2.error(), written.dump());
  return 0;
}
