#pragma once
// MSER-5 (White 1997; White, Cobb & Spratt 2000): where the initial transient of a run ends,
// from the run's own output series. The series is cut into batches of 5 consecutive
// observations; for every truncation d (in batches) over the first half, the statistic
//   MSER(d) = 1 / (k − d)² · Σ_{j > d} (Z_j − Z̄_d)²      (k batches, Z_j the batch means)
// is the squared half-width of an interval around the mean of what is kept, up to a constant:
// cutting a biased start lowers it, cutting steady data raises it (fewer observations). The
// truncation is the d that minimises it. When the minimum lies at the end of the searched
// half, the series never settled (or is too short): `settled` is false and the caller should
// not trust the figure as a steady state.
#include <cstddef>
#include <span>

namespace loadlab {

inline constexpr std::size_t kMserBatch = 5;
// Fewer batches than this and the statistic is noise: nothing is cut, `settled` is false.
inline constexpr std::size_t kMserMinBatches = 10;

struct MserResult {
  std::size_t observations = 0;  // in the series given (finite ones)
  std::size_t batches = 0;       // k = observations / 5 (a last partial batch is dropped)
  std::size_t truncated = 0;     // observations to cut from the start: 5 · d*
  double statistic = 0;          // MSER(d*); NaN with too few batches
  bool settled = false;          // d* below the end of the first half, and enough batches
};

// Non-finite observations (an interval with no completion) are skipped: `truncated` counts
// finite observations, so map it back with the caller's own index (interval_series.h does).
MserResult mser5(std::span<const double> series);

}  // namespace loadlab
