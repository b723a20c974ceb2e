#include "workload/key_distribution.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace loadlab {
namespace {

// log1p(x)/x and expm1(x)/x, continuous at 0 where the plain quotients lose precision.
double log1p_over_x(double x) {
  return std::abs(x) > 1e-8 ? std::log1p(x) / x : 1.0 - x * (0.5 - x * (1.0 / 3.0 - 0.25 * x));
}
double expm1_over_x(double x) {
  return std::abs(x) > 1e-8 ? std::expm1(x) / x : 1.0 + x * 0.5 * (1.0 + x / 3.0 * (1.0 + 0.25 * x));
}

}  // namespace

std::string to_string(KeyPopularity::Kind kind) {
  switch (kind) {
    case KeyPopularity::Kind::uniform:
      return "uniform";
    case KeyPopularity::Kind::zipf:
      return "zipf";
    case KeyPopularity::Kind::hotspot:
      return "hotspot";
  }
  return "?";
}

KeyDistribution::KeyDistribution(const KeyPopularity& popularity) : p_(popularity) {
  if (p_.kind == KeyPopularity::Kind::zipf) {
    const double n = static_cast<double>(p_.keys);
    h_integral_x1_ = big_h(1.5) - 1.0;
    h_integral_n_ = big_h(n + 0.5);
    s_ = 2.0 - big_h_inverse(big_h(2.5) - h(2.0));
    // Normaliser for probability(); exact sum for moderate K, Euler–Maclaurin tail beyond.
    const std::uint64_t exact = std::min<std::uint64_t>(p_.keys, 1'000'000);
    for (std::uint64_t k = 1; k <= exact; ++k) zipf_norm_ += h(static_cast<double>(k));
    if (exact < p_.keys) zipf_norm_ += big_h(n + 0.5) - big_h(static_cast<double>(exact) + 0.5);
    if (p_.keys <= kZipfTableKeys) {
      std::vector<double> weights(p_.keys);
      for (std::uint64_t k = 0; k < p_.keys; ++k) weights[k] = h(static_cast<double>(k + 1));
      auto table = std::make_shared<AliasTable>();
      table->build(weights);
      zipf_table_ = std::move(table);
    }
  } else if (p_.kind == KeyPopularity::Kind::hotspot) {
    hot_count_ = std::clamp<std::uint64_t>(
        static_cast<std::uint64_t>(std::llround(p_.hot_fraction * static_cast<double>(p_.keys))), 1, p_.keys);
  }
}

double KeyDistribution::h(double x) const { return std::exp(-p_.zipf_s * std::log(x)); }

double KeyDistribution::big_h(double x) const {
  const double lx = std::log(x);
  return expm1_over_x((1.0 - p_.zipf_s) * lx) * lx;
}

double KeyDistribution::big_h_inverse(double x) const {
  double t = x * (1.0 - p_.zipf_s);
  if (t < -1.0) t = -1.0;  // guards against rounding just past the domain
  return std::exp(log1p_over_x(t) * x);
}

std::uint64_t KeyDistribution::next_zipf(Rng& rng) const {
  if (zipf_table_) return zipf_table_->draw(rng);
  const double n = static_cast<double>(p_.keys);
  while (true) {
    const double u = h_integral_n_ + rng.uniform() * (h_integral_x1_ - h_integral_n_);
    const double x = big_h_inverse(u);
    double k = std::floor(x + 0.5);
    k = std::clamp(k, 1.0, n);
    if (k - x <= s_ || u >= big_h(k + 0.5) - h(k)) return static_cast<std::uint64_t>(k) - 1;
  }
}

std::uint64_t KeyDistribution::next(Rng& rng) const {
  switch (p_.kind) {
    case KeyPopularity::Kind::uniform:
      return rng.below(p_.keys);
    case KeyPopularity::Kind::zipf:
      return next_zipf(rng);
    case KeyPopularity::Kind::hotspot:
      if (hot_count_ == p_.keys || rng.uniform() < p_.hot_share) return rng.below(hot_count_);
      return hot_count_ + rng.below(p_.keys - hot_count_);
  }
  return 0;
}

double KeyDistribution::probability(std::uint64_t key) const {
  if (key >= p_.keys) return 0.0;
  switch (p_.kind) {
    case KeyPopularity::Kind::uniform:
      return 1.0 / static_cast<double>(p_.keys);
    case KeyPopularity::Kind::zipf:
      return h(static_cast<double>(key + 1)) / zipf_norm_;
    case KeyPopularity::Kind::hotspot:
      if (hot_count_ == p_.keys) return 1.0 / static_cast<double>(p_.keys);
      return key < hot_count_ ? p_.hot_share / static_cast<double>(hot_count_)
                              : (1.0 - p_.hot_share) / static_cast<double>(p_.keys - hot_count_);
  }
  return 0.0;
}

}  // namespace loadlab
