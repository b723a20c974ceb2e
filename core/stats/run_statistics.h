#pragma once
// What a run's interval series says about itself: where its warm-up ends (MSER-5 on each
// series, the latest of them) and, after that point, how precise each series' mean is
// (batch means). For the CLI's `--warmup auto`, and for the window, which can call it on the
// IntervalSeries it folds from a running virtual-clock Run's snapshots to show a ± beside a
// figure and a "settled" mark:
//
//   IntervalSeries series;                          // run->subscribe([&](auto& s){ series.add(s); })
//   const RunStatistics st = run_statistics(series);  // cheap: O(intervals)
//   st.settled, st.warmup_s, st.of(IntervalMetric::mean_us).interval.ci95
#include <cstddef>
#include <vector>

#include "stats/batch_means.h"
#include "stats/interval_series.h"
#include "stats/mser.h"

namespace loadlab {

struct SeriesStatistics {
  IntervalMetric metric = IntervalMetric::mean_us;
  bool has_data = false;          // any finite observation (no cache: hit_ratio has none)
  MserResult mser;                // on this series alone
  std::size_t cut_intervals = 0;  // MSER's truncation, in intervals of the run (NaN ones counted)
  BatchMeansInterval interval;    // batch means of what is left after the run's truncation
};

struct RunStatistics {
  std::size_t intervals = 0;
  std::size_t cut_intervals = 0;         // the latest truncation over the series that have data
  double warmup_s = 0;                   // the end of the last cut interval; 0 when nothing is cut
  bool settled = false;                  // every series with data settled (mser.h)
  std::vector<SeriesStatistics> series;  // one per IntervalMetric, in kIntervalMetrics order
  const SeriesStatistics& of(IntervalMetric metric) const;
};

RunStatistics run_statistics(const IntervalSeries& series);

}  // namespace loadlab
