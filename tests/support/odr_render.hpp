#ifndef BATCHMOUNT_TESTS_ODR_RENDER_HPP
#define BATCHMOUNT_TESTS_ODR_RENDER_HPP

// Everything batchmount ships; BATCHMOUNT_ODR_RENDER(name) defines, in the including
// translation unit, a function that renders one request every way.
#include <string>

#include "batchmount/adapters/nlohmann_json.hpp"
#include "batchmount/batchmount.hpp"
#include "batchmount/exposure.hpp"
#include "batchmount/render/cri.hpp"
#include "batchmount/render/docker_api.hpp"
#include "batchmount/render/docker_args.hpp"
#include "batchmount/render/env_file.hpp"
#include "batchmount/render/oci.hpp"

#define BATCHMOUNT_ODR_RENDER(name)                                                                          \
  std::string name() {                                                                                       \
    using namespace batchmount;                                                                              \
    const auto context = make_context(context_options::job_task("j", "t"));         \
    const auto doc = parse_task_json(nlohmann::json::parse(R"({"containerHostBatchBindMounts":[{"source":"Task"}]})")); \
    const auto r = resolve(doc->request, *context);                                                          \
    const auto env = filter_environment(*r, *standard_environment(*context));                                \
    return *render_oci(*r, *env) + *render_docker_api(*r, *env) + *render_docker_args(*r, *env) +            \
           *render_env_file(*env) + *render_cri(*r, *env) + report_json(*r, *env).dump() +                                           \
           std::to_string(analyze_exposure(std::vector<resolution>{*r, *r}).size());                         \
  }

#endif
