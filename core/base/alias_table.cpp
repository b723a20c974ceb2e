#include "base/alias_table.h"

namespace loadlab {

void AliasTable::build(std::span<const double> weights) {
  probability_.clear();
  alias_.clear();
  double total = 0;
  for (double w : weights) total += w > 0 ? w : 0.0;
  if (total <= 0) return;
  const std::size_t n = weights.size();
  probability_.resize(n);
  alias_.resize(n);
  // Scaled so the average slot holds exactly 1; "small" slots (< 1) are topped up by a
  // "large" one, which becomes their alias.
  std::vector<double> scaled(n);
  std::vector<std::uint32_t> small, large;
  for (std::size_t i = 0; i < n; ++i) {
    scaled[i] = (weights[i] > 0 ? weights[i] : 0.0) * static_cast<double>(n) / total;
    (scaled[i] < 1.0 ? small : large).push_back(static_cast<std::uint32_t>(i));
  }
  while (!small.empty() && !large.empty()) {
    const std::uint32_t s = small.back(), l = large.back();
    small.pop_back();
    probability_[s] = scaled[s];
    alias_[s] = l;
    scaled[l] = (scaled[l] + scaled[s]) - 1.0;
    if (scaled[l] < 1.0) {
      large.pop_back();
      small.push_back(l);
    }
  }
  // What remains holds 1 up to rounding. A zero-weight slot can only be left here through
  // rounding; point it at a slot that may be drawn so a zero weight is never chosen.
  for (std::uint32_t l : large) probability_[l] = 1.0, alias_[l] = l;
  for (std::uint32_t s : small) probability_[s] = 1.0, alias_[s] = s;
  for (std::size_t i = 0; i < n; ++i) {
    if (weights[i] > 0) continue;
    probability_[i] = 0.0;
    if (!(weights[alias_[i]] > 0)) {
      for (std::size_t j = 0; j < n; ++j)
        if (weights[j] > 0) alias_[i] = static_cast<std::uint32_t>(j);
    }
  }
}

}  // namespace loadlab
