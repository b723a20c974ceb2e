#include "sweep/run_metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "theory/balls_into_bins.h"
#include "theory/offered_load.h"
#include "theory/predictions.h"

namespace loadlab {
namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

std::size_t run_metric_index(std::string_view name) {
  for (std::size_t i = 0; i < kRunMetricCount; ++i)
    if (kRunMetrics[i].name == name) return i;
  return kRunMetricCount;
}

void TickFigures::add(const Snapshot& s) {
  // The final snapshot closes a partial interval after the last arrival, when the queues
  // drain: it is not a sample of the steady state.
  if (s.final || static_cast<double>(s.t_ms) <= warmup_ms_) return;
  in_flight_sum_ += static_cast<double>(s.in_flight);
  ++ticks_;
  for (const NodeSample& n : s.nodes) {
    max_queue_ = std::max(max_queue_, n.queue_length);
    max_load_ = std::max(max_load_, n.queue_length + n.in_service);
  }
}

double TickFigures::in_flight_mean() const { return ticks_ > 0 ? in_flight_sum_ / static_cast<double>(ticks_) : kNaN; }
double TickFigures::max_queue() const { return ticks_ > 0 ? static_cast<double>(max_queue_) : kNaN; }
double TickFigures::max_load() const { return ticks_ > 0 ? static_cast<double>(max_load_) : kNaN; }

namespace {

// Balls into bins applies only where the run is that experiment: as many requests as nodes.
double theory_max_load(const Scenario& s) {
  const std::size_t n = s.nodes.size();
  if (s.workload.requests != n) return kNaN;
  if (s.balancer == "random") return max_load_one_choice(n);
  if (s.balancer == "p2c") return max_load_d_choices(n, s.balancer_params.choices);
  return kNaN;
}

}  // namespace

RunMetricValues compute_run_metrics(const Scenario& scenario, const RunReport& r, const TickFigures& ticks) {
  RunMetricValues m;
  m.fill(kNaN);
  auto set = [&](std::string_view name, double v) { m[run_metric_index(name)] = v; };
  set("throughput_rps", r.achieved_rps);
  double share_error = kNaN;
  for (const NodeSummary& n : r.nodes)
    if (std::isfinite(n.expected_share))
      share_error = std::isnan(share_error) ? std::abs(n.share - n.expected_share)
                                            : std::max(share_error, std::abs(n.share - n.expected_share));
  set("share_error", share_error);
  set("imbalance_max_mean", r.imbalance.max_mean);
  set("jain", r.imbalance.jain);
  set("hit_ratio", r.total.hit_ratio);
  set("mean_us", r.total.mean_us);
  set("p50_us", r.total.p50_us);
  set("p95_us", r.total.p95_us);
  set("p99_us", r.total.p99_us);
  set("p999_us", r.total.p999_us);
  const double finished = static_cast<double>(r.completed + r.failed.total());
  set("availability", finished > 0 ? static_cast<double>(r.completed) / finished : kNaN);
  set("failures", static_cast<double>(r.failed.total()));
  set("in_flight_mean", ticks.in_flight_mean());
  set("littles_l", r.achieved_rps * r.total.mean_us / 1e6);
  set("max_queue", ticks.max_queue());
  set("max_load", ticks.max_load());
  set("theory_max_load", theory_max_load(scenario));
  const Predictions p = predict(scenario, r);
  set("theory_mean_us", p.latency.applicable && !p.latency.saturated ? p.latency.mean_us : kNaN);
  set("theory_lru_hit_ratio", p.lru_hit_ratio);
  const OfferedLoad load = predict_offered_load(scenario);
  set("capacity_rps", load.applicable ? load.capacity_rps : kNaN);
  set("offered_rho", load.applicable ? load.rho : kNaN);
  set("goodput_rps", r.total.goodput_rps);
  set("goodput_fraction", r.total.goodput_fraction);
  return m;
}

}  // namespace loadlab
