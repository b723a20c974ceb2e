#pragma once
// The batch-means interval (Law & Kelton, ch. 9): within one long run, consecutive
// observations are correlated, so their own standard error is too small; means of long
// consecutive batches are nearly independent, and Student's interval over them is close to
// honest once the batches are much longer than the correlation. With a fixed number of
// batches (20, as Schmeiser 1982 recommends between 10 and 30) the batches grow with the run.
// This is what one live run can say about itself (the window's ±); `--precision` uses
// independent replications instead (README, "How sure is a figure?").
#include <cstddef>
#include <span>

namespace loadlab {

inline constexpr std::size_t kBatchMeansBatches = 20;
// Each batch at least this many observations, or there is no interval (NaN).
inline constexpr std::size_t kBatchMeansMinBatchSize = 5;

struct BatchMeansInterval {
  std::size_t batches = 0, batch_size = 0;
  double mean = 0;  // of the batches used; NaN without an interval
  double ci95 = 0;  // half-width; NaN without an interval
};

// Non-finite observations are skipped; a remainder that does not fill a batch is left out
// at the start (the end of the series is the most settled part).
BatchMeansInterval batch_means(std::span<const double> series, std::size_t batches = kBatchMeansBatches);

}  // namespace loadlab
