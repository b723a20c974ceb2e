// Deterministic policies: exact sequences. Randomized ones: shares within stated tolerances
// at fixed seeds (tolerances are >= 6 standard deviations of the binomial share).
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "balancers/balancer_registry.h"

namespace loadlab {
namespace {

std::string picks(Balancer& b, int count) {
  std::string out;
  for (int i = 0; i < count; ++i) {
    const std::size_t n = b.pick({});
    out += n == kNoNode ? '-' : static_cast<char>('a' + n);
  }
  return out;
}

std::vector<double> shares(Balancer& b, std::size_t nodes, int count) {
  std::vector<double> hits(nodes, 0);
  for (int i = 0; i < count; ++i) hits[b.pick({})] += 1;
  for (double& h : hits) h /= count;
  return hits;
}

std::unique_ptr<Balancer> make(const char* name, std::vector<double> weights, std::uint64_t seed = 42) {
  auto b = balancers().make(name, BalancerOptions{seed, {}});
  b->set_weights(weights);
  return b;
}

TEST(RoundRobin, CyclesInIndexOrder) {
  auto b = make("round-robin", {1, 1, 1});
  EXPECT_EQ(picks(*b, 7), "abcabca");
}

TEST(RoundRobin, IgnoresWeightSizeButZeroRemovesNode) {
  auto b = make("round-robin", {5, 0, 1});
  EXPECT_EQ(picks(*b, 6), "acacac");
}

TEST(RoundRobin, WeightChangeContinuesRotation) {
  auto b = make("round-robin", {1, 1, 1, 1});
  EXPECT_EQ(picks(*b, 2), "ab");
  b->set_weights(std::vector<double>{1, 1, 0, 1});  // c leaves: next after b is d
  EXPECT_EQ(picks(*b, 4), "dabd");
}

TEST(SmoothWeightedRoundRobin, NginxSequenceFor511) {
  auto b = make("weighted-round-robin", {5, 1, 1});
  EXPECT_EQ(picks(*b, 14), "aabacaaaabacaa");
}

TEST(SmoothWeightedRoundRobin, ExactCountsPerCycle) {
  auto b = make("weighted-round-robin", {5, 3, 1});
  EXPECT_EQ(picks(*b, 9), "abacababa");
  std::map<char, int> counts;
  for (char c : picks(*b, 900)) ++counts[c];
  EXPECT_EQ(counts['a'], 500);
  EXPECT_EQ(counts['b'], 300);
  EXPECT_EQ(counts['c'], 100);
}

TEST(SmoothWeightedRoundRobin, WeightChangeRestartsFromZeroCurrentWeights) {
  auto b = make("weighted-round-robin", {5, 1, 1});
  EXPECT_EQ(picks(*b, 3), "aab");
  b->set_weights(std::vector<double>{1, 2, 0});
  EXPECT_EQ(picks(*b, 6), "babbab");
}

TEST(SmoothWeightedRoundRobin, FractionalWeights) {
  auto b = make("weighted-round-robin", {0.5, 1.5});
  EXPECT_EQ(picks(*b, 8), "babbbabb");
}

TEST(Random, UniformSharesWithinTolerance) {
  auto b = make("random", {1, 7, 1});  // weight size is ignored
  const auto s = shares(*b, 3, 90'000);
  for (double share : s) EXPECT_NEAR(share, 1.0 / 3.0, 0.01);
}

TEST(Random, SameSeedSameChoicesDifferentSeedDifferent) {
  auto a = make("random", {1, 1, 1}, 7), b = make("random", {1, 1, 1}, 7), c = make("random", {1, 1, 1}, 8);
  const std::string sa = picks(*a, 64);
  EXPECT_EQ(sa, picks(*b, 64));
  EXPECT_NE(sa, picks(*c, 64));
}

TEST(WeightedRandom, SharesFollowWeights) {
  auto b = make("weighted-random", {5, 3, 1});
  const auto s = shares(*b, 3, 90'000);
  EXPECT_NEAR(s[0], 5.0 / 9, 0.01);
  EXPECT_NEAR(s[1], 3.0 / 9, 0.01);
  EXPECT_NEAR(s[2], 1.0 / 9, 0.01);
}

TEST(AllBalancers, ZeroWeightNodeIsNeverPicked) {
  for (const auto& entry : balancers().entries()) {
    auto b = make(entry.name.c_str(), {1, 0, 2, 0});
    for (int i = 0; i < 2000; ++i) {
      const std::size_t n = b->pick({});
      ASSERT_TRUE(n == 0 || n == 2) << entry.name << " picked " << n;
    }
  }
}

TEST(AllBalancers, AllWeightsZeroGivesNoNode) {
  for (const auto& entry : balancers().entries()) {
    auto b = make(entry.name.c_str(), {0, 0});
    EXPECT_EQ(b->pick({}), kNoNode) << entry.name;
  }
}

TEST(BalancerRegistry, UnknownNameListsKnownOnes) {
  try {
    balancers().make("least-magic", {});
    FAIL() << "expected an exception";
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("least-magic"), std::string::npos);
    EXPECT_NE(what.find("weighted-round-robin"), std::string::npos);
  }
}

}  // namespace
}  // namespace loadlab
