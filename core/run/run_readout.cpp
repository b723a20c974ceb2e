#include "run/run_readout.h"

#include <fmt/format.h>

namespace loadlab {

ReportContext report_context_for(const Scenario& scenario, const Dispatcher& dispatcher,
                                 const SharePrediction& prediction) {
  ReportContext c;
  c.scenario = scenario.name;
  c.balancer = scenario.balancer;
  c.cache_policy = scenario.cache_policy;
  c.seed = scenario.seed;
  c.deadline_ms = scenario.deadline_ms;
  for (const NodeSpec& spec : scenario.nodes) c.names.push_back(spec.name);
  c.honours_weights = dispatcher.balancer().honours_weights();
  if (const Placement* p = dispatcher.placement()) {
    c.placement = fmt::format("{} partitions ({}), R={}, W={}, {:.0f}% writes", to_string(scenario.partitioning.kind),
                              p->partition_count(), effective_replication(scenario), effective_write_quorum(scenario),
                              100 * scenario.workload.write_fraction);
    c.partitions_held = prediction.partitions_held();
    c.key_share_held = prediction.key_share_held();
  }
  return c;
}

std::vector<NodeState> node_states(std::span<const NodeCounters* const> counters, const std::vector<double>& weights,
                                   const std::vector<double>& shares, const std::function<bool(std::size_t)>& up,
                                   const HealthMonitor& health) {
  std::vector<NodeState> states(counters.size());
  for (std::size_t i = 0; i < counters.size(); ++i)
    states[i] = NodeState{counters[i], weights[i], shares[i], up(i), health.available(i), health.state(i)};
  return states;
}

}  // namespace loadlab
