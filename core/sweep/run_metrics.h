#pragma once
// The figures a sweep records for one run, by the names its CSV columns, its JSON and
// `--assert` use. Each is computed from the run's report (and, for the in-flight and queue
// figures, its snapshots after the warm-up); the theory ones from core/theory with the run's
// measured traffic, so a formula and the measurement it predicts sit in the same row.
#include <array>
#include <cstddef>
#include <span>
#include <string_view>

#include "metrics/run_report.h"
#include "metrics/snapshot.h"
#include "scenario/scenario.h"

namespace loadlab {

struct MetricInfo {
  std::string_view name;
  std::string_view summary;
};

inline constexpr std::array<MetricInfo, 23> kRunMetrics{{
    {"throughput_rps", "completed requests per second of the measured time"},
    {"share_error", "largest |measured − expected share| over the nodes (empty where theory has no share)"},
    {"imbalance_max_mean", "requests per unit of weight: most loaded node / mean"},
    {"jain", "Jain's fairness index of requests per unit of weight (1 is even)"},
    {"hit_ratio", "cache hits / lookups, whole cluster"},
    {"mean_us", "mean latency, µs"},
    {"p50_us", "median latency, µs"},
    {"p95_us", "95th percentile latency, µs"},
    {"p99_us", "99th percentile latency, µs"},
    {"p999_us", "99.9th percentile latency, µs"},
    {"availability", "completed / (completed + failed)"},
    {"failures", "failed requests, all reasons"},
    {"in_flight_mean", "requests in the system, averaged over the metric ticks (L of Little's law)"},
    {"littles_l", "throughput × mean latency (λW of Little's law: equals in_flight_mean in steady state)"},
    {"max_queue", "longest queue seen at any node at any metric tick"},
    {"max_load", "most requests at one node (queued + in service) at any metric tick"},
    {"theory_max_load", "max_load when n requests land on n nodes at once: ln n/ln ln n (random), ln ln n/ln d (p2c)"},
    {"theory_mean_us", "mean latency by M/M/1, M/G/1 (Pollaczek–Khinchine) or M/M/c (Erlang C) per node"},
    {"theory_lru_hit_ratio", "LRU hit ratio by Che's approximation at these capacities (the reference for any policy)"},
    {"capacity_rps", "most the cluster can serve at the balancer's split (open loop; theory/offered_load.h)"},
    {"offered_rho", "offered load / capacity_rps: above 1 the cluster is overloaded and queues grow without end"},
    {"goodput_rps", "requests completed within the deadline (--deadline-ms) per second of the measured time"},
    {"goodput_fraction", "requests completed within the deadline / requests issued (empty without a deadline)"},
}};
inline constexpr std::size_t kRunMetricCount = kRunMetrics.size();

using RunMetricValues = std::array<double, kRunMetricCount>;

// Index of a metric by name, or kRunMetricCount when there is none.
std::size_t run_metric_index(std::string_view name);

// What the metric ticks saw, folded as they arrive (a sweep keeps no snapshots).
class TickFigures {
 public:
  explicit TickFigures(double warmup_s = 0) : warmup_ms_(warmup_s * 1000) {}
  void add(const Snapshot& s);
  double in_flight_mean() const;  // NaN with no tick after the warm-up
  double max_queue() const;
  double max_load() const;

 private:
  double warmup_ms_;
  double in_flight_sum_ = 0;
  std::size_t ticks_ = 0;
  std::uint64_t max_queue_ = 0;
  std::uint64_t max_load_ = 0;
};

RunMetricValues compute_run_metrics(const Scenario& scenario, const RunReport& report, const TickFigures& ticks);

}  // namespace loadlab
