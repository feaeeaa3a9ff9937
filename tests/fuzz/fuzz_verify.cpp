// verify and the runtime-document readers. Byte 0: bit 0 the OS, bits 1-3 the kind of task
// (modulo 7), bit 4 a null list, bit 5 containerImageDefault; byte 1: bits 0-5 which data
// paths are selected, and each selected one read-only where bit 6 or 7 says (alternating).
// The rest: a JSON document read as OCI config.json or docker inspect output.
// Invariants: whatever document parses verifies without crashing, the allocation-free and
// owning forms agree, and a container built from batchmount's own rendering of the request
// (OCI, the Docker Engine API read back as docker inspect, CRI read back as crictl inspect)
// always verifies clean; the CRI rendering for containerd 1.6 with non-recursive read-only
// accepted verifies with exactly one read_only_not_recursive per warning.
#include "batchmount/render/cri.hpp"
#include "batchmount/verify.hpp"
#include "invariants.hpp"

namespace {
using namespace batchmount;

void must_conform(const resolution& r, const container_environment& env, const std::string& document,
                  result<container_record> (*read)(const nlohmann::json&)) {
  const auto container = read(nlohmann::json::parse(document));
  BATCHMOUNT_FUZZ_CHECK(container.has_value(), document);
  const auto v = verify(r, env, *container);
  if (!v.conforms()) fuzz::violated("own rendering does not conform", v.violations.front().text() + " in " + document);
  BATCHMOUNT_FUZZ_CHECK(v.outside_scope.empty(), document);
}
// `crictl inspect` of a container created from a CRI rendering, as containerd reports it:
// status echoes the mounts (recursiveReadOnly only where the runtime honours it), and
// info.runtimeSpec is the OCI config it generated (Linux binds "rbind", "rprivate" and "rro",
// "ro" or "rw"; Windows binds without a type, "ro" where read-only).
nlohmann::json crictl_inspect(const std::string& cri, bool windows, bool honours_recursive) {
  const auto config = nlohmann::json::parse(cri);
  nlohmann::json status_mounts = nlohmann::json::array(), spec_mounts = nlohmann::json::array();
  for (const auto& m : config["mounts"]) {
    const bool ro = m["readonly"].get<bool>();
    const bool rro = honours_recursive && m.value("recursiveReadOnly", false);
    nlohmann::json echoed = {{"containerPath", m["containerPath"]}, {"hostPath", m["hostPath"]}};
    if (ro) echoed["readonly"] = true;
    if (rro) echoed["recursiveReadOnly"] = true;
    status_mounts.push_back(echoed);
    nlohmann::json options = windows ? nlohmann::json::array() : nlohmann::json{"rbind", "rprivate"};
    if (ro) options.push_back(rro ? "rro" : "ro");
    else if (!windows) options.push_back("rw");
    nlohmann::json spec = {{"destination", m["containerPath"]}, {"source", m["hostPath"]}, {"options", options}};
    if (!windows) spec["type"] = "bind";
    spec_mounts.push_back(spec);
  }
  nlohmann::json env = nlohmann::json::array();
  for (const auto& e : config["envs"]) env.push_back(e["key"].get<std::string>() + "=" + e["value"].get<std::string>());
  nlohmann::json process = {{"env", env}};
  if (config.contains("workingDir")) process["cwd"] = config["workingDir"];
  return {{"status", {{"id", "fuzz"}, {"mounts", status_mounts}}},
          {"info", {{"runtimeSpec", {{"mounts", spec_mounts}, {"process", process}}}}}};
}

void cri_round_trip(const resolution& r, const container_environment& env) {
  const bool windows = r.os == node_os::windows_node;
  if (const auto cri = render_cri(r, env)) {
    const auto inspect = crictl_inspect(*cri, windows, true);
    must_conform(r, env, inspect.dump(), parse_crictl_inspect);
    nlohmann::json status_only = {{"status", inspect["status"]}};
    must_conform(r, env, status_only.dump(), parse_crictl_inspect);
  } else {
    BATCHMOUNT_FUZZ_CHECK(cri.error().code() == error_code::output_needs_utf8, cri.error().message());
  }
  const cri_runtime old{parse_cri_runtime_version("1.6.20~ds1").value(), true};
  const auto warnings = cri_runtime_warnings(r, old);
  BATCHMOUNT_FUZZ_CHECK(warnings.has_value(), "accepted non-recursive read-only was refused");
  const auto cri = render_cri(r, env, old);
  if (!cri) return;
  for (const bool with_spec : {true, false}) {
    auto inspect = crictl_inspect(*cri, windows, false);
    if (!with_spec) inspect.erase("info");
    const auto container = parse_crictl_inspect(inspect);
    BATCHMOUNT_FUZZ_CHECK(container.has_value(), inspect.dump());
    const auto v = verify(r, env, *container);
    BATCHMOUNT_FUZZ_CHECK(v.violations.size() == warnings->size(), inspect.dump());
    for (const auto& x : v.violations)
      BATCHMOUNT_FUZZ_CHECK(x.kind == violation_class::read_only_not_recursive, x.text());
    std::size_t read_only = 0;
    for (const auto& m : r.mounts) read_only += m.read_only && !windows;
    BATCHMOUNT_FUZZ_CHECK(warnings->size() == read_only, *cri);
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  if (size < 2) return 0;
  const node_os os = (data[0] & 1) ? node_os::windows_node : node_os::linux_node;
  const auto kind = static_cast<task_kind>(((data[0] >> 1) & 7u) % task_kind_count);
  owned_request request;
  if (!(data[0] & 0x10)) {
    request.bind_mounts.emplace();
    for (std::size_t i = 0; i < data_path_count; ++i)
      if (data[1] & (1u << i))
        request.bind_mounts->push_back({std::string(to_wire(all_data_paths[i])), ((data[1] >> (6 + i % 2)) & 1) != 0});
  }
  if (data[0] & 0x20) request.working_directory = "containerImageDefault";
  const auto context = make_context(fuzz::options_for(kind, os, std::nullopt, std::nullopt, "task1"));
  if (!context) fuzz::violated("a fixed valid context failed", context.error().message());
  const auto r = resolve(request, *context);
  if (!r) return 0;  // the request breaks a rule: nothing to verify
  auto host = standard_environment(*context, {{"app", std::string_view("1.0")}});
  const auto env = filter_environment(*r, *host);
  if (!env) fuzz::violated("the standard environment was refused", env.error().message());

  // Own renderings verify clean.
  const auto oci = render_oci(*r, *env);
  if (oci) must_conform(*r, *env, *oci, parse_oci_config);
  const auto api = render_docker_api(*r, *env);
  if (api) {
    const auto body = nlohmann::json::parse(*api);
    nlohmann::json inspect = {{"HostConfig", {{"Mounts", body["HostConfig"]["Mounts"]}}},
                              {"Config", {{"Env", body["Env"]}, {"WorkingDir", body.value("WorkingDir", "")}}}};
    must_conform(*r, *env, inspect.dump(), parse_docker_inspect);
  }
  cri_round_trip(*r, *env);

  // Any document: read, verify, and the two forms agree.
  const auto json = nlohmann::json::parse(data + 2, data + size, nullptr, false);
  if (json.is_discarded()) return 0;
  const auto container = parse_container_json(json);
  if (!container) {
    const auto code = container.error().code();
    BATCHMOUNT_FUZZ_CHECK(code == error_code::invalid_json || code == error_code::invalid_json_type,
                          container.error().message());
    return 0;
  }
  const auto owned = verify(*r, *env, *container);
  for (const auto& v : owned.violations) BATCHMOUNT_FUZZ_CHECK(!to_string(v.kind).empty() && !v.text().empty(), v.subject);
  std::vector<env_var> expected = env->variables();
  std::vector<env_var_view> expected_views;
  for (const auto& v : expected) expected_views.push_back({v.name, v.value});
  char storage[8192];
  arena into(storage);
  char scratch_bytes[1 << 16];
  arena scratch(scratch_bytes);
  const auto view_context = make_context(fuzz::options_for(kind, os, std::nullopt, std::nullopt, "task1"), into);
  const auto plan = request.with_view([kind](const container_request& v) { return make_plan(v, kind); });
  const auto view = resolve(*plan, *view_context).value();
  std::vector<violation_view> found(owned.violations.size() + 1);
  std::vector<mount_view> outside(container->mounts.size() + 1);
  const auto counts = container->with_view([&](const container_view& c) {
    return verify(view, expected_views.data(), expected_views.size(), c, found.data(), found.size(), outside.data(),
                  outside.size(), scratch);
  });
  if (!counts) return 0;  // a document too large for this scratch: buffer_too_small
  BATCHMOUNT_FUZZ_CHECK(counts->violations == owned.violations.size(), "forms disagree on violations");
  BATCHMOUNT_FUZZ_CHECK(counts->outside_scope == owned.outside_scope.size(), "forms disagree on scope");
  for (std::size_t i = 0; i < counts->violations; ++i)
    BATCHMOUNT_FUZZ_CHECK(found[i].kind == owned.violations[i].kind && found[i].path == owned.violations[i].path,
                          owned.violations[i].text());
  return 0;
}
