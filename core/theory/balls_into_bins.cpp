#include "theory/balls_into_bins.h"

#include <cmath>
#include <limits>

namespace loadlab {

double max_load_one_choice(std::size_t n) {
  if (n < 3) return std::numeric_limits<double>::quiet_NaN();
  const double ln_n = std::log(static_cast<double>(n));
  return ln_n / std::log(ln_n);
}

double max_load_d_choices(std::size_t n, unsigned d) {
  if (n < 3 || d < 2) return std::numeric_limits<double>::quiet_NaN();
  return std::log(std::log(static_cast<double>(n))) / std::log(static_cast<double>(d));
}

}  // namespace loadlab
