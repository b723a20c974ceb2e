#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "workload/key_distribution.h"

namespace loadlab {
namespace {

std::vector<double> frequencies(const KeyDistribution& d, std::size_t keys, int samples, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<double> f(keys, 0);
  for (int i = 0; i < samples; ++i) {
    const std::uint64_t k = d.next(rng);
    EXPECT_LT(k, keys);
    f[k] += 1.0 / samples;
  }
  return f;
}

// Each frequency within 6 binomial standard deviations of its probability.
void expect_matches(const KeyDistribution& d, const std::vector<double>& f, int samples) {
  for (std::size_t k = 0; k < f.size(); ++k) {
    const double p = d.probability(k);
    const double sigma = std::sqrt(p * (1 - p) / samples);
    ASSERT_NEAR(f[k], p, 6 * sigma + 1e-9) << "key " << k;
  }
}

TEST(KeyDistribution, ZipfMatchesTheoreticalFrequencies) {
  for (double s : {0.0, 0.6, 1.0, 1.4}) {
    KeyPopularity p{KeyPopularity::Kind::zipf, 200, s};
    const KeyDistribution d(p);
    double total = 0;
    for (std::uint64_t k = 0; k < 200; ++k) total += d.probability(k);
    EXPECT_NEAR(total, 1.0, 1e-9);
    const auto f = frequencies(d, 200, 400'000, 17);
    expect_matches(d, f, 400'000);
  }
}

TEST(KeyDistribution, ZipfOverABillionKeysNeedsNoTable) {
  KeyPopularity p{KeyPopularity::Kind::zipf, 1'000'000'000, 1.0};
  const KeyDistribution d(p);
  Rng rng(1);
  std::uint64_t rank0 = 0;
  for (int i = 0; i < 100'000; ++i) rank0 += d.next(rng) == 0;
  // P(rank 1) = 1 / H_{1e9} ≈ 1 / 21.3
  EXPECT_NEAR(static_cast<double>(rank0) / 100'000, d.probability(0), 0.004);
  EXPECT_NEAR(d.probability(0), 1.0 / 21.3, 0.002);
}

TEST(KeyDistribution, UniformAndHotspot) {
  const KeyDistribution u(KeyPopularity{KeyPopularity::Kind::uniform, 50});
  expect_matches(u, frequencies(u, 50, 200'000, 2), 200'000);
  KeyPopularity hp{KeyPopularity::Kind::hotspot, 100};
  hp.hot_fraction = 0.05;
  hp.hot_share = 0.8;
  const KeyDistribution h(hp);
  const auto f = frequencies(h, 100, 200'000, 3);
  expect_matches(h, f, 200'000);
  double hot = 0;
  for (int k = 0; k < 5; ++k) hot += f[k];
  EXPECT_NEAR(hot, 0.8, 0.006);
}

TEST(KeyDistribution, SameSeedSameKeys) {
  const KeyDistribution d(KeyPopularity{KeyPopularity::Kind::zipf, 1000, 1.1});
  Rng a(99), b(99);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(d.next(a), d.next(b));
}

}  // namespace
}  // namespace loadlab
