#include "sweep/replication_stats.h"

#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>

namespace loadlab {

double student_t_975(std::size_t degrees_of_freedom) {
  if (degrees_of_freedom == 0) return std::numeric_limits<double>::quiet_NaN();
  const boost::math::students_t t(static_cast<double>(degrees_of_freedom));
  return boost::math::quantile(t, 0.975);
}

ReplicationSummary summarize_replications(std::span<const double> values) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  ReplicationSummary r;
  double sum = 0;
  bool all_equal = true;
  double first = kNaN;
  for (double v : values)
    if (std::isfinite(v)) {
      if (r.n == 0) first = v;
      all_equal = all_equal && v == first;
      sum += v, ++r.n;
    }
  if (r.n == 0) return {0, kNaN, kNaN, kNaN};
  // Equal values (a theory figure, a deterministic balancer's share) have no spread: say 0
  // exactly rather than the rounding noise of their sum.
  r.mean = all_equal ? first : sum / static_cast<double>(r.n);
  if (all_equal && r.n >= 2) return {r.n, r.mean, 0.0, 0.0};
  if (r.n < 2) {
    r.stddev = r.ci95 = kNaN;
    return r;
  }
  // Two passes: the deviations from the mean, not Σx² − n·mean², which cancels badly for
  // figures like a p99 of 48,000 µs that vary by a few µs between seeds.
  double squares = 0;
  for (double v : values)
    if (std::isfinite(v)) squares += (v - r.mean) * (v - r.mean);
  r.stddev = std::sqrt(squares / static_cast<double>(r.n - 1));
  r.ci95 = student_t_975(r.n - 1) * r.stddev / std::sqrt(static_cast<double>(r.n));
  return r;
}

}  // namespace loadlab
