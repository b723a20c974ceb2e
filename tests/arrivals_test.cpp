#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "workload/arrivals.h"

namespace loadlab {
namespace {

RateSchedule schedule(std::vector<RatePoint> points, RateSchedule::Shape shape = RateSchedule::Shape::steps,
                      double period_s = 0) {
  RateSchedule s;
  s.points = std::move(points);
  s.shape = shape;
  s.period_s = period_s;
  return s;
}

// Arrivals in [from, to) after the first one at 0.
std::uint64_t count_in(ArrivalProcess& p, Rng& rng, double from_ns, double to_ns) {
  std::uint64_t n = from_ns <= 0 && to_ns > 0;
  for (double t = 0; (t = p.next_ns(t, rng)) < to_ns;) n += t >= from_ns;
  return n;
}

// --- Today's behaviour, pinned. ----------------------------------------------------------

TEST(Arrivals, PoissonDrawsExactlyWhatTheEngineAlwaysHas) {
  ArrivalProcess p(ArrivalKind::poisson, 2500);
  Rng rng(11), reference(11);
  double last = 0, expected = 0;
  for (int i = 0; i < 10'000; ++i) {
    const double next = p.next_ns(last, rng);
    expected += reference.exponential(1e9 / 2500);  // engine.cpp: next_ns += gap_ns()
    ASSERT_EQ(next, expected) << i;
    last = next;
  }
  EXPECT_EQ(rng.next(), reference.next());
}

TEST(Arrivals, ConstantIsEvenlySpacedAndDrawsNothing) {
  ArrivalProcess p(ArrivalKind::constant, 3000);
  Rng rng(1), untouched(1);
  double t = 0, expected = 0;
  for (int i = 0; i < 1000; ++i) {
    t = p.next_ns(t, rng);
    expected += 1e9 / 3000;
    ASSERT_EQ(t, expected);
  }
  EXPECT_EQ(rng.next(), untouched.next());
}

// --- Schedules. --------------------------------------------------------------------------

TEST(Arrivals, StepsWithConstantArrivalsGiveAnExactSequence) {
  // 1000/s for 10 ms, then 5000/s.
  ArrivalProcess p(ArrivalKind::constant, 5000, schedule({{0, 1000}, {0.01, 5000}}));
  Rng rng(1);
  std::vector<double> times{0};
  while (times.size() < 16) times.push_back(p.next_ns(times.back(), rng));
  for (int i = 0; i <= 10; ++i) EXPECT_EQ(times[static_cast<std::size_t>(i)], i * 1e6) << i;
  for (int i = 11; i < 16; ++i) EXPECT_EQ(times[static_cast<std::size_t>(i)], 1e7 + (i - 10) * 2e5) << i;
}

TEST(Arrivals, AGapAcrossAStepFinishesAtTheNewRate) {
  // Half the gap at 1000/s (0.5 ms), the other half at 2000/s (0.25 ms).
  ArrivalProcess p(ArrivalKind::constant, 2000, schedule({{0, 1000}, {0.0015, 2000}}));
  Rng rng(1);
  EXPECT_EQ(p.next_ns(1e6, rng), 1.75e6);
}

TEST(Arrivals, LinearRampInvertsTheCumulativeRate) {
  // r(t) = 2000 t/s over the first second: Λ(t) = 1000 t², so arrival k is at sqrt(k/1000) s.
  ArrivalProcess p(ArrivalKind::constant, 2000, schedule({{0, 0}, {1, 2000}}, RateSchedule::Shape::linear));
  Rng rng(1);
  double t = 0;
  for (int k = 1; k <= 1000; ++k) {
    t = p.next_ns(t, rng);
    ASSERT_NEAR(t, std::sqrt(k / 1000.0) * 1e9, 1e-3) << k;  // to a picosecond
  }
  EXPECT_NEAR(p.rate_at(0.25e9), 500, 1e-9);
  EXPECT_EQ(p.rate_at(5e9), 2000);  // holds after the last point
  EXPECT_NEAR(p.mean_rate_over(0, 1e9), 1000, 1e-9);
}

TEST(Arrivals, NonHomogeneousPoissonCountsMatchTheIntegralOfTheRate) {
  ArrivalProcess p(ArrivalKind::poisson, 5000,
                   schedule({{0, 1000}, {10, 5000}, {20, 1000}}, RateSchedule::Shape::linear));
  EXPECT_NEAR(p.mean_rate_over(0, 20e9), 3000, 1e-9);
  EXPECT_NEAR(p.mean_rate_over(0, 5e9), 2000, 1e-9);  // ∫0^5 (1000 + 400 t) dt = 10000
  // Counts are Poisson: within 4 standard deviations of the integral over each window.
  for (auto [from, to] : {std::pair{0.0, 20e9}, {0.0, 5e9}, {8e9, 12e9}, {15e9, 25e9}}) {
    Rng rng(21);
    const double expected = p.mean_rate_over(from, to) * (to - from) / 1e9;
    const auto n = static_cast<double>(count_in(p, rng, from, to));
    EXPECT_NEAR(n, expected, 4 * std::sqrt(expected)) << from << " to " << to;
  }
}

TEST(Arrivals, RepeatingScheduleIsADiurnalCurve) {
  // A 10 s "day": 1000/s at midnight, 3000/s at noon, back to 1000/s.
  ArrivalProcess p(ArrivalKind::poisson, 3000,
                   schedule({{0, 1000}, {5, 3000}}, RateSchedule::Shape::linear, /*period_s=*/10));
  EXPECT_NEAR(p.rate_at(12.5e9), 2000, 1e-9);
  EXPECT_NEAR(p.rate_at(17.5e9), 2000, 1e-9);
  EXPECT_NEAR(p.rate_at(30e9), 1000, 1e-9);
  EXPECT_NEAR(p.mean_rate_over(0, 100e9), 2000, 1e-6);
  EXPECT_NEAR(p.mean_rate_over(0, 86'400e9), 2000, 1e-6);  // whole periods at once
  Rng rng(5);
  const auto n = static_cast<double>(count_in(p, rng, 0, 100e9));
  EXPECT_NEAR(n, 200'000, 4 * std::sqrt(200'000.0));
}

TEST(Arrivals, RepeatingStepsHoldTheLastRateUntilThePeriodEnds) {
  ArrivalProcess p(ArrivalKind::constant, 2000, schedule({{0, 1000}, {1, 2000}}, RateSchedule::Shape::steps, 3));
  EXPECT_EQ(p.rate_at(0.5e9), 1000);
  EXPECT_EQ(p.rate_at(2.5e9), 2000);
  EXPECT_EQ(p.rate_at(3.5e9), 1000);
  EXPECT_NEAR(p.mean_rate_over(0, 30e9), (1000.0 + 2 * 2000) / 3, 1e-9);
  Rng rng(1);
  EXPECT_EQ(count_in(p, rng, 0, 3e9), 5000u);  // the one at 0, then Λ = 1 ... 4999 (Λ = 5000 is at 3 s)
}

// --- Bursty (MMPP). ----------------------------------------------------------------------

TEST(Arrivals, BurstyLongRunRateIsTheMeanOfTheStates) {
  BurstyArrivals b{5000, 500, 0.01, 0.04};
  EXPECT_DOUBLE_EQ(b.mean_rate(), 1400);
  ArrivalProcess p(ArrivalKind::bursty, b.mean_rate(), {}, b);
  EXPECT_DOUBLE_EQ(p.rate_at(3e9), 1400);
  EXPECT_DOUBLE_EQ(p.mean_rate_over(0, 10e9), 1400);
  // Over 5000 s the count's standard deviation is about 0.23% (MMPP variance
  // λ + 2Δλ² p_on p_off / (r_on + r_off) per second): 1% is over 4 of them.
  Rng rng(33);
  const auto n = static_cast<double>(count_in(p, rng, 0, 5000e9));
  EXPECT_NEAR(n / 5000, 1400, 0.01 * 1400);
}

TEST(Arrivals, BurstyGapsAreBurstierThanPoisson) {
  // Squared coefficient of variation of the gaps: 1 for Poisson, well above for on/off.
  auto cv2 = [](ArrivalProcess p) {
    Rng rng(9);
    double t = 0, sum = 0, sum2 = 0;
    const int n = 200'000;
    for (int i = 0; i < n; ++i) {
      const double next = p.next_ns(t, rng);
      sum += next - t;
      sum2 += (next - t) * (next - t);
      t = next;
    }
    const double mean = sum / n;
    return (sum2 / n - mean * mean) / (mean * mean);
  };
  EXPECT_NEAR(cv2(ArrivalProcess(ArrivalKind::poisson, 1000)), 1, 0.03);
  EXPECT_GT(cv2(ArrivalProcess(ArrivalKind::bursty, 1000, {}, BurstyArrivals{4600, 100, 0.5, 2})), 3);
}

// --- Live control. -----------------------------------------------------------------------

TEST(Arrivals, SetRateOnPoissonDrawsAfreshFromTheChange) {
  ArrivalProcess p(ArrivalKind::poisson, 1000);
  Rng rng(4), reference(4);
  const double first = p.next_ns(0, rng);
  EXPECT_EQ(first, reference.exponential(1e6));
  const double now = first / 2;
  p.set_rate(4000, now);
  EXPECT_EQ(p.nominal_rate(), 4000);
  // The pending arrival is discarded and redrawn from the change: memoryless.
  const double redrawn = p.next_ns(0, rng);
  EXPECT_EQ(redrawn, now + reference.exponential(1e9 / 4000));
  EXPECT_GE(redrawn, now);
  EXPECT_EQ(p.next_ns(redrawn, rng), redrawn + reference.exponential(1e9 / 4000));
  EXPECT_EQ(p.rate_at(now / 2), 1000);
  EXPECT_EQ(p.rate_at(now), 4000);
  EXPECT_NEAR(p.mean_rate_over(0, 2 * now), 2500, 1e-9);
}

TEST(Arrivals, SetRateOnConstantFinishesTheGapAtTheNewRate) {
  ArrivalProcess p(ArrivalKind::constant, 1000);
  Rng rng(1);
  EXPECT_EQ(p.next_ns(0, rng), 1e6);
  p.set_rate(2000, 0.5e6);  // half the 1 ms gap has passed: the other half takes 0.25 ms
  EXPECT_EQ(p.next_ns(0, rng), 0.75e6);
  EXPECT_EQ(p.next_ns(0.75e6, rng), 1.25e6);
  // A caller late past the old gap gets the change time, not a time in the past.
  p.set_rate(10, 5e6);
  p.set_rate(1000, 6e6);
  EXPECT_GE(p.next_ns(1.25e6, rng), 6e6);
}

TEST(Arrivals, SetRateScalesASchedule) {
  ArrivalProcess p(ArrivalKind::constant, 3000, schedule({{0, 1000}, {1, 3000}}));
  p.set_rate(6000, 0.5e9);  // twice the peak: the whole schedule doubles from 0.5 s on
  Rng rng(1);
  EXPECT_EQ(p.next_ns(0.5e9, rng), 0.5e9 + 0.5e6);  // 2000/s just after the change
  EXPECT_EQ(p.rate_at(0.25e9), 1000);
  EXPECT_EQ(p.rate_at(0.75e9), 2000);
  EXPECT_EQ(p.rate_at(1.5e9), 6000);
  EXPECT_NEAR(p.mean_rate_over(0, 1e9), 1500, 1e-9);
  p.set_rate(6000, 0.7e9);  // does not compound
  EXPECT_EQ(p.rate_at(1.5e9), 6000);
  p.set_rate(3000, 2e9);  // the schedule as written again
  EXPECT_EQ(p.rate_at(2.5e9), 3000);
}

TEST(Arrivals, SetRateScalesBurstyToTheNewMean) {
  BurstyArrivals b{5000, 500, 0.01, 0.04};
  ArrivalProcess p(ArrivalKind::bursty, 1400, {}, b);
  p.set_rate(2800, 0);
  EXPECT_DOUBLE_EQ(p.mean_rate_over(0, 10e9), 2800);
  Rng rng(8);
  const auto n = static_cast<double>(count_in(p, rng, 0, 1000e9));
  EXPECT_NEAR(n / 1000, 2800, 0.02 * 2800);
}

TEST(Arrivals, AScenarioRateScalesTheScheduleAndBursty) {
  // The nominal rate is the schedule's peak and the bursty long-run mean.
  ArrivalProcess half(ArrivalKind::constant, 2500, schedule({{0, 1000}, {1, 5000}}));
  EXPECT_EQ(half.rate_at(0), 500);
  EXPECT_EQ(half.rate_at(2e9), 2500);
  ArrivalProcess doubled(ArrivalKind::bursty, 2800, {}, BurstyArrivals{5000, 500, 0.01, 0.04});
  EXPECT_DOUBLE_EQ(doubled.rate_at(0), 2800);
}

TEST(Arrivals, TimesNeverGoBackAndAreNeverNaN) {
  std::vector<ArrivalProcess> processes{
      ArrivalProcess(ArrivalKind::poisson, 100),
      ArrivalProcess(ArrivalKind::constant, 7,
                     schedule({{0, 3}, {0.5, 0}, {0.7, 1e6}}, RateSchedule::Shape::linear, 1)),
      ArrivalProcess(ArrivalKind::poisson, 1e6, schedule({{0, 0}, {0.001, 1e6}}, RateSchedule::Shape::linear)),
      ArrivalProcess(ArrivalKind::bursty, 50, {}, BurstyArrivals{100, 0, 0.001, 0.01}),
  };
  for (ArrivalProcess& p : processes) {
    Rng rng(2);
    double t = 0;
    for (int i = 0; i < 20'000; ++i) {
      if (i == 10'000) p.set_rate(p.nominal_rate() * 3, t + 1);
      const double next = p.next_ns(t, rng);
      ASSERT_FALSE(std::isnan(next));
      ASSERT_GE(next, t) << i;
      t = next;
    }
  }
}

TEST(Arrivals, SetRateRejectsBadRates) {
  ArrivalProcess p(ArrivalKind::poisson, 100);
  EXPECT_THROW(p.set_rate(0, 0), std::invalid_argument);
  EXPECT_THROW(p.set_rate(-1, 0), std::invalid_argument);
  EXPECT_THROW(p.set_rate(std::numeric_limits<double>::quiet_NaN(), 0), std::invalid_argument);
  EXPECT_THROW(ArrivalProcess(ArrivalKind::poisson, 0), std::invalid_argument);
}

// --- Bad input names the field and the value. --------------------------------------------

void expect_problem(ArrivalKind kind, const RateSchedule& s, const BurstyArrivals& b, const std::string& field,
                    const std::string& needle) {
  const auto problem = check_arrivals(kind, s, b);
  ASSERT_TRUE(problem) << "no problem found, expected " << field;
  EXPECT_EQ(problem->field, field) << problem->problem;
  EXPECT_NE(problem->problem.find(needle), std::string::npos) << problem->problem;
  EXPECT_THROW(ArrivalProcess(kind, 100, s, b), std::invalid_argument);
}

TEST(Arrivals, BadSchedulesAndBurstsNameFieldAndValue) {
  const auto P = ArrivalKind::poisson;
  const BurstyArrivals ok;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  expect_problem(P, schedule({{0, 1000}, {20, 5000}, {10, 1000}}), ok, "rate_schedule.points[2].at_s",
                 "in time order: 10 s comes after 20 s (got 10)");
  expect_problem(P, schedule({{0, 1000}, {0, 5000}}), ok, "rate_schedule.points[1].at_s", "(got 0)");
  expect_problem(P, schedule({{5, 1000}}), ok, "rate_schedule.points[0].at_s", "must be at 0 s");
  expect_problem(P, schedule({{0, -3}}), ok, "rate_schedule.points[0].rate", "got -3");
  expect_problem(P, schedule({{0, nan}}), ok, "rate_schedule.points[0].rate", "got nan");
  expect_problem(P, schedule({{0, 2e7}}), ok, "rate_schedule.points[0].rate", "got 20000000");
  expect_problem(P, schedule({{0, 1000}, {nan, 5}}), ok, "rate_schedule.points[1].at_s", "got nan");
  expect_problem(P, schedule({{0, 1000}, {10, 0}}), ok, "rate_schedule.points[1].rate", "must be > 0 (got 0)");
  expect_problem(P, schedule({{0, 0}, {10, 0}}, RateSchedule::Shape::steps, 20), ok, "rate_schedule.points",
                 "every rate is 0");
  expect_problem(P, schedule({{0, 1000}, {10, 50}}, RateSchedule::Shape::steps, 10), ok, "rate_schedule.period_s",
                 "(got 10)");
  expect_problem(P, schedule({{0, 1000}}, RateSchedule::Shape::steps, -1), ok, "rate_schedule.period_s", "(got -1)");
  expect_problem(ArrivalKind::bursty, schedule({{0, 1000}}), ok, "rate_schedule", "not used with bursty");
  expect_problem(ArrivalKind::bursty, {}, BurstyArrivals{0, 1, 1, 1}, "bursty.on_rate", "got 0");
  expect_problem(ArrivalKind::bursty, {}, BurstyArrivals{10, -1, 1, 1}, "bursty.off_rate", "got -1");
  expect_problem(ArrivalKind::bursty, {}, BurstyArrivals{10, 1, 0, 1}, "bursty.mean_on_s", "got 0");
  expect_problem(ArrivalKind::bursty, {}, BurstyArrivals{10, 1, 1, nan}, "bursty.mean_off_s", "got nan");
  EXPECT_FALSE(check_arrivals(P, schedule({{0, 1000}, {10, 5000}}), ok));
  EXPECT_FALSE(check_arrivals(P, {}, BurstyArrivals{-1, -1, -1, -1}));  // bursty parameters unused
}

}  // namespace
}  // namespace loadlab
