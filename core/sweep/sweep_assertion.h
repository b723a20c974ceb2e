#pragma once
// A threshold a run or a sweep must meet, written `METRIC OP NUMBER` ('p99_us<50000',
// 'availability>=0.999'; OP one of < <= > >= == !=), with the metric names of run_metrics.h.
// `loadlab-cli run` checks it on the run's figures, `sweep` on every point's mean; a figure
// that does not exist (no cache for hit_ratio) fails it.
#include <optional>
#include <string>

#include "sweep/run_metrics.h"

namespace loadlab {

struct MetricAssertion {
  std::string text;  // as given
  std::size_t metric = 0;
  enum class Op { less, less_equal, greater, greater_equal, equal, not_equal } op = Op::less;
  double threshold = 0;

  bool holds(double value) const;
};

// Throws ScenarioError naming --assert for an unknown metric, operator or number.
MetricAssertion parse_assertion(const std::string& text);

}  // namespace loadlab
