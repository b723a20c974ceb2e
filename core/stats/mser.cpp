#include "stats/mser.h"

#include <cmath>
#include <limits>
#include <vector>

namespace loadlab {

MserResult mser5(std::span<const double> series) {
  MserResult r;
  std::vector<double> z;  // batch means
  double sum = 0;
  std::size_t in_batch = 0;
  for (double x : series) {
    if (!std::isfinite(x)) continue;
    ++r.observations;
    sum += x;
    if (++in_batch == kMserBatch) {
      z.push_back(sum / static_cast<double>(kMserBatch));
      sum = 0, in_batch = 0;
    }
  }
  const std::size_t k = z.size();
  r.batches = k;
  r.statistic = std::numeric_limits<double>::quiet_NaN();
  if (k < kMserMinBatches) return r;
  // Suffix sums from the end, so each d costs O(1): Σ(Z − Z̄)² = Σ Z² − (Σ Z)² / m, computed
  // around the overall mean to keep the cancellation small (latencies of 10^5 µs).
  double centre = 0;
  for (double v : z) centre += v;
  centre /= static_cast<double>(k);
  std::vector<double> s1(k + 1, 0.0), s2(k + 1, 0.0);
  for (std::size_t j = k; j-- > 0;) {
    const double v = z[j] - centre;
    s1[j] = s1[j + 1] + v;
    s2[j] = s2[j + 1] + v * v;
  }
  const std::size_t last = k / 2;  // the first half
  std::size_t best = 0;
  double best_value = std::numeric_limits<double>::infinity();
  for (std::size_t d = 0; d <= last; ++d) {
    const double m = static_cast<double>(k - d);
    const double squares = std::max(0.0, s2[d] - s1[d] * s1[d] / m);
    const double value = squares / (m * m);
    if (value < best_value) best_value = value, best = d;
  }
  r.truncated = best * kMserBatch;
  r.statistic = best_value;
  r.settled = best < last;
  return r;
}

}  // namespace loadlab
