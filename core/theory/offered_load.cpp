#include "theory/offered_load.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include "model/placement.h"
#include "theory/cache_theory.h"
#include "theory/share_prediction.h"
#include "workload/service_time.h"

namespace loadlab {

OfferedLoad predict_offered_load(const Scenario& s) {
  OfferedLoad o;
  const std::size_t n = s.nodes.size();
  if (s.workload.mode != Workload::Mode::open) {
    o.why_not = "closed loop: clients wait for answers, so the load follows what the nodes serve";
    return o;
  }
  if (n == 0) {
    o.why_not = "no nodes";
    return o;
  }
  o.applicable = true;
  o.offered_rps = s.workload.rate;

  std::vector<double> weights;
  std::vector<std::size_t> capacities;
  for (std::size_t i = 0; i < n; ++i) {
    weights.push_back(s.nodes[i].weight);
    capacities.push_back(s.cache_capacity_of(i));
  }
  const std::optional<Placement> placement =
      s.partitioning.kind == Partitioning::Kind::none
          ? std::nullopt
          : std::optional<Placement>(std::in_place, s.partitioning, n, s.workload.keys.keys);
  const std::vector<double> shares = SharePrediction(s, placement ? &*placement : nullptr).shares(weights);
  o.shares_fixed = std::all_of(shares.begin(), shares.end(), [](double x) { return std::isfinite(x); });
  std::vector<double> hit_ratios;
  if (s.cache_policy != "none") hit_ratios = node_lru_hit_ratios(s, weights, capacities);

  const ServiceTime service(s.service);
  o.node_capacity_rps.assign(n, 0.0);
  double total_capacity = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double h = i < hit_ratios.size() && std::isfinite(hit_ratios[i]) ? hit_ratios[i] : 0.0;
    const double mean_us = (h * service.mean_us(true) + (1 - h) * service.mean_us(false)) / s.nodes[i].speed;
    o.node_capacity_rps[i] = mean_us > 0 ? s.nodes[i].slots * 1e6 / mean_us : std::numeric_limits<double>::infinity();
    total_capacity += o.node_capacity_rps[i];
  }

  o.node_rho.assign(n, 0.0);
  if (o.shares_fixed) {
    o.capacity_rps = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < n; ++i) {
      if (!(shares[i] > 0)) continue;
      o.node_rho[i] = o.offered_rps * shares[i] / o.node_capacity_rps[i];
      o.capacity_rps = std::min(o.capacity_rps, o.node_capacity_rps[i] / shares[i]);
    }
  } else {
    // Work goes where there is room: every node at the same utilisation.
    o.capacity_rps = total_capacity;
    for (std::size_t i = 0; i < n; ++i) o.node_rho[i] = o.offered_rps / total_capacity;
  }
  o.rho = o.offered_rps / o.capacity_rps;
  return o;
}

}  // namespace loadlab
