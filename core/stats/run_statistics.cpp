#include "stats/run_statistics.h"

#include <algorithm>
#include <cmath>
#include <span>

namespace loadlab {

const SeriesStatistics& RunStatistics::of(IntervalMetric metric) const {
  return series[static_cast<std::size_t>(metric)];
}

RunStatistics run_statistics(const IntervalSeries& input) {
  RunStatistics r;
  r.intervals = input.size();
  bool all_settled = true, any = false;
  for (IntervalMetric metric : kIntervalMetrics) {
    SeriesStatistics s;
    s.metric = metric;
    const std::vector<double>& v = input.values(metric);
    s.mser = mser5(v);
    s.has_data = s.mser.observations > 0;
    // MSER counts finite observations: the cut ends just before the first one it keeps.
    std::size_t finite = 0, i = 0;
    for (; i < v.size() && finite < s.mser.truncated; ++i)
      if (std::isfinite(v[i])) ++finite;
    s.cut_intervals = i;
    if (s.has_data) {
      any = true;
      all_settled = all_settled && s.mser.settled;
      r.cut_intervals = std::max(r.cut_intervals, s.cut_intervals);
    }
    r.series.push_back(s);
  }
  r.settled = any && all_settled;
  r.warmup_s = r.cut_intervals > 0 ? static_cast<double>(input.end_ms(r.cut_intervals - 1)) / 1000.0 : 0.0;
  for (SeriesStatistics& s : r.series) {
    const std::vector<double>& v = input.values(s.metric);
    s.interval = batch_means(std::span<const double>(v).subspan(std::min(r.cut_intervals, v.size())));
  }
  return r;
}

}  // namespace loadlab
