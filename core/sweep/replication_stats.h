#pragma once
// What independent replications (one run per seed) say about a figure: its mean and the
// half-width of a 95% confidence interval for the true mean, mean ± t(0.975, n−1) · s / √n,
// with s the sample standard deviation (n − 1 in the denominator) and t Student's quantile.
// The runs of different seeds are independent, so this interval is honest in a way one run's
// per-request figures are not (consecutive latencies are correlated). Issue "precision" uses
// the same statistic to decide when enough seeds have run.
#include <cstddef>
#include <span>

namespace loadlab {

struct ReplicationSummary {
  std::size_t n = 0;  // replications with a finite value (NaN ones are left out)
  double mean = 0;    // NaN when n == 0
  double stddev = 0;  // sample standard deviation; NaN when n < 2
  double ci95 = 0;    // half-width of the 95% interval; NaN when n < 2
};

ReplicationSummary summarize_replications(std::span<const double> values);

// Student's t quantile t(0.975, df): 12.706 for df = 1, 2.776 for df = 4, → 1.960.
double student_t_975(std::size_t degrees_of_freedom);

}  // namespace loadlab
