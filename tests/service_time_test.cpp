#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <sstream>
#include <vector>

#include "workload/service_time.h"

namespace loadlab {
namespace {

constexpr int kSamples = 1'000'000;

struct Moments {
  double mean = 0, second = 0, p99 = 0, min = 0, max = 0;
};

Moments measure(const ServiceTime& t, bool hit, std::uint64_t seed, int samples = kSamples) {
  Rng rng(seed);
  std::vector<double> v(static_cast<std::size_t>(samples));
  Moments m;
  for (double& x : v) {
    x = t.sample_us(hit, rng);
    m.mean += x / samples;
    m.second += x * x / samples;
  }
  const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
  m.min = *lo;
  m.max = *hi;
  std::nth_element(v.begin(), v.begin() + samples * 99 / 100, v.end());
  m.p99 = v[static_cast<std::size_t>(samples * 99 / 100)];
  return m;
}

ServiceModel model(ServiceModel::Distribution d) {
  ServiceModel m;
  m.distribution = d;
  m.hit_us = 50;
  m.miss_us = 500;
  return m;
}

// --- Today's behaviour, pinned: seeded runs must not move. -------------------------------

TEST(ServiceTime, FixedIsTheMeanAndDrawsNothing) {
  const ServiceTime t(model(ServiceModel::Distribution::fixed));
  Rng rng(7), untouched(7);
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(t.sample_us(true, rng), 50.0);
    EXPECT_EQ(t.sample_us(false, rng), 500.0);
    EXPECT_EQ(t.sample_us(false, rng, 0.5), 500.0 / 0.5);
  }
  EXPECT_EQ(rng.next(), untouched.next());
  EXPECT_EQ(t.second_moment_us2(false), 500.0 * 500.0);
}

TEST(ServiceTime, ExponentialDrawsExactlyRngExponentialOfTheMean) {
  const ServiceTime t(model(ServiceModel::Distribution::exponential));
  Rng rng(42), reference(42);
  for (int i = 0; i < 10'000; ++i) {
    const bool hit = i % 3 == 0;
    ASSERT_EQ(t.sample_us(hit, rng), reference.exponential(hit ? 50.0 : 500.0)) << i;
  }
  // With a node's speed: the mean is divided first, as Node::serve has always done.
  for (int i = 0; i < 10'000; ++i) {
    const double speed = i % 2 ? 0.5 : 3.0;
    ASSERT_EQ(t.sample_us(false, rng, speed), reference.exponential(500.0 / speed)) << i;
  }
  EXPECT_EQ(rng.next(), reference.next());
  EXPECT_EQ(t.second_moment_us2(true), 2 * 50.0 * 50.0);
}

// --- Means, second moments and tails: 1e6 samples, fixed seeds. ---------------------------
// The mean within 1% (each case's standard error is below 0.2%), the p99 within 2% of the
// exact quantile, E[S²] within 3% where it is finite and the tail light enough to estimate.

void expect_moments(const ServiceTime& t, bool hit, std::uint64_t seed, bool check_second = true) {
  const Moments m = measure(t, hit, seed);
  EXPECT_NEAR(m.mean, t.mean_us(hit), 0.01 * t.mean_us(hit)) << (hit ? "hit" : "miss");
  EXPECT_NEAR(m.p99, t.quantile_us(hit, 0.99), 0.02 * t.quantile_us(hit, 0.99)) << (hit ? "hit" : "miss");
  if (check_second) {
    EXPECT_NEAR(m.second, t.second_moment_us2(hit), 0.03 * t.second_moment_us2(hit)) << (hit ? "hit" : "miss");
  }
}

TEST(ServiceTime, LognormalHasTheMeanAndP99ItWasGiven) {
  ServiceModel m = model(ServiceModel::Distribution::lognormal);
  m.p99_us = 2000;
  const ServiceTime t(m);
  EXPECT_EQ(t.mean_us(false), 500);
  EXPECT_EQ(t.mean_us(true), 50);
  EXPECT_NEAR(t.quantile_us(false, 0.99), 2000, 1e-9 * 2000);
  EXPECT_NEAR(t.quantile_us(true, 0.99), 200, 1e-9 * 200);  // hits share the shape
  expect_moments(t, false, 1);
  expect_moments(t, true, 2);
  const Moments miss = measure(t, false, 3);
  EXPECT_NEAR(miss.p99, 2000, 0.02 * 2000);
}

TEST(ServiceTime, LognormalAtTheLargestP99RatioStillSolves) {
  ServiceModel m = model(ServiceModel::Distribution::lognormal);
  m.p99_us = kMaxLognormalP99Ratio * m.miss_us;
  const ServiceTime t(m);
  EXPECT_NEAR(t.quantile_us(false, 0.99), m.p99_us, 1e-6 * m.p99_us);
  // σ = z there, so E[S²] = mean² e^{z²}.
  EXPECT_NEAR(t.second_moment_us2(false), 500.0 * 500 * std::exp(kNormalQuantile99 * kNormalQuantile99),
              1e-6 * 2.5e5 * 225);
}

TEST(ServiceTime, ParetoWithAFiniteVarianceMatchesItsMoments) {
  ServiceModel m = model(ServiceModel::Distribution::pareto);
  m.alpha = 3;
  const ServiceTime t(m);
  // x_m = mean (alpha - 1) / alpha; P(S > x) = (x_m / x)^alpha.
  EXPECT_NEAR(t.quantile_us(false, 0.99), 500.0 * 2 / 3 * std::pow(0.01, -1.0 / 3), 1e-9 * 1500);
  EXPECT_NEAR(t.second_moment_us2(false), 3 * std::pow(500.0 * 2 / 3, 2) / (3 - 2), 1e-6);
  const Moments s = measure(t, false, 4);
  EXPECT_NEAR(s.min, 500.0 * 2 / 3, 1e-3);              // never below x_m
  expect_moments(t, false, 5, /*check_second=*/false);  // E[S³] is infinite at alpha 3
}

TEST(ServiceTime, ParetoHeavyTailHasAnInfiniteSecondMomentAndTheRightQuantiles) {
  ServiceModel m = model(ServiceModel::Distribution::pareto);
  m.alpha = 1.5;
  const ServiceTime t(m);
  EXPECT_TRUE(std::isinf(t.second_moment_us2(false)));
  EXPECT_EQ(t.second_moment_us2(true) == std::numeric_limits<double>::infinity(), true);
  const Moments s = measure(t, false, 6);
  EXPECT_NEAR(s.p99, t.quantile_us(false, 0.99), 0.02 * t.quantile_us(false, 0.99));
  // The sample mean of an infinite-variance tail converges slowly: 3% here.
  EXPECT_NEAR(s.mean, 500, 0.03 * 500);
}

TEST(ServiceTime, BoundedParetoStaysInItsBoundsWithTheRightMean) {
  for (double alpha : {0.5, 1.0, 1.1, 2.0, 2.5}) {
    ServiceModel m = model(ServiceModel::Distribution::bounded_pareto);
    m.alpha = alpha;
    m.max_us = 20'000;
    const ServiceTime t(m);
    const Moments s = measure(t, false, 7);
    EXPECT_LE(s.max, 20'000) << alpha;
    EXPECT_GT(s.min, 0) << alpha;
    EXPECT_NEAR(t.quantile_us(false, 1 - 1e-15), 20'000, 1) << alpha;
    EXPECT_NEAR(s.mean, 500, 0.01 * 500) << alpha;
    EXPECT_NEAR(s.second, t.second_moment_us2(false), 0.03 * t.second_moment_us2(false)) << alpha;
    EXPECT_NEAR(s.p99, t.quantile_us(false, 0.99), 0.02 * t.quantile_us(false, 0.99)) << alpha;
    EXPECT_TRUE(std::isfinite(t.second_moment_us2(false)));
  }
}

TEST(ServiceTime, BimodalHasTwoValuesInTheGivenShares) {
  ServiceModel m = model(ServiceModel::Distribution::bimodal);
  m.slow_probability = 0.05;
  m.slow_factor = 20;
  const ServiceTime t(m);
  const double fast = 500 / (0.95 + 0.05 * 20);
  Rng rng(8);
  std::set<double> values;
  int slow = 0;
  for (int i = 0; i < kSamples; ++i) {
    const double x = t.sample_us(false, rng);
    values.insert(x);
    slow += x > fast * 1.5;
  }
  ASSERT_EQ(values.size(), 2u);
  EXPECT_NEAR(*values.begin(), fast, 1e-9);
  EXPECT_NEAR(*values.rbegin(), 20 * fast, 1e-9);
  // Binomial: 5 standard deviations of the slow share.
  EXPECT_NEAR(slow / double(kSamples), 0.05, 5 * std::sqrt(0.05 * 0.95 / kSamples));
  expect_moments(t, false, 9);
  EXPECT_NEAR(t.second_moment_us2(false), 0.95 * fast * fast + 0.05 * 400 * fast * fast, 1e-6);
}

TEST(ServiceTime, ZeroHitTimeStaysZeroForEveryShape) {
  using D = ServiceModel::Distribution;
  for (D d : {D::lognormal, D::pareto, D::bounded_pareto, D::bimodal}) {
    ServiceModel m = model(d);
    m.hit_us = 0;
    const ServiceTime t(m);
    Rng rng(1);
    EXPECT_EQ(t.sample_us(true, rng), 0) << to_string(d);
    EXPECT_EQ(t.second_moment_us2(true), 0) << to_string(d);
  }
}

// --- Empirical latencies. ----------------------------------------------------------------

EmpiricalLatencies parse(const std::string& text) {
  std::istringstream in(text);
  return EmpiricalLatencies::parse(in, "lat.csv");
}

ServiceModel empirical(const EmpiricalLatencies& e, double miss_us) {
  ServiceModel m = model(ServiceModel::Distribution::empirical);
  m.latencies = std::make_shared<const EmpiricalLatencies>(e);
  m.miss_us = miss_us;
  m.file = "lat.csv";
  return m;
}

TEST(EmpiricalLatencies, SamplesWithHeaderAreTheirOwnDistribution) {
  const EmpiricalLatencies e = parse("latency_us\n100\n300\n\n200\r\n100\n");
  EXPECT_EQ(e.count(), 4u);
  EXPECT_EQ(e.distinct(), 3u);
  EXPECT_DOUBLE_EQ(e.mean(), 175);
  EXPECT_DOUBLE_EQ(e.second_moment(), (100.0 * 100 * 2 + 200 * 200 + 300 * 300) / 4);
  EXPECT_EQ(e.quantile(0.5), 100);
  EXPECT_EQ(e.quantile(0.51), 200);
  EXPECT_EQ(e.quantile(1.0), 300);
  Rng rng(3);
  std::vector<int> seen(4, 0);
  for (int i = 0; i < 400'000; ++i) ++seen[static_cast<std::size_t>(e.sample(rng) / 100)];
  EXPECT_NEAR(seen[1] / 400'000.0, 0.5, 0.005);
  EXPECT_NEAR(seen[2] / 400'000.0, 0.25, 0.005);
  EXPECT_NEAR(seen[3] / 400'000.0, 0.25, 0.005);
}

TEST(EmpiricalLatencies, HistogramCountsWeighTheValues) {
  const EmpiricalLatencies e = parse("value_us,count\n100, 9900\n5000,100\n20000,0\n");
  EXPECT_EQ(e.count(), 10'000u);
  EXPECT_DOUBLE_EQ(e.mean(), (100.0 * 9900 + 5000 * 100) / 10'000);
  EXPECT_EQ(e.quantile(0.99), 100);
  EXPECT_EQ(e.quantile(0.9901), 5000);
}

TEST(ServiceTime, EmpiricalMissesAreTheMeasuredTimesAndHitsTheScaledShape) {
  const EmpiricalLatencies e = parse("120\n80\n400\n1000\n");
  const ServiceTime t(empirical(e, e.mean()));
  const std::set<double> measured{80, 120, 400, 1000};
  Rng rng(5);
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(measured.count(t.sample_us(false, rng)));
  expect_moments(t, false, 10);
  expect_moments(t, true, 11);
  EXPECT_DOUBLE_EQ(t.mean_us(false), 400);
  EXPECT_DOUBLE_EQ(t.second_moment_us2(true), 50.0 * 50 * e.second_moment() / (400.0 * 400));
  EXPECT_DOUBLE_EQ(t.quantile_us(true, 1.0), 1000 * 50.0 / 400);

  // A given miss_us rescales the file to that mean.
  const ServiceTime scaled(empirical(e, 800));
  EXPECT_DOUBLE_EQ(scaled.quantile_us(false, 1.0), 2000);
  expect_moments(scaled, false, 12);
}

// --- Bad input names the field (or the line) and the value. -------------------------------

void expect_file_error(const std::string& text, const std::string& needle) {
  try {
    parse(text);
    ADD_FAILURE() << "no error for " << text;
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("lat.csv"), std::string::npos) << e.what();
  }
}

TEST(EmpiricalLatencies, MalformedFilesSayWhichLineAndWhy) {
  expect_file_error("100\nabc\n", "line 2: 'abc' is not a number");
  expect_file_error("100\n12a\n", "line 2: '12a' is not a number");
  expect_file_error("latency\n100\n-5\n", "line 3: a latency cannot be negative (got -5)");
  expect_file_error("", "no latencies");
  expect_file_error("latency_us\n\n", "no latencies");
  expect_file_error("100,1\n200\n", "line 2: expected 2 columns like the lines before (got 1)");
  expect_file_error("100,1,2\n", "got 3 columns");
  expect_file_error("100,2.5\n", "count '2.5' is not a whole number");
  expect_file_error("100,-1\n", "count '-1'");
  expect_file_error("100\nnan\n", "line 2: 'nan' is not a finite number");
  expect_file_error("100\n-inf\n", "'-inf' is not a finite number");
  expect_file_error("1e300\n", "at most");
  expect_file_error("100,0\n", "no latencies");
}

TEST(EmpiricalLatencies, MissingFileIsNamed) {
  try {
    EmpiricalLatencies::load("/nonexistent/lat.csv");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("latency file '/nonexistent/lat.csv' does not exist"), std::string::npos)
        << e.what();
  }
  try {
    EmpiricalLatencies::load("/tmp");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("latency file '/tmp' is a directory"), std::string::npos) << e.what();
  }
}

void expect_problem(const ServiceModel& m, const std::string& field, const std::string& needle) {
  const auto problem = check_service_model(m);
  ASSERT_TRUE(problem) << "no problem found, expected " << field;
  EXPECT_EQ(problem->field, field) << problem->problem;
  EXPECT_NE(problem->problem.find(needle), std::string::npos) << problem->problem;
  EXPECT_THROW(ServiceTime{m}, std::invalid_argument);
}

TEST(ServiceTime, BadParametersNameFieldAndValue) {
  using D = ServiceModel::Distribution;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  ServiceModel m = model(D::lognormal);
  m.p99_us = 40;
  expect_problem(m, "p99_us", "must be greater than the mean miss_us 500 (got 40)");
  m.p99_us = 500;
  expect_problem(m, "p99_us", "(got 500)");
  m.p99_us = 8000;
  expect_problem(m, "p99_us", "at most 14.9");
  m.p99_us = nan;
  expect_problem(m, "p99_us", "got nan");
  m = model(D::lognormal);
  m.miss_us = 0;
  expect_problem(m, "miss_us", "must be > 0 for a lognormal");
  m = model(D::pareto);
  m.alpha = 1;
  expect_problem(m, "alpha", "must be > 1 and <= 100 for a Pareto service time with a finite mean (got 1)");
  m.alpha = -2;
  expect_problem(m, "alpha", "got -2");
  m = model(D::bounded_pareto);
  m.alpha = 0.05;
  expect_problem(m, "alpha", "from 0.1 to 100 (got 0.05)");
  m = model(D::bounded_pareto);
  m.max_us = 400;
  expect_problem(m, "max_us", "greater than the mean miss_us 500 (got 400)");
  m.max_us = 1e9;
  expect_problem(m, "max_us", "got 1000000000");
  m = model(D::bimodal);
  m.slow_probability = 1.5;
  expect_problem(m, "slow_probability", "got 1.5");
  m.slow_probability = 0.1;
  m.slow_factor = 0.5;
  expect_problem(m, "slow_factor", "from 1 to 1000000 (got 0.5)");
  m = model(D::exponential);
  m.hit_us = -1;
  expect_problem(m, "hit_us", "got -1");
  m.hit_us = 1;
  m.miss_us = nan;
  expect_problem(m, "miss_us", "got nan");
  m = model(D::empirical);
  expect_problem(m, "file", "no latencies loaded");
  m = empirical(parse("0\n0\n"), 0);
  expect_problem(m, "file", "every latency in 'lat.csv' is 0");
  EXPECT_FALSE(check_service_model(model(D::exponential)));
}

}  // namespace
}  // namespace loadlab
