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
//
// A miniature of a few hundred objects is too coarse a model of its cache, whatever the
// adjustment: at 1% the curve is within 0.01 of the exact one where the miniature holds
// 1,000 objects or more, but 0.02 off at 100-200. So a size can be simulated at a higher rate
// than the others (widened()): the threshold rule nests — a key kept at rate R is kept at
// every rate above R — so the sample of every rate comes from the same pass, each size's
// miniature holding at least a minimum of objects, the large sizes still at the rate asked.
#include <cstddef>
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
  // The sampler for a cache of `objects` whose miniature must hold at least `min_objects`:
  // this one when it does, else one at the rate min_objects / objects (at most 1), whose
  // sample holds every key of this one's.
  SpatialSampler widened(std::size_t objects, std::size_t min_objects) const;
  bool exact() const { return threshold_ >= kModulus; }
  std::uint64_t threshold() const { return threshold_; }

 private:
  struct Threshold {};
  SpatialSampler(Threshold, std::uint64_t threshold) : threshold_(threshold) {}
  static constexpr std::uint64_t kSeed = 0x5A4D5ULL;
  std::uint64_t threshold_;
};

}  // namespace loadlab
