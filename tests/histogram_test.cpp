#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "base/random.h"
#include "metrics/histogram.h"

namespace loadlab {
namespace {

TEST(Histogram, EveryValueFallsInItsBucketWithinOnePercent) {
  Rng rng(5);
  for (int i = 0; i < 200'000; ++i) {
    // Log-uniform over 1 ns .. 2^39 ns.
    const auto v = static_cast<std::uint64_t>(std::exp2(rng.uniform() * 39.0));
    const std::size_t b = Histogram::bucket_of(v);
    ASSERT_LE(Histogram::bucket_low(b), v);
    ASSERT_LT(v, Histogram::bucket_high(b));
    ASSERT_LE(std::abs(Histogram::bucket_mid(b) - static_cast<double>(v)), 0.01 * static_cast<double>(v) + 0.5);
  }
}

TEST(Histogram, BucketsAreContiguous) {
  for (std::size_t b = 0; b + 1 < Histogram::kBucketCount; ++b)
    ASSERT_EQ(Histogram::bucket_high(b), Histogram::bucket_low(b + 1)) << b;
}

TEST(Histogram, QuantilesWithinOnePercentOfExact) {
  Rng rng(9);
  Histogram h;
  std::vector<std::uint64_t> values;
  for (int i = 0; i < 100'000; ++i) {
    const auto v = static_cast<std::uint64_t>(rng.exponential(250'000.0)) + 1000;  // ~250 µs
    values.push_back(v);
    h.record(v);
  }
  std::sort(values.begin(), values.end());
  for (double q : {0.5, 0.9, 0.95, 0.99, 0.999}) {
    const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(values.size())));
    const double exact = static_cast<double>(values[rank - 1]);
    EXPECT_NEAR(h.quantile(q), exact, 0.01 * exact) << "q=" << q;
  }
  EXPECT_EQ(h.count(), 100'000u);
}

TEST(Histogram, MergeEqualsRecordingEverything) {
  Histogram a, b, all;
  for (std::uint64_t v = 1; v < 100'000; v += 7) {
    (v % 2 ? a : b).record(v);
    all.record(v);
  }
  a.merge(b);
  EXPECT_EQ(a.count(), all.count());
  for (std::size_t i = 0; i < Histogram::kBucketCount; ++i) ASSERT_EQ(a.bucket_count(i), all.bucket_count(i));
  EXPECT_DOUBLE_EQ(a.quantile(0.99), all.quantile(0.99));
}

TEST(Histogram, DifferenceOfCumulativeReadingsIsTheInterval) {
  HistogramRecorder recorder;
  Histogram first, second, interval;
  for (int i = 0; i < 100; ++i) recorder.record(1000);
  recorder.read_into(first);
  for (int i = 0; i < 50; ++i) recorder.record(5'000'000);
  recorder.read_into(second);
  interval.assign_difference(second, first);
  EXPECT_EQ(interval.count(), 50u);
  EXPECT_NEAR(interval.quantile(0.5), 5'000'000, 50'000);
}

TEST(Histogram, EmptyAndClampedValues) {
  Histogram h;
  EXPECT_EQ(h.quantile(0.5), 0.0);
  h.record(~0ULL);  // beyond the range: clamped into the last bucket, not lost
  EXPECT_EQ(h.count(), 1u);
  EXPECT_EQ(h.bucket_count(Histogram::kBucketCount - 1), 1u);
}

}  // namespace
}  // namespace loadlab
