#include "theory.h"

#include <limits>

namespace loadlab {

std::vector<double> expected_shares(ShareModel model, std::span<const double> weights) {
  std::vector<double> shares(weights.size(), std::numeric_limits<double>::quiet_NaN());
  if (model == ShareModel::other) return shares;
  double total = 0;
  std::size_t eligible = 0;
  for (double w : weights) {
    if (w > 0) {
      total += w;
      ++eligible;
    }
  }
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (eligible == 0 || weights[i] <= 0) shares[i] = 0;
    else shares[i] = model == ShareModel::weighted ? weights[i] / total : 1.0 / static_cast<double>(eligible);
  }
  return shares;
}

}  // namespace loadlab
