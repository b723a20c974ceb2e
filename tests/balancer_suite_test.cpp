// The load-aware and hashing balancers: exact choices where they are deterministic, stated
// tolerances at fixed seeds where they are random, and the properties each exists for
// (p2c avoids a busy node, consistent hashing moves few keys, bounded load caps every node).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

#include "balancers/balancer_registry.h"
#include "balancers/maglev.h"
#include "balancers/peak_ewma.h"
#include "balancers/smooth_weighted_round_robin.h"
#include "base/alias_table.h"
#include "base/hash.h"
#include "base/random.h"
#include "metrics/imbalance.h"
#include "theory/key_movement.h"
#include "theory/theory.h"
#include "workload/key_distribution.h"

namespace loadlab {
namespace {

// A LoadView the test controls directly.
class FakeLoad final : public LoadView {
 public:
  explicit FakeLoad(std::size_t n) : in_flight_(n, 0), completed_(n, 0), latency_(n, 0) {}
  std::size_t node_count() const override { return in_flight_.size(); }
  std::uint64_t in_flight(std::size_t i) const override { return in_flight_[i]; }
  std::uint64_t completed(std::size_t i) const override { return completed_[i]; }
  std::uint64_t latency_sum_ns(std::size_t i) const override { return latency_[i]; }
  std::int64_t now_ns() const override { return now_; }

  std::vector<std::uint64_t> in_flight_, completed_, latency_;
  std::int64_t now_ = 0;
};

std::unique_ptr<Balancer> make(const std::string& name, std::vector<double> weights, BalancerParams params = {},
                               std::uint64_t seed = 7) {
  auto b = balancers().make(name, BalancerOptions{seed, params});
  b->set_weights(weights);
  return b;
}

std::string sequence(Balancer& b, const LoadView& load, int count) {
  std::string out;
  for (int i = 0; i < count; ++i) {
    const std::size_t n = b.pick(PickContext{0, &load});
    out += n == kNoNode ? '-' : static_cast<char>('a' + n);
  }
  return out;
}

// nginx's loop, written out here independently, as the reference for the O(1) schedule.
std::vector<std::size_t> nginx_swrr(const std::vector<double>& w, std::size_t picks) {
  std::vector<double> current(w.size(), 0);
  double total = 0;
  for (double x : w) total += x > 0 ? x : 0;
  std::vector<std::size_t> out;
  for (std::size_t p = 0; p < picks; ++p) {
    std::size_t best = kNoNode;
    for (std::size_t i = 0; i < w.size(); ++i) {
      if (w[i] <= 0) continue;
      current[i] += w[i];
      if (best == kNoNode || current[i] > current[best]) best = i;
    }
    current[best] -= total;
    out.push_back(best);
  }
  return out;
}

TEST(SmoothWeightedRoundRobin, ScheduleMatchesNginxLoopPickForPick) {
  Rng rng(3);
  for (int trial = 0; trial < 50; ++trial) {
    std::vector<double> w(1 + rng.below(20));
    for (double& x : w) x = static_cast<double>(rng.below(12));  // zeros included
    if (std::all_of(w.begin(), w.end(), [](double x) { return x == 0; })) w[0] = 1;
    SmoothWeightedRoundRobin b;
    b.set_weights(w);
    ASSERT_TRUE(b.uses_schedule());
    const auto expected = nginx_swrr(w, 500);
    for (std::size_t p = 0; p < expected.size(); ++p)
      ASSERT_EQ(b.pick({}), expected[p]) << "trial " << trial << " pick " << p;
  }
}

TEST(SmoothWeightedRoundRobin, WeightClassesMatchNginxLoopWhenThePeriodIsTooLongToRecord) {
  Rng rng(6);
  for (int trial = 0; trial < 12; ++trial) {
    // Σw above kMaxSchedulePeriod; few distinct weights in some trials, all distinct in others.
    std::vector<double> w(2 + rng.below(60));
    for (double& x : w)
      x = rng.below(6) == 0 ? 0.0
          : trial % 2       ? static_cast<double>(100'000 * (1 + rng.below(3)))
                            : static_cast<double>(1 + rng.below(400'000));
    w[0] = 5'000'000;
    SmoothWeightedRoundRobin b;
    b.set_weights(w);
    ASSERT_TRUE(b.uses_weight_classes());
    const auto expected = nginx_swrr(w, 20'000);
    for (std::size_t p = 0; p < expected.size(); ++p)
      ASSERT_EQ(b.pick({}), expected[p]) << "trial " << trial << " pick " << p;
  }
}

TEST(SmoothWeightedRoundRobin, WeightClassesWrapAroundThePeriodExactly) {
  // Σw = 2^22 + 1, one more than a recorded schedule holds: two whole periods and a bit.
  const std::vector<double> w{4'194'000, 200, 0, 104, 1};
  SmoothWeightedRoundRobin b;
  b.set_weights(w);
  ASSERT_TRUE(b.uses_weight_classes());
  const auto expected = nginx_swrr(w, 2 * 4'194'305 + 1000);
  for (std::size_t p = 0; p < expected.size(); ++p) ASSERT_EQ(b.pick({}), expected[p]) << "pick " << p;
}

TEST(SmoothWeightedRoundRobin, ManyNodesFewWeightsAreRecorded) {
  // 10,000 nodes weighted 1..5: nginx's loop would be O(n) per pick; the period is recorded.
  std::vector<double> w(10'000);
  for (std::size_t i = 0; i < w.size(); ++i) w[i] = 1 + static_cast<double>(i % 5);
  SmoothWeightedRoundRobin b;
  b.set_weights(w);
  EXPECT_TRUE(b.uses_schedule());
  const auto expected = nginx_swrr(w, 31'000);  // one period (30,000) and the start of the next
  for (std::size_t p = 0; p < expected.size(); ++p) ASSERT_EQ(b.pick({}), expected[p]) << "pick " << p;
}

TEST(SmoothWeightedRoundRobin, FractionalWeightsUseTheLoopAndStayExact) {
  const std::vector<double> w{2.5, 1, 0.5};
  SmoothWeightedRoundRobin b;
  b.set_weights(w);
  EXPECT_FALSE(b.uses_schedule());
  const auto expected = nginx_swrr(w, 64);
  for (std::size_t p = 0; p < expected.size(); ++p) ASSERT_EQ(b.pick({}), expected[p]);
}

TEST(SmoothWeightedRoundRobin, MidRunWeightChangeRestartsTheDocumentedSequence) {
  FakeLoad load(3);
  auto b = make("weighted-round-robin", {5, 1, 1});
  EXPECT_EQ(sequence(*b, load, 4), "aaba");
  b->set_weights(std::vector<double>{1, 1, 2});
  EXPECT_EQ(sequence(*b, load, 8), "cabccabc");
}

TEST(LeastConnections, IdleEqualNodesShareInTurn) {
  FakeLoad load(3);
  auto b = make("least-connections", {1, 1, 1});
  EXPECT_EQ(sequence(*b, load, 7), "abcabca");
}

TEST(LeastConnections, FewestInFlightPerWeightWins) {
  FakeLoad load(3);
  load.in_flight_ = {4, 1, 3};
  auto b = make("least-connections", {1, 1, 1});
  EXPECT_EQ(sequence(*b, load, 1), "b");
  // Weighted: 4/4 = 1 < 1/0.5 = 2 < 3/1 = 3.
  auto w = make("least-connections", {4, 0.5, 1});
  EXPECT_EQ(sequence(*w, load, 1), "a");
}

TEST(LeastConnections, TiesAfterABusyNodeGoRoundRobin) {
  FakeLoad load(4);
  load.in_flight_ = {9, 0, 0, 0};
  auto b = make("least-connections", {1, 1, 1, 1});
  EXPECT_EQ(sequence(*b, load, 6), "bcdbcd");
}

TEST(PowerOfTwoChoices, BusyNodeIsPickedOnlyWhenEverySampleIsIt) {
  // Node 0 is busy; it wins only when both samples land on it: probability 1/n² = 1/16.
  FakeLoad load(4);
  load.in_flight_ = {50, 0, 0, 0};
  auto b = make("p2c", {1, 1, 1, 1});
  const int picks = 160'000;
  int busy = 0;
  for (int i = 0; i < picks; ++i) busy += b->pick(PickContext{0, &load}) == 0;
  // σ of the share = sqrt(p(1-p)/N) ≈ 0.0006; tolerance 0.004 is > 6σ.
  EXPECT_NEAR(static_cast<double>(busy) / picks, 1.0 / 16, 0.004);
}

TEST(PowerOfTwoChoices, MoreChoicesAvoidTheBusyNodeMore) {
  FakeLoad load(4);
  load.in_flight_ = {50, 0, 0, 0};
  BalancerParams three;
  three.choices = 3;
  auto b = make("p2c", {1, 1, 1, 1}, three);
  int busy = 0;
  for (int i = 0; i < 160'000; ++i) busy += b->pick(PickContext{0, &load}) == 0;
  EXPECT_NEAR(busy / 160'000.0, 1.0 / 64, 0.002);  // (1/4)³
}

TEST(PowerOfTwoChoices, WeightedVariantFavoursHeavyNodesWhenIdle) {
  FakeLoad load(2);
  auto b = make("p2c", {3, 1});
  int heavy = 0;
  for (int i = 0; i < 100'000; ++i) heavy += b->pick(PickContext{0, &load}) == 0;
  // Samples ∝ w, and when idle the heavy node's cost 1/3 beats 1/1: it loses only when both
  // samples are the light node, (1/4)² — so its share is 15/16.
  EXPECT_NEAR(heavy / 100'000.0, 15.0 / 16, 0.005);
}

TEST(PeakEwma, PeakLatencyIsAdoptedAtOnceAndDecaysBack) {
  FakeLoad load(2);
  PeakEwma b(1, /*decay_ms=*/10.0);
  b.set_weights(std::vector<double>{1, 1});
  // Node 1 answers one request in 5 ms: its cost jumps to 5 ms at once.
  load.completed_[1] = 1;
  load.latency_[1] = 5'000'000;
  load.now_ = 1'000'000;
  for (int i = 0; i < 20; ++i) b.pick(PickContext{0, &load});
  EXPECT_DOUBLE_EQ(b.cost_ns(1), 5'000'000.0);
  // No answers for one decay time: the cost decays by e^-1 toward 0 (Finagle's get()).
  load.now_ += 10'000'000;
  for (int i = 0; i < 20; ++i) b.pick(PickContext{0, &load});
  EXPECT_NEAR(b.cost_ns(1), 5'000'000.0 * std::exp(-1.0), 1.0);
}

// Finagle's peak EWMA written out as the policy's original code had it (two exp() per node
// per look), as the reference for the version that skips the ones that cannot change a cost.
class ReferencePeakEwma {
 public:
  ReferencePeakEwma(std::uint64_t seed, double decay_ms, std::size_t n)
      : rng_(seed), tau_ns_(decay_ms * 1e6), state_(n) {}
  std::size_t pick(const LoadView& view) {
    const std::size_t n = state_.size();
    const std::size_t a = rng_.below(n);
    std::size_t b = rng_.below(n - 1);
    if (b >= a) ++b;
    const double load_a = load(a, view), load_b = load(b, view);
    return load_b < load_a ? b : a;
  }
  double cost_ns(std::size_t node) const { return state_[node].cost; }

 private:
  struct State {
    double cost = 0;
    std::int64_t stamp_ns = 0;
    std::uint64_t completed = 0, latency_sum_ns = 0;
  };
  void observe(State& s, double rtt_ns, std::int64_t now_ns) const {
    const double elapsed = static_cast<double>(std::max<std::int64_t>(now_ns - s.stamp_ns, 0));
    const double w = std::exp(-elapsed / tau_ns_);
    s.cost = rtt_ns > s.cost ? rtt_ns : s.cost * w + rtt_ns * (1.0 - w);
    s.stamp_ns = now_ns;
  }
  double load(std::size_t node, const LoadView& view) {
    State& s = state_[node];
    const std::int64_t now = view.now_ns();
    const std::uint64_t completed = view.completed(node);
    if (completed > s.completed) {
      const std::uint64_t sum = view.latency_sum_ns(node);
      observe(s, static_cast<double>(sum - s.latency_sum_ns) / static_cast<double>(completed - s.completed), now);
      s.completed = completed;
      s.latency_sum_ns = sum;
    }
    observe(s, 0.0, now);
    const auto outstanding = static_cast<double>(view.in_flight(node));
    const double penalty = static_cast<double>(std::int64_t{0x7FFFFFFFFFFFFFFF} >> 16);
    return s.cost == 0.0 && outstanding != 0 ? penalty + outstanding : s.cost * (outstanding + 1);
  }
  Rng rng_;
  double tau_ns_;
  std::vector<State> state_;
};

TEST(PeakEwma, MatchesTheReferenceChoiceForChoiceAndCostForCost) {
  Rng rng(10);
  const std::size_t n = 12;
  FakeLoad load(n);
  PeakEwma b(77, /*decay_ms=*/5.0);
  b.set_weights(std::vector<double>(n, 1.0));
  ReferencePeakEwma reference(77, 5.0, n);
  for (int k = 0; k < 20'000; ++k) {
    // The clock stands still for some picks, creeps or jumps for others, and may step back.
    const std::uint64_t dt = rng.below(5);
    load.now_ += dt == 0 ? 0 : dt == 1 ? -100 : static_cast<std::int64_t>(rng.below(dt == 2 ? 10 : 3'000'000));
    const std::size_t node = b.pick(PickContext{0, &load});
    ASSERT_EQ(node, reference.pick(load)) << "pick " << k;
    ++load.in_flight_[node];
    const std::size_t done = rng.below(n);
    if (load.in_flight_[done] > 0 && rng.below(3) != 0) {
      --load.in_flight_[done];
      ++load.completed_[done];
      load.latency_[done] += rng.below(4) == 0 ? 0 : 1000 * (1 + rng.below(5000));
    }
  }
  for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(b.cost_ns(i), reference.cost_ns(i)) << "node " << i;
}

TEST(PeakEwma, SlowNodeGetsFewerRequests) {
  FakeLoad load(2);
  auto b = make("peak-ewma", {1, 1});
  load.completed_ = {1000, 1000};
  load.latency_ = {1000 * 200'000ULL, 1000 * 2'000'000ULL};  // 0.2 ms vs 2 ms
  load.now_ = 1'000'000;
  int slow = 0;
  for (int i = 0; i < 1000; ++i) slow += b->pick(PickContext{0, &load}) == 1;
  // Two distinct nodes are always compared, and the fast one is cheaper at equal in-flight.
  EXPECT_EQ(slow, 0);
}

TEST(RingHash, OnlyTheLeavingNodesKeysMove) {
  const std::vector<double> all{1, 1, 1, 1, 1};
  auto b = make("ring-hash", all);
  std::vector<std::size_t> before;
  for (std::uint64_t k = 0; k < 20'000; ++k) before.push_back(b->pick(PickContext{k, nullptr}));
  b->set_weights(std::vector<double>{1, 1, 0, 1, 1});
  for (std::uint64_t k = 0; k < 20'000; ++k) {
    const std::size_t now = b->pick(PickContext{k, nullptr});
    if (before[k] != 2)
      ASSERT_EQ(now, before[k]) << "key " << k << " moved though its node stayed";
    else
      ASSERT_NE(now, 2u);
  }
}

TEST(RingHash, MoreVirtualNodesSpreadKeysMoreEvenly) {
  const std::vector<double> w(8, 1.0);
  BalancerParams few, many;
  few.vnodes = 4;
  many.vnodes = 400;
  const auto spread_few = measure_key_movement("ring-hash", few, w, 100'000)->ownership_max_mean;
  const auto spread_many = measure_key_movement("ring-hash", many, w, 100'000)->ownership_max_mean;
  EXPECT_GT(spread_few, spread_many);
  EXPECT_LT(spread_many, 1.15);  // with 400 points per node the largest arc is within 15%
}

TEST(Maglev, EqualWeightsFillTheTableWithinOneEntry) {
  // The Maglev paper: each backend gets ⌊M/N⌋ or ⌈M/N⌉ entries.
  Maglev b(65537);
  b.set_weights(std::vector<double>(7, 1.0));
  std::vector<std::size_t> count(7, 0);
  for (std::uint32_t node : b.table()) ++count[node];
  const auto [lo, hi] = std::minmax_element(count.begin(), count.end());
  EXPECT_LE(*hi - *lo, 1u);
  EXPECT_EQ(b.table().size(), 65537u);
}

TEST(Maglev, WeightsSetTheShareOfTableEntries) {
  Maglev b(65537);
  b.set_weights(std::vector<double>{1, 2, 0, 5});
  std::vector<double> count(4, 0);
  for (std::uint32_t node : b.table()) ++count[node];
  EXPECT_EQ(count[2], 0);
  EXPECT_NEAR(count[0] / 65537, 1.0 / 8, 0.001);
  EXPECT_NEAR(count[1] / 65537, 2.0 / 8, 0.001);
  EXPECT_NEAR(count[3] / 65537, 5.0 / 8, 0.001);
}

TEST(Maglev, RemovingANodeMovesLittleMoreThanItsKeys) {
  const auto m = measure_key_movement("maglev", {}, std::vector<double>(10, 1.0), 200'000);
  ASSERT_TRUE(m);
  EXPECT_NEAR(m->ideal_on_remove, 0.1, 1e-12);
  EXPECT_GE(m->moved_on_remove, 0.095);
  EXPECT_LE(m->moved_on_remove, 0.12);  // Maglev trades a little disruption for O(1) and even spread
  EXPECT_LT(m->ownership_max_mean, 1.02);
}

TEST(KeyHash, RemovingANodeMovesMostKeys) {
  const auto m = measure_key_movement("key-hash", {}, std::vector<double>(10, 1.0), 200'000);
  ASSERT_TRUE(m);
  EXPECT_NEAR(m->moved_on_remove, 0.9, 0.01);  // all but the keys that stay by luck, 1/n of them
}

TEST(KeyMovement, UndefinedForBalancersThatDoNotFollowTheKey) {
  EXPECT_FALSE(measure_key_movement("p2c", {}, std::vector<double>(4, 1.0), 1000));
  EXPECT_FALSE(measure_key_movement("maglev", {}, std::vector<double>{1, 0}, 1000));  // one node in rotation
}

// The ring written out here independently (sorted points, binary search), as the reference
// for HashRing's lookup table.
struct ReferenceRing {
  ReferenceRing(const std::vector<double>& w, unsigned vnodes) {
    for (std::size_t i = 0; i < w.size(); ++i)
      if (w[i] > 0)
        for (std::uint64_t r = 0; r < static_cast<std::uint64_t>(std::max(1.0, std::round(w[i] * vnodes))); ++r)
          points.emplace_back(mix64(i + 1, r), static_cast<std::uint32_t>(i));
    std::sort(points.begin(), points.end());
  }
  std::size_t position(std::uint64_t key) const {
    const auto it =
        std::lower_bound(points.begin(), points.end(), std::pair<std::uint64_t, std::uint32_t>{mix64(key), 0});
    return it == points.end() ? 0 : static_cast<std::size_t>(it - points.begin());
  }
  std::vector<std::pair<std::uint64_t, std::uint32_t>> points;
};

std::vector<double> ring_weights(Rng& rng, std::size_t n) {
  std::vector<double> w(n);
  for (double& x : w) x = rng.below(5) == 0 ? 0.0 : 0.25 * static_cast<double>(1 + rng.below(12));
  w[rng.below(n)] = 1;
  return w;
}

TEST(RingHash, TableLookupMatchesABinarySearchOfTheRing) {
  Rng rng(8);
  for (int trial = 0; trial < 12; ++trial) {
    const std::size_t n = 1 + rng.below(trial < 8 ? 20 : 300);
    BalancerParams params;
    params.vnodes = static_cast<unsigned>(1 + rng.below(trial % 2 ? 3 : 200));
    const std::vector<double> w = ring_weights(rng, n);
    const ReferenceRing ring(w, params.vnodes);
    auto b = make("ring-hash", w, params);
    for (int k = 0; k < 20'000; ++k) {
      // Keys next to the points themselves too, where an off-by-one would show.
      const std::uint64_t key = k % 2 ? rng.next() : static_cast<std::uint64_t>(k);
      ASSERT_EQ(b->pick(PickContext{key, nullptr}), ring.points[ring.position(key)].second) << "trial " << trial;
    }
  }
}

TEST(BoundedLoad, MatchesTheReferenceWalkUnderRandomLoads) {
  Rng rng(9);
  for (int trial = 0; trial < 10; ++trial) {
    const std::size_t n = 2 + rng.below(60);
    BalancerParams params;
    params.vnodes = static_cast<unsigned>(1 + rng.below(100));
    params.balance_factor = 1 + rng.uniform();
    const std::vector<double> w = ring_weights(rng, n);
    const ReferenceRing ring(w, params.vnodes);
    double total_weight = 0;
    for (double x : w) total_weight += x;
    auto b = make("bounded-load", w, params);
    FakeLoad load(n);
    std::uint64_t total = 0;
    for (int k = 0; k < 5000; ++k) {
      const std::uint64_t key = rng.below(50);  // few keys: hot ones overflow their node
      const double budget = params.balance_factor * static_cast<double>(total + 1) / total_weight;
      std::size_t p = ring.position(key);
      while (
          !(static_cast<double>(load.in_flight_[ring.points[p].second]) < std::ceil(budget * w[ring.points[p].second])))
        p = p + 1 == ring.points.size() ? 0 : p + 1;
      const std::size_t node = b->pick(PickContext{key, &load});
      ASSERT_EQ(node, ring.points[p].second) << "trial " << trial << " pick " << k;
      ++load.in_flight_[node];
      ++total;
      const std::size_t done = rng.below(n);
      if (load.in_flight_[done] > 0 && rng.below(2) == 0) {
        --load.in_flight_[done];
        --total;
      }
    }
  }
}

TEST(BoundedLoad, NoNodeExceedsTheBoundEvenForOneHotKey) {
  // Every request asks for the same key and none completes: plain consistent hashing would
  // pile all 1000 on one node; bounded load spills them so no node exceeds ⌈c(m+1)/n⌉.
  FakeLoad load(5);
  auto b = make("bounded-load", std::vector<double>(5, 1.0));
  for (int i = 0; i < 1000; ++i) {
    const std::size_t node = b->pick(PickContext{42, &load});
    ++load.in_flight_[node];
  }
  const std::uint64_t total = 1000;
  const auto cap = static_cast<std::uint64_t>(std::ceil(1.25 * total / 5));
  for (std::uint64_t f : load.in_flight_) EXPECT_LE(f, cap);
}

TEST(BoundedLoad, KeysStayOnTheirRingNodeWhileLoadIsEven) {
  FakeLoad load(4);
  load.in_flight_ = {3, 3, 3, 3};
  auto ring = make("ring-hash", {1, 1, 1, 1});
  auto bounded = make("bounded-load", {1, 1, 1, 1});
  for (std::uint64_t k = 0; k < 1000; ++k)
    ASSERT_EQ(bounded->pick(PickContext{k, &load}), ring->pick(PickContext{k, &load}));
}

TEST(AllBalancers, NeverPickAZeroWeightNodeUnderLoadAndChangingKeys) {
  FakeLoad load(4);
  load.in_flight_ = {0, 0, 5, 0};
  for (const auto& entry : balancers().entries()) {
    auto b = make(entry.name, {1, 0, 2, 0});
    for (std::uint64_t k = 0; k < 3000; ++k) {
      const std::size_t n = b->pick(PickContext{k, &load});
      ASSERT_TRUE(n == 0 || n == 2) << entry.name << " picked " << n;
    }
    b->set_weights(std::vector<double>{0, 0, 0, 0});
    EXPECT_EQ(b->pick(PickContext{1, &load}), kNoNode) << entry.name;
    b->set_weights(std::vector<double>{0, 3, 0, 0});
    EXPECT_EQ(b->pick(PickContext{1, &load}), 1u) << entry.name;
  }
}

TEST(AllBalancers, SameSeedSameChoices) {
  FakeLoad load(6);
  for (const auto& entry : balancers().entries()) {
    auto a = make(entry.name, {1, 2, 3, 1, 2, 3}, {}, 99);
    auto b = make(entry.name, {1, 2, 3, 1, 2, 3}, {}, 99);
    for (std::uint64_t k = 0; k < 500; ++k)
      ASSERT_EQ(a->pick(PickContext{k * 7919, &load}), b->pick(PickContext{k * 7919, &load})) << entry.name;
  }
}

TEST(AliasTable, DrawsInProportionAndNeverAZeroWeight) {
  const std::vector<double> w{0, 1, 0, 3, 0.5, 0};
  AliasTable table;
  table.build(w);
  Rng rng(5);
  std::vector<double> count(w.size(), 0);
  const int draws = 450'000;
  for (int i = 0; i < draws; ++i) ++count[table.draw(rng)];
  EXPECT_EQ(count[0] + count[2] + count[5], 0);
  // σ of each share < 0.0008 at this N; 0.004 is > 5σ.
  EXPECT_NEAR(count[1] / draws, 1 / 4.5, 0.004);
  EXPECT_NEAR(count[3] / draws, 3 / 4.5, 0.004);
  EXPECT_NEAR(count[4] / draws, 0.5 / 4.5, 0.004);
  table.build(std::vector<double>{0, 0});
  EXPECT_TRUE(table.empty());
}

TEST(Imbalance, KnownValues) {
  const Imbalance even = imbalance(std::vector<double>{5, 5, 5, 5});
  EXPECT_DOUBLE_EQ(even.max_mean, 1.0);
  EXPECT_DOUBLE_EQ(even.cv, 0.0);
  EXPECT_DOUBLE_EQ(even.jain, 1.0);
  const Imbalance one = imbalance(std::vector<double>{8, 0, 0, 0});  // one node takes all
  EXPECT_DOUBLE_EQ(one.max_mean, 4.0);
  EXPECT_DOUBLE_EQ(one.jain, 0.25);
  EXPECT_NEAR(one.cv, std::sqrt(3.0), 1e-12);
  EXPECT_TRUE(std::isnan(imbalance(std::vector<double>{0, 0}).jain));
  EXPECT_TRUE(std::isnan(imbalance(std::vector<double>{}).max_mean));
}

TEST(Theory, PollaczekKhinchineMatchesTheTextbookCases) {
  // M/M/1: S = 500 us, λ = 1000/s, ρ = 0.5 → R = S / (1 − ρ) = 1000 us.
  EXPECT_NEAR(mg1_mean_latency_us(1000, 0, 50, 500, true, 1.0), 1000, 1e-9);
  // M/D/1: R = S + ρS / (2(1 − ρ)) = 500 + 250 = 750 us.
  EXPECT_NEAR(mg1_mean_latency_us(1000, 0, 50, 500, false, 1.0), 750, 1e-9);
  // Half speed doubles S: ρ = 1, the queue grows without bound.
  EXPECT_TRUE(std::isnan(mg1_mean_latency_us(1000, 0, 50, 500, true, 0.5)));
  // A hit/miss mixture has more variance than its mean suggests: above M/M/1 with the same mean.
  const double mixed = mg1_mean_latency_us(1000, 0.5, 50, 500, true, 1.0);  // E[S] = 275
  EXPECT_GT(mixed, 275 / (1 - 0.275));
}

TEST(Theory, KeyOwnedSharesFollowTheHotKey) {
  // Zipf(1.2) over 1000 keys: the node owning key 0 must expect at least P(key 0).
  KeyPopularity p;
  p.kind = KeyPopularity::Kind::zipf;
  p.keys = 1000;
  p.zipf_s = 1.2;
  const KeyDistribution keys(p);
  auto b = make("maglev", {1, 1, 1});
  const auto shares = key_owned_shares(*b, keys, 3);
  double sum = 0;
  for (double s : shares) sum += s;
  EXPECT_NEAR(sum, 1.0, 1e-9);
  EXPECT_GE(shares[b->pick(PickContext{0, nullptr})], keys.probability(0));
}

}  // namespace
}  // namespace loadlab
