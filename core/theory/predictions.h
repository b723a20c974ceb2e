#pragma once
// The one front door for what theory predicts about a running scenario, so the window, the
// CLI and the tests all show the same numbers:
// - each node's share of the requests (share_prediction.h);
// - each node's LRU hit ratio by Che's approximation (cache_theory.h);
// - mean latency with every node a queue fed by Poisson arrivals at its measured rate, with
//   its measured hit ratio deciding the service-time mix: Pollaczek–Khinchine for one slot
//   (M/G/1, exact), Erlang C for c slots with the Allen–Cunneen correction for non-exponential
//   service (exact for M/M/c, an approximation otherwise).
#include <span>
#include <string>
#include <vector>

#include "metrics/run_report.h"
#include "scenario/scenario.h"

namespace loadlab {

// What a node sees: requests per second, and the share of them that hit its cache.
struct NodeTraffic {
  double rate = 0;
  double hit_ratio = 0;
};

struct LatencyPrediction {
  bool applicable = false;           // open loop, reads only, Poisson arrivals
  bool saturated = false;            // some node's utilisation is >= 1: no steady state
  std::string why_not;               // when not applicable or saturated, in a phrase
  std::vector<double> node_mean_us;  // NaN for a saturated or idle node
  std::vector<double> node_utilisation;
  double mean_us = 0;  // weighted by each node's rate; NaN unless applicable and not saturated
};

// `time_scale` stretches every service time (the window's slow motion is 10).
LatencyPrediction predict_latency(const Scenario& scenario, std::span<const NodeTraffic> traffic,
                                  double time_scale = 1.0);

// Mean response time of one queue: Poisson arrivals at `rate` per second, `servers` slots,
// service with mean `s1_us` and second moment `s2_us2`. NaN when rate·s1 >= servers.
double queue_mean_response_us(double rate, unsigned servers, double s1_us, double s2_us2);

// Erlang C: the probability that an arrival waits, for c servers at offered load a = λ/μ < c.
double erlang_c(unsigned servers, double offered_load);

struct Predictions {
  std::vector<double> shares;          // NaN where the policy has no closed form
  std::vector<double> lru_hit_ratios;  // empty when the key space is too large (or no cache)
  double lru_hit_ratio = 0;            // traffic-weighted; NaN when not predicted
  LatencyPrediction latency;
};

// Everything, for a finished (or running) run's report: traffic is what the report measured.
Predictions predict(const Scenario& scenario, const RunReport& report);

}  // namespace loadlab
