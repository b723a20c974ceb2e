#pragma once
// SHARDS' spatially hashed sampling (Waldspurger, Park, Garthwaite & Ahmad, FAST '15): a
// key is in the sample when hash(key) mod P < T, so every request for a sampled key is
// kept and the rest are dropped — a fixed 1-in-1/R share of the keys, not of the requests.
// A cache of s objects is then modelled by one of s·R objects fed only the sampled requests
// (for LRU exactly SHARDS' scaled reuse distances; for the other policies the "miniature
// simulation" of Waldspurger et al., ATC '17). The miss ratio is the sampled misses over
// the *expected* sampled count R·N rather than the actual one (SHARDS_adj): a hot key's
// luck in being in or out of the sample then moves the hits, where it belongs, instead of
// every ratio.
#include <cstdint>

#include "base/hash.h"

namespace loadlab {

struct TraceBatch;

class SpatialSampler {
 public:
  static constexpr std::uint64_t kModulus = std::uint64_t{1} << 24;
  // rate in (0, 1]; throws std::invalid_argument otherwise.
  explicit SpatialSampler(double rate);
  bool keeps(std::uint64_t key) const { return (mix64(key, kSeed) & (kModulus - 1)) < threshold_; }
  // The rate actually sampled: T / P.
  double rate() const { return static_cast<double>(threshold_) / static_cast<double>(kModulus); }
  // The miniature cache for a cache of `objects`: objects × rate, rounded, at least 1.
  std::size_t scaled(std::size_t objects) const;
  // The sampled requests of `in` into `out` (keys, and next-access times when `in` has them).
  void filter(const TraceBatch& in, TraceBatch& out) const;

 private:
  static constexpr std::uint64_t kSeed = 0x5A4D5ULL;
  std::uint64_t threshold_;
};

}  // namespace loadlab
