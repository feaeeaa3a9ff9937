// One million tasks over a thousand nodes with a realistic mix of requests: throughput, and
// per node class an exposure summary of the tasks that ran together on one node.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <vector>

#include "simulation_workload.hpp"

int main(int argc, char** argv) {
  const std::uint64_t tasks = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000000;
  sim::simulator simulator;
  std::vector<std::size_t> per_shape(sim::shapes().size()), removed(sim::shapes().size());
  // The last tasks seen on the first node of each class: they ran together there.
  constexpr std::size_t together = 24;
  std::vector<std::vector<batchmount::resolution>> sample(sim::node_classes().size());

  const auto start = std::chrono::steady_clock::now();
  for (std::uint64_t i = 0; i < tasks; ++i) {
    const auto t = simulator.run(i);
    ++per_shape[t.shape];
    removed[t.shape] += t.removed;
    if (t.node == sim::node_classes()[t.node_class].first_node) {
      auto& s = sample[t.node_class];
      if (s.size() == together) s.erase(s.begin());
      s.push_back(batchmount::to_owned(t.resolution));
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::printf("%llu tasks over %zu nodes in %.2f s: %.0f tasks/s, %.0f ns per task\n",
              static_cast<unsigned long long>(tasks), sim::node_count, seconds, static_cast<double>(tasks) / seconds,
              seconds * 1e9 / static_cast<double>(tasks));
  for (std::size_t s = 0; s < per_shape.size(); ++s)
    std::printf("  %6.2f%%  %-44s %.1f variables removed per task\n", 100.0 * static_cast<double>(per_shape[s]) / static_cast<double>(tasks),
                sim::shapes()[s].name, per_shape[s] ? static_cast<double>(removed[s]) / static_cast<double>(per_shape[s]) : 0.0);

  std::printf("\nexposure of %zu tasks that ran together on one node, per node class:\n", together);
  for (std::size_t c = 0; c < sample.size(); ++c) {
    const auto found = batchmount::analyze_exposure(sample[c]);
    std::map<batchmount::channel, std::size_t> kinds;
    for (const auto& e : found) ++kinds[e.kind];
    std::printf("  %s: %zu shared paths (%zu two-way, %zu one-way, %zu read-only)\n", sim::node_classes()[c].name,
                found.size(), kinds[batchmount::channel::two_way], kinds[batchmount::channel::one_way],
                kinds[batchmount::channel::read_only]);
    for (std::size_t k = 0; k < found.size() && k < 4; ++k)
      std::printf("    %-9s %s (%zu writers, %zu readers)\n", batchmount::to_string(found[k].kind).data(),
                  found[k].host_path.c_str(), found[k].writers.size(), found[k].readers.size());
    if (found.size() > 4) std::printf("    ... and %zu more\n", found.size() - 4);
  }
  return 0;
}
