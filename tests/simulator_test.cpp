// The virtual-time simulator: exactly repeatable, books that balance, and queueing theory to
// within a few percent (fixed seeds; each tolerance is stated beside its check).
#include <gtest/gtest.h>

#include <cmath>
#include <thread>

#include "metrics/csv_export.h"
#include "run_harness.h"
#include "sim/simulator.h"
#include "theory/cache_theory.h"
#include "theory/predictions.h"
#include "theory/theory.h"
#include "workload/key_distribution.h"

namespace loadlab {
namespace {

Scenario one_queue(double rate, double service_us, std::uint64_t requests, unsigned slots = 1) {
  Scenario s;
  s.nodes = default_nodes(1);
  s.nodes[0].slots = slots;
  s.cache_policy = "none";
  s.service.miss_us = service_us;
  s.service.distribution = ServiceModel::Distribution::exponential;
  s.workload.rate = rate;
  s.workload.requests = requests;
  s.interval_ms = 1000;
  return s;
}

RunReport simulate(const Scenario& s, std::vector<Snapshot>* snapshots = nullptr) {
  Simulator sim(s);
  if (snapshots) sim.subscribe([snapshots](const Snapshot& snap) { snapshots->push_back(snap); });
  return sim.run_to_end();
}

void expect_balanced(const RunReport& r) { test::expect_books_balance(r); }

TEST(Simulator, SameSeedSameRunToTheLastRequest) {
  Scenario s;
  s.nodes = default_nodes(4);
  s.nodes[1].weight = 3;
  s.balancer = "p2c";
  s.workload.rate = 5000;
  s.workload.requests = 50'000;
  s.workload.keys.zipf_s = 0.9;
  std::vector<Snapshot> a, b;
  const RunReport ra = simulate(s, &a), rb = simulate(s, &b);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].t_ms, b[i].t_ms);
    EXPECT_EQ(a[i].completed, b[i].completed);
    for (std::size_t n = 0; n < a[i].nodes.size(); ++n) {
      EXPECT_EQ(a[i].nodes[n].completed, b[i].nodes[n].completed);
      EXPECT_EQ(a[i].nodes[n].hits, b[i].nodes[n].hits);
      EXPECT_EQ(a[i].nodes[n].latency_sum_ns, b[i].nodes[n].latency_sum_ns);
    }
  }
  EXPECT_EQ(ra.total.mean_us, rb.total.mean_us);
  EXPECT_EQ(ra.total.p99_us, rb.total.p99_us);
  EXPECT_EQ(ra.elapsed_s, rb.elapsed_s);
  expect_balanced(ra);
  EXPECT_EQ(ra.issued, 50'000u);
  // Virtual time: 50,000 requests at 5,000/s take about 10 s of it, however fast they ran.
  EXPECT_NEAR(ra.elapsed_s, 10.0, 0.2);
}

TEST(Simulator, RoundRobinSharesAreExact) {
  Scenario s;
  s.nodes = default_nodes(5);
  s.workload.requests = 10'000;
  const RunReport r = simulate(s);
  for (const NodeSummary& n : r.nodes) EXPECT_EQ(n.requests, 2000u) << n.name;
}

TEST(Simulator, WeightedSharesFollowTheWeights) {
  Scenario s;
  s.nodes = default_nodes(3);
  s.nodes[0].weight = 5, s.nodes[1].weight = 3, s.nodes[2].weight = 1;
  s.balancer = "weighted-round-robin";
  s.workload.requests = 9'000;
  const RunReport r = simulate(s);
  EXPECT_EQ(r.nodes[0].requests, 5000u);
  EXPECT_EQ(r.nodes[1].requests, 3000u);
  EXPECT_EQ(r.nodes[2].requests, 1000u);
}

// M/M/1: mean response 1/(μ − λ). Service 1 ms (μ = 1000/s).
TEST(Simulator, MM1MeanResponseAtHalfLoad) {
  const RunReport r = simulate(one_queue(500, 1000, 400'000));
  expect_balanced(r);
  EXPECT_NEAR(r.total.mean_us, 2000.0, 0.02 * 2000.0);  // 2%
}

TEST(Simulator, MM1MeanResponseNearSaturation) {
  // ρ = 0.9: the mean settles slowly (its relaxation time is ~100 service times). Over eight
  // seeds, 2 M requests gave means with a 1.9% standard deviation; 8 M halve it to ~0.95%, so
  // 3% is three standard deviations, not a lucky seed.
  const RunReport r = simulate(one_queue(900, 1000, 8'000'000));
  EXPECT_NEAR(r.total.mean_us, 10'000.0, 0.03 * 10'000.0);
}

TEST(Simulator, MD1FollowsPollaczekKhinchine) {
  Scenario s = one_queue(800, 1000, 400'000);
  s.service.distribution = ServiceModel::Distribution::fixed;
  const RunReport r = simulate(s);
  const double expected = mg1_mean_latency_us(800, 0, 50, 1000, false, 1.0);  // 3 ms
  EXPECT_NEAR(expected, 3000.0, 1.0);
  EXPECT_NEAR(r.total.mean_us, expected, 0.02 * expected);
}

// M/M/c against Erlang C: the probability of waiting, then W = Wq + 1/μ.
double erlang_c_response_us(double lambda, double mu, unsigned c) {
  const double a = lambda / mu, rho = a / c;
  double sum = 0, term = 1;
  for (unsigned k = 0; k < c; ++k) {
    if (k > 0) term *= a / k;
    sum += term;
  }
  const double last = term * a / c / (1 - rho);  // a^c / c! / (1 − ρ)
  const double p_wait = last / (sum + last);
  return 1e6 * (p_wait / (c * mu - lambda) + 1 / mu);
}

TEST(Simulator, MMcWaitingFollowsErlangC) {
  const double expected = erlang_c_response_us(3200, 1000, 4);  // ρ = 0.8
  const RunReport r = simulate(one_queue(3200, 1000, 1'000'000, 4));
  EXPECT_NEAR(r.total.mean_us, expected, 0.02 * expected);
}

TEST(Simulator, MG1LognormalFollowsPollaczekKhinchine) {
  // A heavy-ish tail: mean 1 ms, p99 6 ms (squared coefficient of variation about 2.2).
  Scenario s = one_queue(700, 1000, 1'000'000);
  s.service.distribution = ServiceModel::Distribution::lognormal;
  s.service.p99_us = 6000;
  const RunReport r = simulate(s);
  const std::vector<NodeTraffic> traffic{{700, 0}};
  const double expected = predict_latency(s, traffic).mean_us;
  EXPECT_GT(expected, 3000.0);                              // well above M/M/1's 3.33 ms × (1 + 1)/2 for this tail
  EXPECT_NEAR(r.total.mean_us, expected, 0.03 * expected);  // 3%: the tail makes the mean noisy
}

TEST(Simulator, TheoryFrontDoorMatchesErlangC) {
  Scenario s = one_queue(3200, 1000, 10, 4);
  const std::vector<NodeTraffic> traffic{{3200, 0}};
  EXPECT_NEAR(predict_latency(s, traffic).mean_us, erlang_c_response_us(3200, 1000, 4), 1e-6);
}

TEST(Simulator, LruHitRatioFollowsChe) {
  Scenario s;
  s.nodes = default_nodes(1);
  s.cache_capacity = 200;
  s.workload.keys.keys = 5000;
  s.workload.keys.kind = KeyPopularity::Kind::zipf;
  s.workload.keys.zipf_s = 0.8;
  s.workload.rate = 100;  // light load: the cache, not the queue, is under test
  s.workload.requests = 500'000;
  const RunReport r = simulate(s);
  const KeyDistribution keys(s.workload.keys);
  std::vector<double> p(s.workload.keys.keys);
  for (std::uint64_t k = 0; k < p.size(); ++k) p[k] = keys.probability(k);
  const double che = che_lru_hit_ratio(p, 200);
  EXPECT_NEAR(r.total.hit_ratio, che, 0.02 * che);  // Che is an approximation: 2%
}

// Power of two choices against random: the longest queue ever seen. With n nodes at load ρ,
// random's maximum grows like log n / log log n, p2c's like log log n (Mitzenmacher).
TEST(Simulator, PowerOfTwoChoicesKeepsTheLongestQueueShort) {
  auto longest = [](const std::string& balancer) {
    Scenario s;
    s.nodes = default_nodes(64);
    s.balancer = balancer;
    s.cache_policy = "none";
    s.service.miss_us = 1000;
    s.workload.rate = 0.9 * 64 * 1000;  // ρ = 0.9
    s.workload.requests = 300'000;
    s.interval_ms = 10;
    std::vector<Snapshot> snaps;
    simulate(s, &snaps);
    std::uint64_t worst = 0;
    for (const Snapshot& snap : snaps)
      for (const NodeSample& n : snap.nodes) worst = std::max(worst, n.queue_length + n.in_service);
    return worst;
  };
  const std::uint64_t random = longest("random"), p2c = longest("p2c");
  EXPECT_LT(p2c * 3, random) << "p2c " << p2c << ", random " << random;
  EXPECT_LE(p2c, 12u);
}

TEST(Simulator, ClosedLoopKeepsEveryClientBusy) {
  Scenario s = one_queue(0, 1000, 20'000);
  s.workload.mode = Workload::Mode::closed;
  s.workload.clients = 4;
  s.service.distribution = ServiceModel::Distribution::fixed;
  const RunReport r = simulate(s);
  expect_balanced(r);
  // One server, four clients, no think time: a fixed 1 ms service → 1000/s, each request
  // waits behind the three others: exactly 4 ms.
  EXPECT_NEAR(r.achieved_rps, 1000.0, 1.0);
  EXPECT_NEAR(r.total.mean_us, 4000.0, 5.0);
}

TEST(Simulator, ThinkTimeChangesLiveInAClosedLoop) {
  // Four clients, four slots, a fixed 1 ms service: a client's cycle is 1 ms + its think time.
  // 9 ms → 100 requests a second each (400 in all); 99 ms from t = 5 s on → 40 in all.
  Scenario s = one_queue(0, 1000, 0, 4);
  s.workload.mode = Workload::Mode::closed;
  s.workload.clients = 4;
  s.workload.think_ms = 9;
  s.workload.duration_s = 10;
  s.service.distribution = ServiceModel::Distribution::fixed;
  Simulator sim(s);
  std::vector<std::uint64_t> per_second;
  sim.subscribe([&](const Snapshot& snap) {
    per_second.push_back(snap.nodes[0].interval_completed);
    if (snap.t_ms == 5000) sim.set_think_time(99);  // on the simulator's own thread, as the UI's tick is not
  });
  const RunReport r = sim.run_to_end();
  expect_balanced(r);
  ASSERT_GE(per_second.size(), 10u);
  for (std::size_t k = 1; k < 5; ++k) EXPECT_NEAR(static_cast<double>(per_second[k]), 400.0, 4.0) << k;
  for (std::size_t k = 6; k < 10; ++k) EXPECT_NEAR(static_cast<double>(per_second[k]), 40.0, 4.0) << k;
  EXPECT_THROW(sim.set_think_time(-1), std::invalid_argument);
  EXPECT_THROW(sim.set_think_time(std::nan("")), std::invalid_argument);
}

TEST(Simulator, NodeLatencyHistogramIsTheDistributionBehindTheReport) {
  Scenario s;
  s.nodes = default_nodes(3);
  s.workload.rate = 3000;
  s.workload.requests = 20'000;
  Simulator sim(s);
  const RunReport r = sim.run_to_end();
  for (std::size_t i = 0; i < 3; ++i) {
    const Histogram h = sim.node_latency_histogram(i);
    EXPECT_EQ(h.count(), r.nodes[i].requests) << i;
    EXPECT_DOUBLE_EQ(h.quantile(0.99) / 1000, r.nodes[i].p99_us) << i;  // the report reads the same histogram
  }
  EXPECT_THROW(sim.node_latency_histogram(3), std::invalid_argument);
}

TEST(Simulator, MaxModeHoldsTheWindow) {
  Scenario s = one_queue(0, 100, 50'000, 2);
  s.workload.mode = Workload::Mode::max;
  s.workload.window = 8;
  const RunReport r = simulate(s);
  expect_balanced(r);
  EXPECT_LE(r.peak_in_flight, 8u);
  EXPECT_NEAR(r.achieved_rps, 20'000.0, 0.03 * 20'000.0);  // two slots of 100 µs
}

TEST(Simulator, KilledNodeFailsUntilHealthCheckingNotices) {
  Scenario s;
  s.nodes = default_nodes(4);
  s.workload.rate = 4000;
  s.workload.requests = 0;
  s.workload.duration_s = 3;
  s.faults.push_back({1.0, 1, FaultEvent::Action::kill});
  s.faults.push_back({2.0, 1, FaultEvent::Action::revive});
  const RunReport r = simulate(s);
  expect_balanced(r);
  // Passive checks (max_fails 1) take the node out after its first failure: a handful fail.
  EXPECT_GT(r.failed.node_down, 0u);
  EXPECT_LT(r.failed.node_down, 20u);
  EXPECT_LT(r.nodes[1].requests, r.nodes[0].requests);
}

TEST(Simulator, TenThousandNodes) {
  Scenario s;
  s.nodes = default_nodes(10'000);
  s.balancer = "random";
  s.workload.rate = 100'000;
  s.workload.requests = 200'000;
  s.cache_capacity = 10;
  const RunReport r = simulate(s);
  expect_balanced(r);
  EXPECT_EQ(r.completed, 200'000u);
}

TEST(Simulator, LiveKillsRetriesAndWritesNeverLoseARequest) {
  Scenario s;
  s.nodes = default_nodes(5);
  s.partitioning.kind = Partitioning::Kind::hash;
  s.partitioning.replication = 3;
  s.partitioning.write_quorum = 2;
  s.workload.write_fraction = 0.2;
  s.workload.rate = 20'000;
  s.workload.requests = 0;
  s.workload.duration_s = 20;
  s.retry.max_retries = 2;
  s.health.active_interval_ms = 50;
  Simulator sim(s);
  sim.set_pace(50);  // 20 s of virtual time in about 0.4 s, so live controls land mid-run
  test::SnapshotRecorder recorder;
  const RunReport r = test::run_to_end(sim, recorder, [](loadlab::Run& run) {
    for (int k = 0; k < 20; ++k) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      if (k % 2 == 0)
        run.kill(static_cast<std::size_t>(k / 2 % 5));
      else
        run.revive(static_cast<std::size_t>(k / 2 % 5));
      run.set_weight(static_cast<std::size_t>(k % 5), 1 + k % 3);
    }
  });
  test::expect_snapshots_balance(recorder.snapshots);
  test::expect_books_balance(r);
  EXPECT_GT(r.failed.node_down + r.failed.no_quorum, 0u);
  EXPECT_GT(r.retries, 0u);
}

TEST(Simulator, StopEndsTheRunWithNothingLost) {
  Scenario s = one_queue(2000, 400, 0);
  s.workload.duration_s = 86400;  // a long run, stopped after a little while
  Simulator sim(s);
  sim.set_pace(100);
  sim.start();
  EXPECT_FALSE(sim.wait_for(std::chrono::milliseconds(200)));
  sim.set_rate(4000);
  sim.kill(0);
  sim.revive(0);
  sim.request_stop();
  ASSERT_TRUE(sim.wait_for(std::chrono::seconds(10)));
  const RunReport r = sim.report();
  expect_balanced(r);
  EXPECT_TRUE(r.stopped_early);
  // Paced at 100×, 0.2 s of wall time is about 20 s of virtual time (the machine may lag).
  EXPECT_GT(r.elapsed_s, 2.0);
  EXPECT_LT(r.elapsed_s, 40.0);
}

}  // namespace
}  // namespace loadlab
