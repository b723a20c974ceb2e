// A sweep's table (from memory and from its CSV) and the curves a chart draws from it.
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "sweep/sweep_csv.h"
#include "sweep/sweep_curves.h"
#include "sweep/sweep_table.h"

namespace loadlab {
namespace {

// A hand-written tidy CSV: rate × balancer, two held columns, a quoted categorical value.
const char* kCsv =
    "point,rate,balancer,seeds,warmup_s,p99_us,p99_us_ci95,mean_us,mean_us_ci95,theory_mean_us\n"
    "0,1000,round-robin,5,0,20000,1000,5000,100,4000\n"
    "1,1000,p2c,5,0,10000,500,4000,90,4000\n"
    "2,2000,round-robin,5,0,60000,3000,9000,200,8000\n"
    "3,2000,p2c,5,0,30000,1500,7000,150,8000\n"
    "4,3000,round-robin,5,0,90000,4000,20000,400,\n"
    "5,3000,p2c,5,0,70000,2000,12000,300,\n";

TEST(SweepTable, ReadsParametersAndFiguresByName) {
  const SweepTable t = read_sweep_table(kCsv, "sweep.csv");
  ASSERT_EQ(t.parameters, (std::vector<std::string>{"rate", "balancer"}));
  ASSERT_EQ(t.rows.size(), 6u);
  EXPECT_EQ(t.rows[3].values, (std::vector<std::string>{"2000", "p2c"}));
  EXPECT_EQ(t.rows[3].figures[t.column("p99_us")], 30000);
  EXPECT_TRUE(std::isnan(t.rows[5].figures[t.column("theory_mean_us")]));
  EXPECT_EQ(t.column("nope"), SweepTable::npos);
}

TEST(SweepTable, QuotedCellsAndCrLf) {
  const SweepTable t = read_sweep_table("point,cache,seeds,hit_ratio\r\n0,\"a,\"\"b\"\"\",1,0.5\r\n", "x.csv");
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.rows[0].values[0], "a,\"b\"");
  EXPECT_EQ(t.rows[0].figures[t.column("hit_ratio")], 0.5);
}

TEST(SweepTable, BrokenFilesNameTheLine) {
  auto message = [](const std::string& text) {
    try {
      read_sweep_table(text, "f.csv");
    } catch (const std::runtime_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message(""), "f.csv: empty, not a sweep CSV");
  EXPECT_NE(message("a,b\n1,2\n").find("not a sweep's tidy CSV"), std::string::npos);
  EXPECT_EQ(message("point,rate,seeds,p99_us\n0,1,5\n"), "f.csv line 2: 3 cells where the header has 4");
  EXPECT_EQ(message("point,rate,seeds,p99_us\n0,1,5,fast\n"), "f.csv line 2: p99_us 'fast' is not a number");
  EXPECT_EQ(message("point,rate,seeds,p99_us\nx,1,5,3\n"), "f.csv line 2: point 'x' is not a number");
}

TEST(SweepCurves, OneCurvePerByValueWithBandsAndTheory) {
  const SweepTable t = read_sweep_table(kCsv, "sweep.csv");
  const SweepCurves c = build_sweep_curves(t, {"rate", "mean_us", "balancer", ""});
  EXPECT_EQ(c.theory, "theory_mean_us");
  ASSERT_EQ(c.curves.size(), 2u);
  EXPECT_EQ(c.curves[0].label, "round-robin");
  EXPECT_EQ(c.curves[1].label, "p2c");
  ASSERT_EQ(c.curves[1].measured.size(), 3u);
  EXPECT_EQ(c.curves[1].measured[2].x, 3000);
  EXPECT_EQ(c.curves[1].measured[2].y, 12000);
  EXPECT_EQ(c.curves[1].measured[2].half, 300);
  EXPECT_EQ(c.curves[1].theory.size(), 2u);  // the empty theory cells are left out
  EXPECT_FALSE(c.log_x);
  // p99 has no formula.
  EXPECT_TRUE(build_sweep_curves(t, {"rate", "p99_us", "balancer", ""}).theory.empty());
}

TEST(SweepCurves, OtherParametersAreHeldAtTheFirstPoint) {
  const SweepTable t = read_sweep_table(kCsv, "sweep.csv");
  const SweepCurves c = build_sweep_curves(t, {"rate", "p99_us", "", ""});
  EXPECT_EQ(c.held, "balancer=round-robin");
  ASSERT_EQ(c.curves.size(), 1u);
  EXPECT_EQ(c.curves[0].label, "p99_us");
  ASSERT_EQ(c.curves[0].measured.size(), 3u);
  EXPECT_EQ(c.curves[0].measured[1].y, 60000);
}

TEST(SweepCurves, BadRequestsNameTheField) {
  const SweepTable t = read_sweep_table(kCsv, "sweep.csv");
  auto message = [&](SweepCurveRequest r) {
    try {
      build_sweep_curves(t, r);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message({"zipf", "p99_us", "", ""}), "x 'zipf': not a parameter of this sweep (it varies rate, balancer)");
  EXPECT_NE(message({"balancer", "p99_us", "", ""}).find("x 'balancer': its value 'round-robin' is not a number"),
            std::string::npos);
  EXPECT_NE(message({"rate", "p98_us", "", ""}).find("y 'p98_us'"), std::string::npos);
  EXPECT_NE(message({"rate", "p99_us_ci95", "", ""}).find("y 'p99_us_ci95'"), std::string::npos);
  EXPECT_EQ(message({"rate", "p99_us", "rate", ""}), "by 'rate': the same parameter as x");
  EXPECT_EQ(message({"rate", "p99_us", "cache", ""}),
            "by 'cache': not a parameter of this sweep (it varies rate, balancer)");
  EXPECT_EQ(message({"rate", "p99_us", "", "theory_p99"}), "theory 'theory_p99': not a column of this sweep");
}

TEST(SweepCurves, TargetCrossingsInterpolate) {
  const SweepTable t = read_sweep_table(kCsv, "sweep.csv");
  const SweepCurves c = build_sweep_curves(t, {"rate", "p99_us", "balancer", ""});
  const auto x = target_crossings(c, 50000);
  ASSERT_EQ(x.size(), 2u);
  EXPECT_EQ(x[0].kind, TargetCrossing::Kind::crosses);
  EXPECT_DOUBLE_EQ(x[0].x, 1000 + 1000 * (30000.0 / 40000.0));  // 20k → 60k passes 50k at 1,750
  EXPECT_TRUE(x[0].rising);
  EXPECT_DOUBLE_EQ(x[1].x, 2000 + 1000 * (20000.0 / 40000.0));  // 30k → 70k: 2,500
  EXPECT_EQ(describe_crossings(c, 50000), "round-robin passes 50 ms at 1,750 req/s; p2c at 2,500 req/s");
  EXPECT_EQ(describe_crossings(c, 5000), "round-robin stays above 5 ms; p2c stays above 5 ms");
  EXPECT_EQ(describe_crossings(c, 1e6), "round-robin stays below 1 s; p2c stays below 1 s");
}

TEST(SweepCurves, FromTheRunnersPointsAsFromItsCsv) {
  // The same table whichever way the figures came: the in-memory one and the CSV the sweep
  // writes give the same curves.
  SweepDefinition d;
  d.parameters.push_back(parse_sweep_parameter("rate=100:10000:x3"));
  d.seeds = 2;
  std::vector<PointResult> points;
  for (std::size_t k = 0; k < 3; ++k) {
    PointResult r;
    r.point = grid_point(d, k);
    r.runs.resize(2);
    r.runs[0].fill(std::nan(""));
    r.runs[1].fill(std::nan(""));
    const std::size_t mean = run_metric_index("mean_us");
    r.runs[0][mean] = 100.0 * static_cast<double>(k + 1);
    r.runs[1][mean] = 120.0 * static_cast<double>(k + 1);
    r.summary = summarize_point(r.runs);
    points.push_back(r);
  }
  std::reverse(points.begin(), points.end());  // the order points finish need not be grid order
  const SweepTable memory = sweep_table(d, points);
  std::string csv = sweep_csv_header(d);
  for (const PointResult& r : points) csv += sweep_csv_row(d, r);
  const SweepTable file = read_sweep_table(csv, "sweep.csv");
  const SweepCurves a = build_sweep_curves(memory, {"rate", "mean_us", "", ""});
  const SweepCurves b = build_sweep_curves(file, {"rate", "mean_us", "", ""});
  ASSERT_EQ(a.curves.size(), 1u);
  ASSERT_EQ(a.curves[0].measured.size(), 3u);
  EXPECT_TRUE(a.log_x);  // 100 to 10,000: a log axis
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_DOUBLE_EQ(a.curves[0].measured[i].x, b.curves[0].measured[i].x);
    EXPECT_NEAR(a.curves[0].measured[i].y, b.curves[0].measured[i].y, 1e-6);
    EXPECT_NEAR(a.curves[0].measured[i].half, b.curves[0].measured[i].half, 1e-6);
  }
  EXPECT_DOUBLE_EQ(a.curves[0].measured[1].y, 220.0);
}

TEST(FormatQuantity, UnitsAReaderExpects) {
  EXPECT_EQ(format_quantity("rate", 3400), "3,400 req/s");
  EXPECT_EQ(format_quantity("throughput_rps", 1234567), "1,234,567 req/s");
  EXPECT_EQ(format_quantity("p99_us", 50000), "50 ms");
  EXPECT_EQ(format_quantity("mean_us", 850), "850 µs");
  EXPECT_EQ(format_quantity("p999_us", 2.5e6), "2.5 s");
  EXPECT_EQ(format_quantity("hit_ratio", 0.9), "0.9");
  EXPECT_EQ(format_quantity("cache-capacity", 10000), "10,000");
}

}  // namespace
}  // namespace loadlab
