#include "stats/interval_series.h"

#include <cmath>
#include <limits>

namespace loadlab {

std::string_view to_string(IntervalMetric metric) {
  return metric == IntervalMetric::mean_us ? "mean_us" : "hit_ratio";
}

void IntervalSeries::add(const Snapshot& s) {
  if (s.final) return;
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  std::uint64_t hits = 0, lookups = 0;
  for (const NodeSample& n : s.nodes) hits += n.interval_hits, lookups += n.interval_hits + n.interval_misses;
  t_ms_.push_back(s.t_ms);
  mean_us_.push_back(s.mean_us);  // NaN already when nothing completed
  hit_ratio_.push_back(lookups > 0 ? static_cast<double>(hits) / static_cast<double>(lookups) : kNaN);
  if (interval_s_ == 0) interval_s_ = s.interval_s;
}

IntervalSeries IntervalSeries::average(const std::vector<IntervalSeries>& runs) {
  IntervalSeries out;
  for (const IntervalSeries& r : runs)
    if (r.size() > out.size()) out.t_ms_ = r.t_ms_, out.interval_s_ = r.interval_s_;
  const std::size_t n = out.size();
  for (std::vector<double> IntervalSeries::*member : {&IntervalSeries::mean_us_, &IntervalSeries::hit_ratio_}) {
    std::vector<double> sum(n, 0.0), count(n, 0.0);
    for (const IntervalSeries& r : runs)
      for (std::size_t i = 0; i < (r.*member).size(); ++i)
        if (std::isfinite((r.*member)[i])) sum[i] += (r.*member)[i], count[i] += 1;
    std::vector<double>& values = out.*member;
    values.resize(n);
    for (std::size_t i = 0; i < n; ++i)
      values[i] = count[i] > 0 ? sum[i] / count[i] : std::numeric_limits<double>::quiet_NaN();
  }
  return out;
}

const std::vector<double>& IntervalSeries::values(IntervalMetric metric) const {
  return metric == IntervalMetric::mean_us ? mean_us_ : hit_ratio_;
}

}  // namespace loadlab
