// With odr_b.cpp: everything batchmount ships, included in two translation units of one
// program. Each renders the same request; the program fails if they disagree.
#include <cstdio>
#include <string>

#include "batchmount/adapters/nlohmann_json.hpp"
#include "batchmount/batchmount.hpp"
#include "batchmount/render/docker_api.hpp"
#include "batchmount/render/docker_args.hpp"
#include "batchmount/render/env_file.hpp"
#include "batchmount/render/oci.hpp"

std::string render_in_b();

static std::string render_in_a() {
  using namespace batchmount;
  const auto context = make_context({node_os::linux_node, std::nullopt, "j", std::nullopt, "t"});
  const auto doc = parse_task_json(nlohmann::json::parse(R"({"containerHostBatchBindMounts":[{"source":"Task"}]})"));
  const auto r = resolve(doc->request, *context);
  const auto env = filter_environment(*r, *standard_environment(*context));
  return *render_oci(*r, *env) + *render_docker_api(*r, *env) + *render_docker_args(*r, *env) +
         *render_env_file(*env) + report_json(*r, *env).dump();
}

int main() {
  const std::string a = render_in_a(), b = render_in_b();
  if (a != b || a.empty()) {
    std::puts("the two translation units disagree");
    return 1;
  }
  std::puts("two translation units, one program: identical output");
  return 0;
}
