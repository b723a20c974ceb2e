#include "balancers/min_tree.h"

#include <algorithm>
#include <bit>

namespace loadlab {

void MinTree::assign(std::span<const double> values) {
  size_ = values.size();
  leaves_ = std::bit_ceil(std::max<std::size_t>(size_, 1));
  v_.assign(2 * leaves_, std::numeric_limits<double>::infinity());
  std::copy(values.begin(), values.end(), v_.begin() + static_cast<std::ptrdiff_t>(leaves_));
  for (std::size_t p = leaves_ - 1; p >= 1; --p) v_[p] = v_[2 * p + 1] < v_[2 * p] ? v_[2 * p + 1] : v_[2 * p];
}

}  // namespace loadlab
