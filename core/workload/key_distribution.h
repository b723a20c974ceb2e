#pragma once
// Key popularity: which key each request asks for. Keys are 0..K-1 and key 0 is the most
// popular, so charts and the Che approximation can use the key as its popularity rank.
#include <cstdint>
#include <memory>
#include <string>

#include "base/alias_table.h"
#include "base/random.h"

namespace loadlab {

struct KeyPopularity {
  enum class Kind { uniform, zipf, hotspot };
  Kind kind = Kind::uniform;
  std::uint64_t keys = 1000;
  double zipf_s = 1.0;        // Zipf exponent, P(rank k) ∝ k^-s
  double hot_fraction = 0.1;  // hotspot: this fraction of the keys ...
  double hot_share = 0.9;     // ... receives this fraction of the requests
};

std::string to_string(KeyPopularity::Kind kind);

class KeyDistribution {
 public:
  explicit KeyDistribution(const KeyPopularity& popularity);
  std::uint64_t next(Rng& rng) const;
  // Probability of key k under this distribution (exact, for theory and tests).
  double probability(std::uint64_t key) const;
  const KeyPopularity& popularity() const { return p_; }

 private:
  // Up to this many keys, Zipf draws come from an alias table (12 bytes a key, within L2):
  // one slot and one coin, about a sixth of rejection-inversion's exp and log1p.
  static constexpr std::uint64_t kZipfTableKeys = 1 << 16;

  // Zipf by rejection-inversion (Hörmann & Derflinger, 1996) beyond that: O(1) per draw and
  // no table, so a billion keys cost no memory and no set-up time.
  double h(double x) const;
  double big_h(double x) const;
  double big_h_inverse(double x) const;
  std::uint64_t next_zipf(Rng& rng) const;

  KeyPopularity p_;
  std::shared_ptr<const AliasTable> zipf_table_;  // shared: copies of a distribution draw alike
  std::uint64_t hot_count_ = 0;
  double h_integral_x1_ = 0, h_integral_n_ = 0, s_ = 0, zipf_norm_ = 0;
};

}  // namespace loadlab
