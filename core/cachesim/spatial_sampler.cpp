#include "cachesim/spatial_sampler.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "cachesim/trace_reader.h"

namespace loadlab {

SpatialSampler::SpatialSampler(double rate) {
  if (!std::isfinite(rate) || rate <= 0 || rate > 1)
    throw std::invalid_argument(fmt::format("a sampling rate must be in (0, 1] (got {})", rate));
  threshold_ = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::llround(rate * kModulus)));
}

std::size_t SpatialSampler::scaled(std::size_t objects) const {
  return std::max<std::size_t>(1, static_cast<std::size_t>(std::llround(static_cast<double>(objects) * rate())));
}

SpatialSampler SpatialSampler::widened(std::size_t objects, std::size_t min_objects) const {
  if (objects == 0 || scaled(objects) >= min_objects) return *this;
  const double wanted = static_cast<double>(min_objects) / static_cast<double>(objects);
  if (wanted >= 1) return SpatialSampler(Threshold{}, kModulus);
  // Rounded up, so the miniature holds at least min_objects.
  const auto t = static_cast<std::uint64_t>(std::ceil(wanted * static_cast<double>(kModulus)));
  return SpatialSampler(Threshold{}, std::clamp(t, threshold_, kModulus));
}

void SpatialSampler::filter(const TraceBatch& in, TraceBatch& out) const {
  out.keys.clear();
  out.sizes.clear();
  out.next.clear();
  const bool next = !in.next.empty();
  for (std::size_t i = 0; i < in.keys.size(); ++i)
    if (keeps(in.keys[i])) {
      out.keys.push_back(in.keys[i]);
      if (next) out.next.push_back(in.next[i]);
    }
}

}  // namespace loadlab
