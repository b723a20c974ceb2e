#include "stats/batch_means.h"

#include <cmath>
#include <limits>
#include <vector>

#include "sweep/replication_stats.h"

namespace loadlab {

BatchMeansInterval batch_means(std::span<const double> series, std::size_t batches) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> x;
  for (double v : series)
    if (std::isfinite(v)) x.push_back(v);
  BatchMeansInterval r{0, 0, kNaN, kNaN};
  if (batches < 2 || x.size() < batches * kBatchMeansMinBatchSize) return r;
  const std::size_t size = x.size() / batches;
  const std::size_t skip = x.size() - size * batches;
  std::vector<double> means(batches, 0.0);
  for (std::size_t b = 0; b < batches; ++b) {
    double sum = 0;
    for (std::size_t i = 0; i < size; ++i) sum += x[skip + b * size + i];
    means[b] = sum / static_cast<double>(size);
  }
  const ReplicationSummary s = summarize_replications(means);
  return {batches, size, s.mean, s.ci95};
}

}  // namespace loadlab
