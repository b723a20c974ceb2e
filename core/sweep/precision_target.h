#pragma once
// What `--precision` asks for (precision_runner.h runs it): the relative half-width, the
// figures it applies to, and the caps.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace loadlab {

// Below 10 replications the standard deviation itself is too uncertain for the stopping rule
// (it stops early whenever s came out small, and the interval undercovers).
inline constexpr std::size_t kPrecisionMinSeeds = 10;
inline constexpr std::size_t kDefaultPrecisionMaxSeeds = 200;

struct PrecisionTarget {
  double precision = 0;              // relative half-width wanted, 0 < P < 1
  std::vector<std::size_t> metrics;  // run_metric_index()es, in the order asked
  std::uint64_t max_requests = 0;    // over all replications; 0: no cap
  std::size_t max_seeds = kDefaultPrecisionMaxSeeds;
};

// From the flags; throws ScenarioError naming the flag and the value (precision outside (0, 1)
// or not a number, an unknown metric, a cap of 0, --max-seeds 1). `metrics` empty: mean_us and
// hit_ratio.
PrecisionTarget parse_precision_target(double precision, const std::optional<std::string>& metrics,
                                       std::optional<std::uint64_t> max_requests, std::optional<std::size_t> max_seeds);
}  // namespace loadlab
