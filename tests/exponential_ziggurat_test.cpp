// The ziggurat must be the exponential distribution, not an approximation of it: every draw
// of a service time and a Poisson gap on both clocks comes from it.
#include "base/exponential_ziggurat.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "base/random.h"

namespace loadlab {
namespace {

constexpr std::size_t kDraws = 2'000'000;

std::vector<double> draws(std::uint64_t seed) {
  Rng rng(seed);
  std::vector<double> out(kDraws);
  for (double& x : out) x = ExponentialZiggurat::draw(rng);
  return out;
}

TEST(ExponentialZiggurat, MeanAndVarianceAreOne) {
  const std::vector<double> x = draws(1);
  double sum = 0, squares = 0;
  for (double v : x) sum += v, squares += v * v;
  const double mean = sum / kDraws, variance = squares / kDraws - mean * mean;
  // Standard errors: 1/sqrt(n) = 0.0007 for the mean, sqrt(8/n) = 0.002 for the variance; 5 of each.
  EXPECT_NEAR(mean, 1.0, 0.0035);
  EXPECT_NEAR(variance, 1.0, 0.01);
  EXPECT_GE(*std::min_element(x.begin(), x.end()), 0.0);
}

TEST(ExponentialZiggurat, TailProbabilitiesIncludingBeyondTheBaseStrip) {
  const std::vector<double> x = draws(2);
  // 7.5 is inside the base rectangle, 7.8 and 10 only reachable through the tail draw.
  for (double t : {0.01, 0.1, 0.5, 1.0, 2.0, 4.0, 7.5, 7.8, 10.0}) {
    const double p = std::exp(-t);
    const auto above = static_cast<double>(std::count_if(x.begin(), x.end(), [t](double v) { return v > t; }));
    const double sigma = std::sqrt(p * (1 - p) / kDraws);
    EXPECT_NEAR(above / kDraws, p, 5 * sigma + 1e-6) << "P(X > " << t << ")";
  }
}

TEST(ExponentialZiggurat, KolmogorovSmirnovAndChiSquare) {
  std::vector<double> x = draws(3);
  std::sort(x.begin(), x.end());
  double d = 0;
  for (std::size_t i = 0; i < kDraws; ++i) {
    const double cdf = -std::expm1(-x[i]);
    d = std::max({d, cdf - static_cast<double>(i) / kDraws, static_cast<double>(i + 1) / kDraws - cdf});
  }
  EXPECT_LT(d, 1.95 / std::sqrt(static_cast<double>(kDraws)));  // p = 0.001
  // 256 equiprobable bins, one per strip and then some: a wrong strip would stand out.
  constexpr int kBins = 256;
  std::vector<double> counts(kBins, 0);
  for (double v : x) counts[std::min(kBins - 1, static_cast<int>(-std::expm1(-v) * kBins))] += 1;
  double chi2 = 0;
  const double expected = static_cast<double>(kDraws) / kBins;
  for (double c : counts) chi2 += (c - expected) * (c - expected) / expected;
  EXPECT_LT(chi2, 330.5);  // chi-square with 255 degrees of freedom, p = 0.001
}

TEST(ExponentialZiggurat, SameSeedSameDrawsAndRngUsesIt) {
  EXPECT_EQ(draws(7), draws(7));
  Rng a(9), b(9);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(a.exponential(250.0), 250.0 * ExponentialZiggurat::draw(b)) << i;
}

}  // namespace
}  // namespace loadlab
