#include "proxy/integer_weights.h"

#include <algorithm>
#include <cmath>

namespace loadlab {

std::optional<std::vector<std::uint64_t>> exact_integer_weights(std::span<const double> weights,
                                                                std::uint64_t max_weight) {
  const double largest = weights.empty() ? 0 : *std::max_element(weights.begin(), weights.end());
  if (largest <= 0) return std::vector<std::uint64_t>(weights.size(), 0);
  // Whole weights within the limit stay as they are, so an imported 10/20 exports as 10/20.
  if (largest <= static_cast<double>(max_weight) &&
      std::all_of(weights.begin(), weights.end(), [](double w) { return w == std::floor(w); })) {
    std::vector<std::uint64_t> out;
    for (double w : weights) out.push_back(static_cast<std::uint64_t>(w));
    return out;
  }
  // Scale so the smallest positive weight is 1, then look for the first multiple of that
  // scale that makes every weight whole: 5/3/1 needs 1, 0.5/1.5 needs 2, 1/3 of 1 needs 3.
  double smallest = largest;
  for (double w : weights)
    if (w > 0) smallest = std::min(smallest, w);
  for (std::uint64_t m = 1; static_cast<double>(m) * largest / smallest <= static_cast<double>(max_weight) + 1e-9;
       ++m) {
    const double scale = static_cast<double>(m) / smallest;
    std::vector<std::uint64_t> out;
    out.reserve(weights.size());
    bool whole = true;
    for (double w : weights) {
      const double scaled = w * scale;
      const double rounded = std::round(scaled);
      if (std::abs(scaled - rounded) > 1e-9 * std::max(1.0, scaled)) {
        whole = false;
        break;
      }
      out.push_back(static_cast<std::uint64_t>(rounded));
    }
    if (whole) return out;
    if (m > 100'000) break;  // weights like 1/pi: no factor will do
  }
  return std::nullopt;
}

std::vector<std::uint64_t> rounded_integer_weights(std::span<const double> weights, std::uint64_t max_weight) {
  const double largest = weights.empty() ? 0 : *std::max_element(weights.begin(), weights.end());
  std::vector<std::uint64_t> out;
  out.reserve(weights.size());
  const double top = static_cast<double>(std::min<std::uint64_t>(max_weight, 1000));
  for (double w : weights) {
    if (w <= 0 || largest <= 0) {
      out.push_back(0);
      continue;
    }
    out.push_back(std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::llround(w / largest * top))));
  }
  return out;
}

double share_error(std::span<const double> weights, std::span<const std::uint64_t> integers) {
  double sum_w = 0, sum_i = 0;
  for (double w : weights) sum_w += w;
  for (auto i : integers) sum_i += static_cast<double>(i);
  if (sum_w <= 0 || sum_i <= 0) return 0;
  double worst = 0;
  for (std::size_t k = 0; k < weights.size() && k < integers.size(); ++k) {
    const double want = weights[k] / sum_w;
    const double got = static_cast<double>(integers[k]) / sum_i;
    if (want > 0) worst = std::max(worst, std::abs(got - want) / want);
  }
  return worst;
}

}  // namespace loadlab
