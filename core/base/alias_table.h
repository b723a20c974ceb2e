#pragma once
// Walker's alias method (Vose's stable construction): draws index i with probability
// w_i / Σw in O(1) — one uniform slot and one biased coin — after an O(n) build. Used where
// a weighted draw sits on the pick path and a binary search over cumulative weights would
// cost a branch misprediction per level.
#include <cstdint>
#include <span>
#include <vector>

#include "base/random.h"

namespace loadlab {

class AliasTable {
 public:
  // Weights must be finite and >= 0; zero weights are never drawn. Empty (or all zero)
  // leaves the table empty.
  void build(std::span<const double> weights);
  bool empty() const { return probability_.empty(); }
  std::size_t draw(Rng& rng) const {
    const std::size_t slot = rng.below(probability_.size());
    const std::size_t alias = alias_[slot];
    // The coin is random, so a branch on it would be mispredicted half the time: select
    // with a mask instead (the same result as `keep ? slot : alias`).
    const auto keep = static_cast<std::size_t>(rng.uniform() < probability_[slot]);
    return alias ^ ((slot ^ alias) & (0 - keep));
  }

 private:
  std::vector<double> probability_;   // chance of keeping the slot's own index
  std::vector<std::uint32_t> alias_;  // index taken otherwise
};

}  // namespace loadlab
