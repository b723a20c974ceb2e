#pragma once
// A run's own output series, one observation per metric interval (per Snapshot): what MSER-5
// looks at to find the end of the warm-up, and what batch means cut into batches. Folded as
// the snapshots arrive (the run keeps none), on whichever thread delivers them.
//
// The series are the whole cluster's: the mean latency of the requests completed in the
// interval, and the cache hit ratio of the interval's lookups. An interval with nothing in it
// (no completion, no lookup) is NaN. The final snapshot closes a partial interval while the
// queues drain after the last arrival: it is not a sample of the run and is left out.
#include <cstdint>
#include <string_view>
#include <vector>

#include "metrics/snapshot.h"

namespace loadlab {

enum class IntervalMetric { mean_us, hit_ratio };
inline constexpr IntervalMetric kIntervalMetrics[] = {IntervalMetric::mean_us, IntervalMetric::hit_ratio};
// "mean_us", "hit_ratio": the names of run_metrics.h that these series estimate.
std::string_view to_string(IntervalMetric metric);

class IntervalSeries {
 public:
  void add(const Snapshot& s);
  std::size_t size() const { return t_ms_.size(); }
  const std::vector<double>& values(IntervalMetric metric) const;
  // The end of interval i (ms since the start): a truncation of n intervals is a warm-up of
  // end_ms(n − 1).
  std::int64_t end_ms(std::size_t i) const { return t_ms_[i]; }
  double interval_s() const { return interval_s_; }

  // The mean of several runs' series, interval by interval (NaN ones left out): independent
  // replications of the same start, so the noise shrinks by √n and the transient they share
  // stands out (Welch's idea; Hoad, Robinson & Davies 2010 apply MSER-5 to it).
  static IntervalSeries average(const std::vector<IntervalSeries>& runs);

 private:
  std::vector<std::int64_t> t_ms_;
  std::vector<double> mean_us_, hit_ratio_;
  double interval_s_ = 0;
};

}  // namespace loadlab
