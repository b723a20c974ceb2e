// --warmup auto (issue 20): MSER-5 on a run's interval series. First the statistic on series
// whose transient is known exactly, then runs: an M/M/1 started empty near saturation, one at
// light load, and a cache warming from empty. Fixed seeds; each margin is stated beside its
// check.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "sim/simulator.h"
#include "stats/interval_series.h"
#include "stats/mser.h"
#include "stats/run_statistics.h"
#include "sweep/sweep_definition.h"
#include "sweep/warmup_finder.h"

namespace loadlab {
namespace {

Scenario one_queue(double rate, std::uint64_t requests, double interval_ms) {
  Scenario s;
  s.clock = Scenario::Clock::virtual_time;
  s.nodes = default_nodes(1);
  s.cache_policy = "none";
  s.service.miss_us = 1000;  // μ = 1000/s
  s.service.distribution = ServiceModel::Distribution::exponential;
  s.workload.rate = rate;
  s.workload.requests = requests;
  s.interval_ms = interval_ms;
  return s;
}

IntervalSeries series_of(const Scenario& s) {
  Simulator sim(s);
  IntervalSeries series;
  sim.subscribe([&series](const Snapshot& snap) { series.add(snap); });
  sim.run_to_end();
  return series;
}

TEST(Mser5, CutsALinearRampAndNotTheSteadyPart) {
  // 100 observations rising from 0 to 10, then 900 at 10, all with N(0, 1) noise: the
  // transient ends at 100; MSER-5 cuts in batches of 5, and noise blurs the last few.
  std::mt19937_64 rng(7);
  std::normal_distribution<double> noise(0, 1);
  std::vector<double> x;
  for (int i = 0; i < 1000; ++i) x.push_back((i < 100 ? i / 10.0 : 10.0) + noise(rng));
  const MserResult r = mser5(x);
  EXPECT_EQ(r.batches, 200u);
  EXPECT_EQ(r.truncated % kMserBatch, 0u);
  EXPECT_GE(r.truncated, 60u);   // past most of the ramp (it is within 4σ of 10 from i = 60)
  EXPECT_LE(r.truncated, 150u);  // and not far into the steady part
  EXPECT_TRUE(r.settled);
}

TEST(Mser5, StationaryNoiseLosesAlmostNothing) {
  // Without a transient, over 50 series of 1000, the mean cut is a small fraction.
  std::mt19937_64 rng(11);
  std::normal_distribution<double> noise(5, 1);
  double cut = 0;
  for (int rep = 0; rep < 50; ++rep) {
    std::vector<double> x(1000);
    for (double& v : x) v = noise(rng);
    cut += static_cast<double>(mser5(x).truncated);
  }
  EXPECT_LT(cut / 50, 0.05 * 1000);  // under 5% of the series on average
}

TEST(Mser5, TooShortOrNaNSeries) {
  const std::vector<double> short_series(40, 1.0);  // 8 batches < kMserMinBatches
  const MserResult r = mser5(short_series);
  EXPECT_EQ(r.truncated, 0u);
  EXPECT_FALSE(r.settled);
  EXPECT_TRUE(std::isnan(r.statistic));
  // NaN observations (intervals with nothing completed) are skipped, and the cut is mapped
  // back to intervals of the run.
  std::vector<double> x;
  for (int i = 0; i < 500; ++i) x.push_back(i < 50 ? 0.0 : 10.0);
  x.insert(x.begin() + 10, 3, std::nan(""));
  const MserResult m = mser5(x);
  EXPECT_EQ(m.observations, 500u);
  EXPECT_EQ(m.truncated, 50u);
}

TEST(Mser5, ConstantSeriesCutsNothing) {
  const std::vector<double> x(300, 42.0);
  const MserResult r = mser5(x);
  EXPECT_EQ(r.truncated, 0u);
  EXPECT_TRUE(r.settled);
}

// M/M/1 at ρ = 0.95 started empty: mean response 1/(μ − λ) = 20 ms, reached slowly (the
// relaxation time 1/(μ(1 − √ρ)²) is 1.6 s). One run's excursions at this load last seconds and
// are larger than its ramp, so the cut is found on the average of 10 pilot runs (as --precision
// does). 20 groups of 10 seeds; each group's cut applied to each of its runs. Measured: the
// ramp (75% of theory) ends at 0.44 s, the median cut is 0.8 s, and the mean over the 200 runs
// moves from 18,822 to 19,042 µs (theory 20,000; what is left is the slow tail of the
// approach and the noise of 200 short runs at ρ = 0.95).
TEST(WarmupAuto, NearSaturationCutsTheRampAndMovesTheMeanTowardTheory) {
  constexpr int kGroups = 20;
  constexpr int kPilots = static_cast<int>(kWarmupPilots);  // what --warmup auto averages
  constexpr std::uint64_t kRequests = 8000;                 // 8.4 s a run
  constexpr double kInterval = 40;                          // ms: 210 intervals, 42 batches of 5
  constexpr double kTheory = 20'000;                        // µs
  double untruncated = 0, truncated = 0;
  std::vector<double> cuts_s;
  std::vector<double> ensemble;  // the interval means averaged over every seed: the visible ramp
  std::vector<int> ensemble_n;
  for (int g = 0; g < kGroups; ++g) {
    Scenario s = one_queue(950, kRequests, kInterval);
    s.seed = 1000 * static_cast<std::uint64_t>(g + 1);
    const WarmupSearch w = find_warmup(s, kPilots);
    cuts_s.push_back(w.warmup_s);
    for (int k = 0; k < kPilots; ++k) {
      Scenario r = s;
      r.seed = replication_seed(s.seed, static_cast<std::size_t>(k));
      IntervalSeries series;
      Simulator first(r);
      first.subscribe([&series](const Snapshot& snap) { series.add(snap); });
      untruncated += first.run_to_end().total.mean_us;
      const std::vector<double>& v = series.values(IntervalMetric::mean_us);
      if (ensemble.size() < v.size()) ensemble.resize(v.size(), 0.0), ensemble_n.resize(v.size(), 0);
      for (std::size_t i = 0; i < v.size(); ++i)
        if (std::isfinite(v[i])) ensemble[i] += v[i], ++ensemble_n[i];
      r.warmup_s = w.warmup_s;
      truncated += Simulator(r).run_to_end().total.mean_us;
    }
  }
  untruncated /= kGroups * kPilots, truncated /= kGroups * kPilots;
  // The ramp: the first interval where the mean over all seeds reaches 75% of theory.
  std::size_t ramp = 0;
  while (ramp < ensemble.size() && ensemble[ramp] / std::max(1, ensemble_n[ramp]) < 0.75 * kTheory) ++ramp;
  const double ramp_s = kInterval / 1000 * static_cast<double>(ramp + 1);
  std::sort(cuts_s.begin(), cuts_s.end());
  const double median_cut = cuts_s[cuts_s.size() / 2];
  std::printf("ramp %.2f s, cuts %.2f..%.2f median %.2f s, untruncated %.0f us, truncated %.0f us, theory %.0f us\n",
              ramp_s, cuts_s.front(), cuts_s.back(), median_cut, untruncated, truncated, kTheory);
  EXPECT_GT(ramp_s, 0.2);         // there is a ramp to see
  EXPECT_GE(median_cut, ramp_s);  // the typical cut is after it
  EXPECT_LT(std::abs(truncated - kTheory), std::abs(untruncated - kTheory));
}

TEST(WarmupAuto, LightLoadCutsAlmostNothing) {
  // ρ = 0.2: the queue forgets its start within a few ms, so nothing is a transient.
  double cut = 0;
  for (int seed = 1; seed <= 10; ++seed) {
    Scenario s = one_queue(200, 20'000, 100);  // 100 s, 1,000 intervals
    s.seed = static_cast<std::uint64_t>(seed);
    const WarmupSearch w = find_warmup(s);
    cut += w.warmup_s;
    EXPECT_LE(w.warmup_s, 0.25 * 100) << "seed " << seed;  // never a quarter of the run
  }
  EXPECT_LE(cut / 10, 0.05 * 100);  // on average under 5% of the run
}

TEST(WarmupAuto, ColdCacheIsCutWhereItsHitRatioLevelsOff) {
  Scenario s;
  s.clock = Scenario::Clock::virtual_time;
  s.nodes = default_nodes(1);
  s.nodes[0].slots = 64;  // light load: the cache is what warms
  s.cache_policy = "lru";
  s.cache_capacity = 5000;
  s.workload.keys.keys = 100'000;
  s.workload.keys.kind = KeyPopularity::Kind::zipf;
  s.workload.keys.zipf_s = 0.9;
  s.workload.rate = 10'000;
  s.workload.requests = 300'000;  // 30 s
  s.interval_ms = 100;            // 1,000 lookups an interval: hit ratio ± 1.6%
  const IntervalSeries series = series_of(s);
  const std::vector<double>& h = series.values(IntervalMetric::hit_ratio);
  // Where it levels off: the first interval whose 5-interval mean is within 0.01 of the mean
  // of the second half.
  const double steady = std::accumulate(h.begin() + static_cast<long>(h.size() / 2), h.end(), 0.0) /
                        static_cast<double>(h.size() - h.size() / 2);
  std::size_t level = 0;
  for (; level + 5 <= h.size(); ++level)
    if (std::accumulate(h.begin() + static_cast<long>(level), h.begin() + static_cast<long>(level + 5), 0.0) / 5 >=
        steady - 0.01)
      break;
  const double level_s = 0.1 * static_cast<double>(level + 5);
  const WarmupSearch w = find_warmup(s);
  std::printf("hit ratio levels off at %.1f s (steady %.3f); MSER-5 cut %.1f s\n", level_s, steady, w.warmup_s);
  EXPECT_GT(level_s, 1.0);                    // a visible warm-up (5,000 objects at 10,000/s)
  EXPECT_GE(w.warmup_s, 0.5 * level_s);       // not before it is half done
  EXPECT_LE(w.warmup_s, level_s + 0.1 * 30);  // and no more than 10% of the run past it
  EXPECT_EQ(w.statistics.of(IntervalMetric::hit_ratio).has_data, true);
}

TEST(WarmupAuto, RealClockIsRefusedWithTheReason) {
  Scenario s = one_queue(100, 100, 100);
  s.clock = Scenario::Clock::real;
  try {
    find_warmup(s);
    FAIL() << "expected ScenarioError";
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.field(), "--warmup");
    EXPECT_NE(std::string(e.what()).find("cannot be repeated"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace loadlab
