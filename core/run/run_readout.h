#pragma once
// What a driver reads out of the model for its snapshots and its report, the same on both
// clocks: the report's fixed context, and each node's state beside its counters.
#include <functional>
#include <span>
#include <vector>

#include "metrics/counters_reader.h"
#include "model/dispatcher.h"
#include "model/health_monitor.h"
#include "theory/share_prediction.h"

namespace loadlab {

ReportContext report_context_for(const Scenario& scenario, const Dispatcher& dispatcher,
                                 const SharePrediction& prediction);

// Counters, configured weights, theory's shares, the truth (`up`) and health's belief.
std::vector<NodeState> node_states(std::span<const NodeCounters* const> counters, const std::vector<double>& weights,
                                   const std::vector<double>& shares, const std::function<bool(std::size_t)>& up,
                                   const HealthMonitor& health);

}  // namespace loadlab
