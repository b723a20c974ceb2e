#include "metrics/imbalance.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace loadlab {

Imbalance imbalance(std::span<const double> loads) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  double sum = 0, sum_sq = 0, max = 0;
  for (double x : loads) {
    sum += x;
    sum_sq += x * x;
    max = std::max(max, x);
  }
  if (loads.empty() || sum <= 0) return {kNaN, kNaN, kNaN};
  const auto n = static_cast<double>(loads.size());
  const double mean = sum / n;
  const double variance = std::max(0.0, sum_sq / n - mean * mean);
  return {max / mean, std::sqrt(variance) / mean, sum * sum / (n * sum_sq)};
}

}  // namespace loadlab
