#include "run/run.h"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

namespace loadlab {

std::vector<std::string> Run::node_names() const {
  std::vector<std::string> names;
  for (const NodeSpec& n : scenario().nodes) names.push_back(n.name);
  return names;
}

void Run::set_weight(std::size_t node, double weight) {
  check_node_index(node, scenario().nodes.size());
  std::vector<double> w = weights();
  w[node] = weight;
  set_weights(w);
}

void check_node_index(std::size_t node, std::size_t nodes) {
  if (node >= nodes)
    throw std::invalid_argument(fmt::format("node index {} out of range (the run has {} nodes)", node, nodes));
}

void check_weights(const std::vector<double>& weights, const Scenario& scenario) {
  if (weights.size() != scenario.nodes.size())
    throw std::invalid_argument(fmt::format("{} weights given for {} nodes", weights.size(), scenario.nodes.size()));
  for (std::size_t i = 0; i < weights.size(); ++i)
    if (!std::isfinite(weights[i]) || weights[i] < 0 || weights[i] > 1e6)
      throw std::invalid_argument(fmt::format("weight of node {} must be a finite number from 0 to 1000000 (got {})",
                                              scenario.nodes[i].name, weights[i]));
}

void check_speed(double speed) {
  if (!std::isfinite(speed) || speed <= 0 || speed > 1000)
    throw std::invalid_argument(fmt::format("speed must be a number > 0 and <= 1000 (got {})", speed));
}

void check_cache_capacity(std::size_t objects) {
  if (objects > kMaxCacheCapacity)
    throw std::invalid_argument(fmt::format("cache capacity at most {} objects (got {})", kMaxCacheCapacity, objects));
}

void check_rate(double rate) {
  if (!std::isfinite(rate) || rate <= 0 || rate > kMaxRate)
    throw std::invalid_argument(fmt::format("rate must be > 0 and <= {} requests/s (got {})", kMaxRate, rate));
}

void check_think_time(double milliseconds) {
  // The bound scenario validation sets for workload.think_ms.
  if (!std::isfinite(milliseconds) || milliseconds < 0 || milliseconds > 3'600'000)
    throw std::invalid_argument(fmt::format("think time must be from 0 to 3600000 ms (got {})", milliseconds));
}

void check_spikes(double probability, double extra_us) {
  if (!std::isfinite(probability) || probability < 0 || probability > 1)
    throw std::invalid_argument(fmt::format("spike probability must be from 0 to 1 (got {})", probability));
  if (!std::isfinite(extra_us) || extra_us < 0 || extra_us > 60e6)
    throw std::invalid_argument(fmt::format("spike duration must be from 0 to 60000000 us (got {})", extra_us));
}

}  // namespace loadlab
