// Speed and allocations of batchmount against a hand-written baseline and the memcpy floor,
// measured side by side in one run. Counters: allocs = heap allocations per call.
#define BATCHMOUNT_BENCH_DEFINE_ALLOCATOR
#include <benchmark/benchmark.h>

#include <cstring>
#include <vector>

#include "alloc_counter.hpp"
#include "baseline.hpp"
#include "batchmount/batchmount.hpp"
#include "batchmount/render/docker_api.hpp"
#include "batchmount/render/docker_args.hpp"
#include "batchmount/render/env_file.hpp"
#include "batchmount/render/oci.hpp"
#include "batchmount/verify.hpp"
#include "simulation_workload.hpp"
#include "workload.hpp"

namespace bm = batchmount;

namespace {

bm::node_os os_of(const benchmark::State& state) {
  return state.range(0) == 0 ? bm::node_os::linux_node : bm::node_os::windows_node;
}

std::vector<bm::env_var> host_env(bm::node_os os) {
  std::vector<bm::env_var> out;
  for (auto& [name, value] : bench::typical_environment(os)) out.push_back({name, value});
  return out;
}

bm::context_options options(bm::node_os os) {
  auto o = bm::context_options::job_task("myJob", "task0001");
  o.on(os).with_node_root(std::string_view(bench::node_root(os)));
  return o;
}

// Runs `body` per iteration and reports heap allocations per call.
template <class Body>
void measure(benchmark::State& state, Body&& body) {
  std::size_t before = bench::allocations();
  for (auto _ : state) body();
  state.counters["allocs"] =
      benchmark::Counter(static_cast<double>(bench::allocations() - before), benchmark::Counter::kAvgIterations);
}

void plan(benchmark::State& state) {
  const bm::container_request request{bench::typical_entries(), std::nullopt};
  measure(state, [&] {
    auto p = bm::make_plan(request);
    benchmark::DoNotOptimize(p);
  });
}

std::vector<bm::env_var_view> host_env_views(const std::vector<bm::env_var>& env) {
  std::vector<bm::env_var_view> out;
  for (const auto& v : env) out.push_back({v.name, v.value});
  return out;
}

// Plan, the context `context_of(arena)` gives, mounts and the 40-variable environment
// filtered, all in caller storage, per iteration.
template <class ContextOf>
void resolve_with(benchmark::State& state, ContextOf&& context_of) {
  const auto env = host_env(os_of(state));
  const auto views = host_env_views(env);
  const bm::container_request request{bench::typical_entries(), std::nullopt};
  std::vector<bm::env_decision_view> decisions(views.size());
  char storage[4096];
  measure(state, [&] {
    bm::arena into(storage);
    const auto p = bm::make_plan(request);
    const auto context = context_of(into);
    const auto r = bm::resolve(*p, *context).value();
    auto n = bm::filter_environment(r, views.data(), views.size(), decisions.data(), decisions.size(), into);
    benchmark::DoNotOptimize(n);
    benchmark::DoNotOptimize(decisions.data());
  });
}

// Request to complete resolution, allocation-free: plan, context (ids validated, root
// canonicalized, every directory built), mounts, and the 40-variable environment filtered,
// all in caller storage.
void resolve_full(benchmark::State& state) {
  const auto opts = options(os_of(state));
  resolve_with(state, [&](bm::arena& into) { return bm::make_context(opts, into); });
}

// resolve_full for another task of a job whose context the agent already holds (a
// simulator's or a node agent's loop over a job's tasks): the context retargeted to the
// task's id (only its id and Task directories written).
void resolve_task(benchmark::State& state) {
  auto base_options = options(os_of(state));
  base_options.task_id = "task0000";
  char base_storage[4096];
  bm::arena base_arena(base_storage);
  const auto base = bm::make_context(base_options, base_arena);
  resolve_with(state, [&](bm::arena& into) { return bm::retarget(*base, "task0001", into); });
}

// The same through the owning convenience API (std::string and std::vector results).
void resolve_full_owning(benchmark::State& state) {
  const auto os = os_of(state);
  const auto env = host_env(os);
  const auto opts = options(os);
  const bm::container_request request{bench::typical_entries(), std::nullopt};
  measure(state, [&] {
    const auto context = bm::make_context(opts);
    const auto r = bm::resolve(request, *context);
    auto filtered = bm::filter_environment(*r, env);
    benchmark::DoNotOptimize(filtered);
  });
}

// Resolution into caller storage for a known context and plan (the per-launch work once a
// node agent has both): mounts, working directory and the filtered environment.
void resolve_into(benchmark::State& state) {
  const auto os = os_of(state);
  const auto env = host_env(os);
  const auto views = host_env_views(env);
  char context_storage[4096];
  bm::arena context_arena(context_storage);
  const auto context = bm::make_context(options(os), context_arena);
  const auto p = bm::make_plan({bench::typical_entries(), std::nullopt});
  std::vector<bm::env_decision_view> decisions(views.size());
  char storage[4096];
  measure(state, [&] {
    bm::arena into(storage);
    const auto r = bm::resolve(*p, *context).value();
    auto n = bm::filter_environment(r, views.data(), views.size(), decisions.data(), decisions.size(), into);
    benchmark::DoNotOptimize(n);
    benchmark::DoNotOptimize(decisions.data());
  });
}

void baseline_full(benchmark::State& state) {
  const bool windows = os_of(state) == bm::node_os::windows_node;
  const auto env = bench::typical_environment(os_of(state));
  const std::vector<baseline::entry> entries = {{"Task", true}, {"Shared", false}, {"Applications", false}};
  const std::string root = bench::node_root(os_of(state));
  measure(state, [&] {
    auto out = baseline::resolve(windows, root, "myJob", "task0001", entries, false, env);
    benchmark::DoNotOptimize(out);
  });
}

// The bytes a resolution hands its consumer (mount paths, environment, working directory),
// copied into a preallocated buffer: the floor no resolver can beat.
void memcpy_floor(benchmark::State& state) {
  const auto os = os_of(state);
  const auto context = bm::make_context(options(os));
  const auto r = bm::resolve(bm::container_request{bench::typical_entries(), std::nullopt}, *context);
  const auto env = bm::filter_environment(*r, host_env(os));
  std::vector<std::string> pieces;
  for (const auto& m : r->mounts) pieces.insert(pieces.end(), {m.host_path, m.container_path});
  for (const auto& v : env->variables()) pieces.insert(pieces.end(), {v.name, v.value});
  pieces.push_back(*r->working_directory);
  std::vector<char> buffer(1 << 16);
  std::size_t bytes = 0;
  measure(state, [&] {
    char* out = buffer.data();
    for (const auto& p : pieces) {
      std::memcpy(out, p.data(), p.size());
      out += p.size();
    }
    bytes = static_cast<std::size_t>(out - buffer.data());
    benchmark::DoNotOptimize(buffer.data());
    benchmark::ClobberMemory();
  });
  state.counters["bytes"] = static_cast<double>(bytes);
}

template <class Render>
void renderer(benchmark::State& state, Render render) {
  const auto os = os_of(state);
  const auto context = bm::make_context(options(os));
  const auto r = bm::resolve(bm::container_request{bench::typical_entries(), std::nullopt}, *context);
  const auto env = bm::filter_environment(*r, host_env(os));
  measure(state, [&] {
    auto text = render(*r, *env);
    benchmark::DoNotOptimize(text);
  });
}

// A simulator's run of N tasks (examples/simulation_workload.hpp): the time per task must
// not grow with N (plans are per request shape, arenas are reused).
void simulate(benchmark::State& state) {
  const auto tasks = static_cast<std::uint64_t>(state.range(0));
  sim::simulator simulator;
  std::size_t removed = 0;
  measure(state, [&] {
    for (std::uint64_t i = 0; i < tasks; ++i) removed += simulator.run(i).removed;
  });
  benchmark::DoNotOptimize(removed);
  state.counters["ns_per_task"] = benchmark::Counter(static_cast<double>(tasks) * static_cast<double>(state.iterations()),
                                                     benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

// verify of a conforming container (its own resolution's mounts and environment) against the
// resolution, allocation-free: the per-container cost of a test harness's check.
void verify_into(benchmark::State& state) {
  const auto os = os_of(state);
  const auto env = host_env(os);
  const auto context = bm::make_context(options(os));
  const auto owned = bm::resolve(bm::container_request{bench::typical_entries(), std::nullopt}, *context);
  const auto filtered = bm::filter_environment(*owned, env);
  const auto expected = bm::expected_container(*owned, *filtered);
  char context_storage[4096];
  bm::arena context_arena(context_storage);
  const auto view = bm::resolve(*bm::make_plan({bench::typical_entries(), std::nullopt}),
                                *bm::make_context(options(os), context_arena))
                        .value();
  std::vector<bm::env_var_view> expected_env;
  for (const auto& v : expected.environment) expected_env.push_back({v.name, v.value});
  std::vector<bm::mount_view> mounts;
  for (const auto& m : expected.mounts) mounts.push_back({m.source, m.host_path, m.container_path, m.read_only, m.recursive});
  const bm::container_view container{mounts.data(), mounts.size(), expected_env.data(), expected_env.size(),
                                     expected.working_directory};
  bm::violation_view found[8];
  bm::mount_view outside[4];
  char scratch_storage[4096];
  measure(state, [&] {
    bm::arena scratch(scratch_storage);
    auto counts = bm::verify(view, expected_env.data(), expected_env.size(), container, found, 8, outside, 4, scratch);
    if (!counts || counts->violations != 0) state.SkipWithError("the container must conform");
    benchmark::DoNotOptimize(counts);
  });
}

}  // namespace

BENCHMARK(verify_into)->Arg(0)->Arg(1);
BENCHMARK(simulate)->Arg(1000)->Arg(10000)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);
BENCHMARK(plan)->Arg(0)->Arg(1);
BENCHMARK(resolve_full)->Arg(0)->Arg(1);
BENCHMARK(resolve_task)->Arg(0)->Arg(1);
BENCHMARK(resolve_full_owning)->Arg(0)->Arg(1);
BENCHMARK(resolve_into)->Arg(0)->Arg(1);
BENCHMARK(baseline_full)->Arg(0)->Arg(1);
BENCHMARK(memcpy_floor)->Arg(0)->Arg(1);
BENCHMARK_CAPTURE(renderer, oci, [](const bm::resolution& r, const bm::container_environment& e) {
  return bm::render_oci(r, e);
})->Arg(0)->Arg(1);
BENCHMARK_CAPTURE(renderer, docker_api, [](const bm::resolution& r, const bm::container_environment& e) {
  return bm::render_docker_api(r, e);
})->Arg(0)->Arg(1);
BENCHMARK_CAPTURE(renderer, docker_args, [](const bm::resolution& r, const bm::container_environment& e) {
  return bm::render_docker_args(r, e);
})->Arg(0)->Arg(1);
BENCHMARK_CAPTURE(renderer, env_file, [](const bm::resolution& r, const bm::container_environment& e) {
  return bm::render_env_file(e);
})->Arg(0)->Arg(1);

BENCHMARK_MAIN();
