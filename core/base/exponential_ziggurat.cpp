#include "base/exponential_ziggurat.h"

namespace loadlab {

ExponentialZiggurat::Tables ExponentialZiggurat::build() {
  Tables built;
  built.x[0] = kArea / std::exp(-kR);  // the base strip as a rectangle of the same area
  built.x[1] = kR;
  for (int i = 1; i < kLayers; ++i) built.x[i + 1] = -std::log(std::exp(-built.x[i]) + kArea / built.x[i]);
  built.x[kLayers] = 0;  // the recurrence lands within 1e-14 of 0; the top strip ends at the axis
  for (int i = 0; i <= kLayers; ++i) built.f[i] = std::exp(-built.x[i]);
  return built;
}

}  // namespace loadlab
