// The dashboard's series, computed without a widget: exact sums, theory's rates, the x range
// and which intervals give a point.
#include <gtest/gtest.h>

#include <cmath>

#include "chart_series.h"

namespace loadlab::ui {
namespace {

// A snapshot every 100 ms: node i completes `completed[i]` requests, `hits[i]` of them hits.
Snapshot snapshot(std::int64_t t_ms, std::vector<std::uint64_t> completed, std::vector<std::uint64_t> hits,
                  std::vector<double> expected, double p50_us = 1000) {
  Snapshot s;
  s.t_ms = t_ms;
  s.interval_s = 0.1;
  s.p50_us = p50_us;
  s.p95_us = s.p99_us = s.mean_us = p50_us;
  for (std::size_t i = 0; i < completed.size(); ++i) {
    NodeSample n;
    n.interval_completed = completed[i];
    n.interval_hits = hits[i];
    n.interval_misses = completed[i] - hits[i];
    n.in_flight = i + 1;
    n.expected_share = expected[i];
    s.nodes.push_back(n);
  }
  return s;
}

TEST(ChartSeries, RecentCompletionsSumTheNewestSpan) {
  std::deque<Snapshot> all;
  for (int k = 1; k <= 15; ++k) all.push_back(snapshot(100 * k, {10, 30}, {5, 0}, {0.25, 0.75}));
  const RecentCompletions r = recent_completions(all, 2, 10);
  EXPECT_EQ(r.from, 5u);
  EXPECT_DOUBLE_EQ(r.completed[0], 100);
  EXPECT_DOUBLE_EQ(r.completed[1], 300);
  EXPECT_DOUBLE_EQ(r.total, 400);
  EXPECT_NEAR(r.seconds, 1.0, 1e-12);
  EXPECT_NEAR(r.rps(), 400, 1e-9);
}

TEST(ChartSeries, BarsCarryTheorysRateForTheMeasuredTotal) {
  std::deque<Snapshot> all;
  for (int k = 1; k <= 10; ++k) all.push_back(snapshot(100 * k, {10, 30}, {5, 0}, {0.5, std::nan("")}));
  const auto bars = share_bars(recent_completions(all, 2, 10), all.back(), {"a", "b"}, {Qt::red, Qt::blue});
  ASSERT_EQ(bars.size(), 2u);
  EXPECT_EQ(bars[0].name, "a");
  EXPECT_NEAR(bars[0].rps, 100, 1e-9);
  EXPECT_NEAR(bars[0].share, 0.25, 1e-12);
  EXPECT_NEAR(bars[0].expected_rps, 200, 1e-9);  // half of the 400 req/s measured in all
  EXPECT_DOUBLE_EQ(bars[1].expected_share, -1);  // no closed form: no marker
  EXPECT_DOUBLE_EQ(bars[1].expected_rps, -1);
}

TEST(ChartSeries, LinesSkipIntervalsWithoutLookupsOrCompletions) {
  std::deque<Snapshot> all;
  all.push_back(snapshot(100, {10, 0}, {5, 0}, {0.5, 0.5}));
  all.push_back(snapshot(200, {0, 0}, {0, 0}, {0.5, 0.5}, std::nan("")));
  all.push_back(snapshot(300, {4, 4}, {1, 4}, {0.5, 0.5}));
  const TimeLines lines = time_lines(all, 2, 600, 100);
  ASSERT_EQ(lines.hit.size(), 2u);
  ASSERT_EQ(lines.hit[0].size(), 2);  // the empty interval has no hit ratio
  EXPECT_DOUBLE_EQ(lines.hit[0][0].y(), 50);
  EXPECT_DOUBLE_EQ(lines.hit[0][1].y(), 25);
  ASSERT_EQ(lines.hit[1].size(), 1);
  EXPECT_DOUBLE_EQ(lines.hit[1][0].x(), 0.3);
  EXPECT_DOUBLE_EQ(lines.hit[1][0].y(), 100);
  EXPECT_EQ(lines.in_flight[1].size(), 3);  // in flight is drawn every interval
  EXPECT_DOUBLE_EQ(lines.in_flight[1][0].y(), 2);
  ASSERT_EQ(lines.latency.size(), 4u);
  EXPECT_EQ(lines.latency[1].size(), 2);           // no percentile where nothing completed
  EXPECT_DOUBLE_EQ(lines.latency[1][0].y(), 1.0);  // ms
  EXPECT_DOUBLE_EQ(lines.x_from, 0);
  EXPECT_DOUBLE_EQ(lines.x_to, 10);  // at least 10 s wide
}

TEST(ChartSeries, LinesKeepTheNewestSpanAndTheXRangeFollows) {
  std::deque<Snapshot> all;
  for (int k = 1; k <= 1000; ++k) all.push_back(snapshot(100 * k, {1}, {1}, {1}));
  const TimeLines lines = time_lines(all, 1, 600, 100);
  EXPECT_EQ(lines.in_flight[0].size(), 600);
  EXPECT_DOUBLE_EQ(lines.x_to, 100);
  EXPECT_DOUBLE_EQ(lines.x_from, 40);
}

TEST(ChartSeries, TrafficForTheQueueingModel) {
  std::deque<Snapshot> all;
  for (int k = 1; k <= 10; ++k) all.push_back(snapshot(100 * k, {10, 30}, {5, 0}, {0.25, 0.75}));
  const auto t = node_traffic(all, 2, 5);
  EXPECT_NEAR(t[0].rate, 100, 1e-9);
  EXPECT_NEAR(t[0].hit_ratio, 0.5, 1e-12);
  EXPECT_NEAR(t[1].rate, 300, 1e-9);
  EXPECT_DOUBLE_EQ(t[1].hit_ratio, 0);
}

TEST(ChartSeries, HitReferencesArePerNodeUpToALimitThenTheirMean) {
  EXPECT_EQ(hit_reference_lines({0.5, 0.25}), (std::vector<double>{50, 25}));
  const auto many = hit_reference_lines(std::vector<double>(64, 0.5));
  ASSERT_EQ(many.size(), 1u);
  EXPECT_DOUBLE_EQ(many[0], 50);
  EXPECT_TRUE(hit_reference_lines({}).empty());
}

TEST(ChartSeries, LatencyCdfRisesToAHundredAtTheLargestBucket) {
  Histogram h;
  EXPECT_TRUE(latency_cdf(h).isEmpty());
  h.record(50);            // exact below 128 ns
  h.record(1'000'000, 2);  // 1 ms, twice
  h.record(4'000'000);     // 4 ms
  const QList<QPointF> cdf = latency_cdf(h);
  ASSERT_EQ(cdf.size(), 4);
  EXPECT_DOUBLE_EQ(cdf[0].y(), 0);
  EXPECT_DOUBLE_EQ(cdf[0].x(), 50 / 1e6);
  EXPECT_DOUBLE_EQ(cdf[1].y(), 25);
  EXPECT_DOUBLE_EQ(cdf[2].y(), 75);
  EXPECT_NEAR(cdf[2].x(), 1.0, 1.0 / 128);  // the upper edge of 1 ms's bucket
  EXPECT_GT(cdf[2].x(), 1.0);
  EXPECT_DOUBLE_EQ(cdf[3].y(), 100);
  EXPECT_NEAR(cdf[3].x(), 4.0, 4.0 / 128);
  // A request answered in no time (a zero-time hit on the virtual clock): the curve still
  // starts above 0, where a log axis can draw it.
  Histogram zero;
  zero.record(0);
  EXPECT_GT(latency_cdf(zero).front().x(), 0.0);
}

TEST(ChartSeries, HeatGridIsNodeByIntervalWithGapsWhereThereIsNoValue) {
  std::deque<Snapshot> all;
  all.push_back(snapshot(100, {10, 0}, {5, 0}, {0.5, 0.5}));
  all.push_back(snapshot(200, {4, 8}, {4, 2}, {0.5, 0.5}));
  const HeatGrid hit = heat_grid(all, 2, 600, 100, HeatFigure::hit_ratio);
  ASSERT_EQ(hit.rows, 2u);
  ASSERT_EQ(hit.columns, 2u);
  EXPECT_DOUBLE_EQ(hit.at(0, 0), 50);
  EXPECT_TRUE(std::isnan(hit.at(1, 0)));  // no lookup in that interval
  EXPECT_DOUBLE_EQ(hit.at(0, 1), 100);
  EXPECT_DOUBLE_EQ(hit.at(1, 1), 25);
  EXPECT_DOUBLE_EQ(hit.max(), 100);
  EXPECT_DOUBLE_EQ(hit.quantile(0), 25);
  EXPECT_DOUBLE_EQ(hit.quantile(1), 100);
  EXPECT_DOUBLE_EQ(hit.quantile(0.5), 50);  // of 25, 50, 100
  EXPECT_NEAR(hit.data_from, 0.0, 1e-12);
  EXPECT_DOUBLE_EQ(hit.data_to, 0.2);
  const HeatGrid rate = heat_grid(all, 2, 600, 100, HeatFigure::rate);
  EXPECT_DOUBLE_EQ(rate.at(1, 1), 80);  // 8 requests in 0.1 s
  const HeatGrid in_flight = heat_grid(all, 2, 1, 100, HeatFigure::in_flight);
  ASSERT_EQ(in_flight.columns, 1u);  // only the newest span
  EXPECT_DOUBLE_EQ(in_flight.at(1, 0), 2);
}

TEST(ChartSeries, TimelineMarksNameEachEventInTimeOrderAndShareAMoment) {
  Scenario s;
  s.nodes = default_nodes(3);
  FaultEvent a;
  a.at_s = 5;
  a.node = 2;
  a.action = FaultEvent::Action::speed;
  a.speed = 0.5;
  FaultEvent b;
  b.at_s = 1;
  b.node = 0;
  b.action = FaultEvent::Action::kill;
  FaultEvent c = b;
  c.node = 1;
  FaultEvent d;
  d.at_s = 7;
  d.node = 1;
  d.action = FaultEvent::Action::spikes;
  d.probability = 0.05;
  s.faults = {a, b, c, d};
  s.workload.rate_schedule.points = {{0, 1000}, {3, 4000}};
  const auto marks = timeline_marks(s);
  ASSERT_EQ(marks.size(), 4u);
  EXPECT_DOUBLE_EQ(marks[0].t_s, 1);
  EXPECT_EQ(marks[0].label.toStdString(), "kill a, kill b");
  EXPECT_EQ(marks[1].label.toStdString(), "rate 4000");
  EXPECT_EQ(marks[2].label.toStdString(), "c speed 0.5");
  EXPECT_EQ(marks[3].label.toStdString(), "b sick 5%");
}

}  // namespace
}  // namespace loadlab::ui

namespace loadlab::ui {
namespace {

TEST(ChartSeries, DifferenceLinesMatchIntervalsByTime) {
  std::deque<Snapshot> a, b;
  for (int k = 1; k <= 5; ++k) {
    a.push_back(snapshot(100 * k, {10, 10}, {5, 5}, {0.5, 0.5}, 3000));              // p99 3 ms, 50% hits
    if (k != 3) b.push_back(snapshot(100 * k, {10, 10}, {8, 8}, {0.5, 0.5}, 1000));  // B lacks t = 300 ms
  }
  a[3].mean_us = std::nan("");  // A completed nothing at t = 400 ms: no p99 point there
  const DifferenceLines d = difference_lines(a, b, 600, 100);
  ASSERT_EQ(d.p99_ms.size(), 3);  // 100, 200, 500 ms
  EXPECT_DOUBLE_EQ(d.p99_ms[0].x(), 0.1);
  EXPECT_DOUBLE_EQ(d.p99_ms[0].y(), 2.0);
  EXPECT_DOUBLE_EQ(d.p99_ms[2].x(), 0.5);
  ASSERT_EQ(d.hit_points.size(), 4);  // every matched interval looked up
  EXPECT_DOUBLE_EQ(d.hit_points[0].y(), -30.0);
  EXPECT_TRUE(difference_lines(a, {}, 600, 100).p99_ms.isEmpty());
  // Smoothed over 2: each point the mean of itself and the one before (the first alone).
  a[1].p99_us = 5000;  // A − B = 4 ms at t = 200 ms
  const DifferenceLines s = difference_lines(a, b, 600, 100, 2);
  ASSERT_EQ(s.p99_ms.size(), 3);
  EXPECT_DOUBLE_EQ(s.p99_ms[0].y(), 2.0);
  EXPECT_DOUBLE_EQ(s.p99_ms[1].y(), 3.0);
  EXPECT_DOUBLE_EQ(s.p99_ms[2].y(), 3.0);
}

}  // namespace
}  // namespace loadlab::ui
