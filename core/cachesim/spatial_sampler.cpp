#include "cachesim/spatial_sampler.h"

#include <fmt/format.h>

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
