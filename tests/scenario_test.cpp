#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>

#include "scenario/scenario_json.h"

namespace loadlab {
namespace {

const char* kExample = R"({
  "name": "Weights 5/3/1",
  "description": "Smooth weighted round robin.",
  "seed": 42,
  "balancer": "weighted-round-robin",
  "cache": {"policy": "lru", "capacity": 200},
  "nodes": [
    {"name": "a", "weight": 5},
    {"name": "b", "weight": 3, "speed": 0.5, "slots": 2},
    {"name": "c", "weight": 1, "cache_capacity": 10}
  ],
  "workload": {"mode": "open", "arrival": "constant", "rate": 3000, "requests": 30000,
               "keys": 5000, "popularity": "zipf", "zipf_s": 0.9},
  "service": {"hit_us": 40, "miss_us": 400, "distribution": "fixed"},
  "interval_ms": 50
})";

// Expects parse_scenario to fail with a message naming `field` and containing `value`.
void expect_error(const std::string& json, const std::string& field, const std::string& value) {
  try {
    parse_scenario(json);
    ADD_FAILURE() << "no error for " << json;
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.field(), field) << e.what();
    EXPECT_NE(std::string(e.what()).find(value), std::string::npos) << e.what();
  }
}

TEST(Scenario, ParsesEveryField) {
  const Scenario s = parse_scenario(kExample);
  EXPECT_EQ(s.name, "Weights 5/3/1");
  EXPECT_EQ(s.seed, 42u);
  EXPECT_EQ(s.balancer, "weighted-round-robin");
  EXPECT_EQ(s.cache_capacity, 200u);
  ASSERT_EQ(s.nodes.size(), 3u);
  EXPECT_EQ(s.nodes[1].speed, 0.5);
  EXPECT_EQ(s.nodes[1].slots, 2u);
  EXPECT_EQ(s.cache_capacity_of(2), 10u);
  EXPECT_EQ(s.cache_capacity_of(0), 200u);
  EXPECT_EQ(s.workload.arrival, Workload::Arrival::constant);
  EXPECT_EQ(s.workload.keys.kind, KeyPopularity::Kind::zipf);
  EXPECT_EQ(s.workload.keys.zipf_s, 0.9);
  EXPECT_EQ(s.service.distribution, ServiceModel::Distribution::fixed);
  EXPECT_EQ(s.interval_ms, 50);
}

TEST(Scenario, RoundTripsThroughJson) {
  const Scenario a = parse_scenario(kExample);
  const Scenario b = parse_scenario(scenario_to_json(a));
  EXPECT_EQ(scenario_to_json(a), scenario_to_json(b));
  EXPECT_EQ(b.nodes[2].cache_capacity, 10u);
}

TEST(Scenario, NodeCountShorthandAndDefaults) {
  const Scenario s = parse_scenario(R"({"nodes": 4})");
  ASSERT_EQ(s.nodes.size(), 4u);
  EXPECT_EQ(s.nodes[3].name, "d");
  EXPECT_EQ(default_node_name(26), "aa");
}

TEST(Scenario, BadInputNamesFieldAndValue) {
  expect_error(R"({"workload": {"rat": 3000}})", "workload.rat", "unknown field");
  expect_error(R"({"balancr": "random"})", "balancr", "unknown field");
  expect_error(R"({"nodes": [{"weight": -1}]})", "nodes[0].weight", "-1");
  expect_error(R"({"nodes": [{"weight": 1}, {"weight": "heavy"}]})", "nodes[1].weight", "\"heavy\"");
  expect_error(R"({"nodes": [{"weight": 0}, {"weight": 0}]})", "nodes[].weight", "all weights are 0");
  expect_error(R"({"nodes": []})", "nodes", "got 0");
  expect_error(R"({"nodes": 0})", "nodes", "got 0");
  expect_error(R"({"nodes": 5000})", "nodes", "5000");
  expect_error(R"({"balancer": "fastest"})", "balancer", "'fastest'");
  expect_error(R"({"cache": {"policy": "mru"}})", "cache.policy", "'mru'");
  expect_error(R"({"workload": {"mode": "burst"}})", "workload.mode", "'burst'");
  expect_error(R"({"workload": {"rate": 0}})", "workload.rate", "got 0");
  expect_error(R"({"workload": {"keys": 0}})", "workload.keys", "got 0");
  expect_error(R"({"workload": {"requests": -5}})", "workload.requests", "-5");
  expect_error(R"({"nodes": [{"slots": 2.5}]})", "nodes[0].slots", "2.5");
  expect_error(R"({"nodes": [{"slots": 4294967297}]})", "nodes[0].slots", "too large");
  expect_error(R"({"nodes": [{"name": "a"}, {"name": "a"}]})", "nodes[1].name", "duplicate");
  expect_error(R"({"service": {"miss_us": 1e400}})", "", "1e400");
  expect_error(R"({"interval_ms": 1})", "interval_ms", "got 1");
  expect_error(R"([1, 2])", "scenario", "expected an object");
}

TEST(Scenario, BrokenJsonSaysWhere) {
  try {
    parse_scenario("{\n  \"nodes\": 3,\n  \"seed\": \n}");
    FAIL();
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("line 4"), std::string::npos) << e.what();
  }
}

TEST(Scenario, ValidateRejectsNaNWeight) {
  Scenario s;
  s.nodes = default_nodes(2);
  s.nodes[1].weight = std::numeric_limits<double>::quiet_NaN();
  try {
    validate(s);
    FAIL();
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.field(), "nodes[1].weight");
    EXPECT_NE(std::string(e.what()).find("nan"), std::string::npos) << e.what();
  }
}

TEST(Scenario, MissingFileIsAClearError) {
  try {
    load_scenario("/nonexistent/dir/x.json");
    FAIL();
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/dir/x.json"), std::string::npos);
  }
}

// --- Service and traffic models. ---------------------------------------------------------

namespace fs = std::filesystem;

// A scratch directory per test, removed afterwards.
class ScenarioFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("loadlab_scenario_" + std::to_string(getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }
  fs::path dir_;
};

void expect_round_trip(const Scenario& a) {
  const Scenario b = parse_scenario(scenario_to_json(a));
  EXPECT_EQ(scenario_to_json(a), scenario_to_json(b));
}

TEST(Scenario, ParsesEveryServiceDistribution) {
  using D = ServiceModel::Distribution;
  Scenario s =
      parse_scenario(R"({"service": {"distribution": "lognormal", "hit_us": 40, "miss_us": 400, "p99_us": 3000}})");
  EXPECT_EQ(s.service.distribution, D::lognormal);
  EXPECT_EQ(s.service.p99_us, 3000);
  EXPECT_NEAR(ServiceTime(s.service).quantile_us(false, 0.99), 3000, 1e-6);
  expect_round_trip(s);
  s = parse_scenario(R"({"service": {"distribution": "pareto", "alpha": 2.5}})");
  EXPECT_EQ(s.service.distribution, D::pareto);
  EXPECT_EQ(s.service.alpha, 2.5);
  expect_round_trip(s);
  s = parse_scenario(R"({"service": {"distribution": "bounded-pareto", "alpha": 0.9, "max_us": 50000}})");
  EXPECT_EQ(s.service.distribution, D::bounded_pareto);
  EXPECT_EQ(s.service.max_us, 50000);
  expect_round_trip(s);
  s = parse_scenario(R"({"service": {"distribution": "bimodal", "slow_probability": 0.01, "slow_factor": 100}})");
  EXPECT_EQ(s.service.distribution, D::bimodal);
  EXPECT_EQ(s.service.slow_probability, 0.01);
  EXPECT_EQ(s.service.slow_factor, 100);
  expect_round_trip(s);
  // Only the chosen distribution's parameters are written back.
  const std::string json = scenario_to_json(s);
  EXPECT_EQ(json.find("p99_us"), std::string::npos) << json;
  EXPECT_NE(json.find("slow_factor"), std::string::npos) << json;
}

TEST_F(ScenarioFiles, EmpiricalFileIsLoadedOnceRelativeToTheScenario) {
  write("lat.csv", "latency_us\n100\n200\n300\n1400\n");
  const std::string file = write("s.json", R"({"service": {"file": "lat.csv", "hit_us": 10}})");
  const Scenario s = load_scenario(file);
  EXPECT_EQ(s.service.distribution, ServiceModel::Distribution::empirical);
  ASSERT_TRUE(s.service.latencies);
  EXPECT_EQ(s.service.latencies->count(), 4u);
  EXPECT_EQ(s.service.miss_us, 500);  // left out: the file's mean
  EXPECT_EQ(fs::path(s.service.file), fs::absolute(dir_ / "lat.csv").lexically_normal());
  EXPECT_EQ(ServiceTime(s.service).quantile_us(false, 1.0), 1400);  // measured times as they are
  const Scenario copy = s;                                          // copies share the loaded latencies
  EXPECT_EQ(copy.service.latencies.get(), s.service.latencies.get());
  expect_round_trip(s);  // the absolute path reads back from anywhere

  // A given miss_us rescales the measured shape to that mean.
  const Scenario scaled = load_scenario(write("t.json", R"({"service": {"distribution": "empirical",
      "file": "lat.csv", "miss_us": 1000}})"));
  EXPECT_EQ(scaled.service.miss_us, 1000);
  EXPECT_EQ(ServiceTime(scaled.service).quantile_us(false, 1.0), 2800);

  // A histogram, named from a subdirectory.
  fs::create_directories(dir_ / "data");
  write("data/h.csv", "value_us,count\n100,99\n10000,1\n");
  const Scenario h = load_scenario(write("u.json", R"({"service": {"file": "data/h.csv"}})"));
  EXPECT_EQ(h.service.latencies->count(), 100u);
  EXPECT_DOUBLE_EQ(h.service.miss_us, 199);
}

TEST_F(ScenarioFiles, MalformedEmpiricalFilesNameTheFieldLineAndValue) {
  write("words.csv", "latency\n100\nfast\n");
  write("negative.csv", "100\n-20\n");
  write("empty.csv", "");
  auto expect = [&](const std::string& file, const std::string& value) {
    try {
      load_scenario(write("s.json", R"({"service": {"file": ")" + file + R"("}})"));
      ADD_FAILURE() << "no error for " << file;
    } catch (const ScenarioError& e) {
      EXPECT_EQ(e.field(), "service.file") << e.what();
      EXPECT_NE(std::string(e.what()).find(value), std::string::npos) << e.what();
    }
  };
  expect("words.csv", "words.csv' line 3: 'fast' is not a number");
  expect("negative.csv", "line 2: a latency cannot be negative (got -20)");
  expect("empty.csv", "empty.csv': no latencies");
  expect("missing.csv", "missing.csv' does not exist");
  expect("", "must name a file");
}

TEST(Scenario, RateScheduleAndBurstyArrivals) {
  Scenario s = parse_scenario(R"({"workload": {"arrival": "poisson", "rate_schedule": {"shape": "linear",
      "period_s": 30, "points": [{"at_s": 0, "rate": 1000}, {"at_s": 10, "rate": 5000}, {"at_s": 20, "rate": 1000}]}}})");
  const RateSchedule& r = s.workload.rate_schedule;
  ASSERT_EQ(r.points.size(), 3u);
  EXPECT_EQ(r.shape, RateSchedule::Shape::linear);
  EXPECT_EQ(r.period_s, 30);
  EXPECT_EQ(r.points[1].at_s, 10);
  EXPECT_EQ(r.points[1].rate, 5000);
  EXPECT_EQ(s.workload.rate, 5000);  // left out: the schedule's peak
  EXPECT_NEAR(make_arrival_process(s.workload).rate_at(5e9), 3000, 1e-9);
  expect_round_trip(s);

  // A given rate scales the schedule (the peak becomes the rate).
  s = parse_scenario(R"({"workload": {"rate": 2500, "rate_schedule": {"points": [{"at_s": 0, "rate": 1000},
      {"at_s": 10, "rate": 5000}]}}})");
  EXPECT_EQ(s.workload.rate_schedule.shape, RateSchedule::Shape::steps);
  EXPECT_EQ(s.workload.rate, 2500);
  EXPECT_EQ(make_arrival_process(s.workload).rate_at(0), 500);

  // "bursty" alone means bursty arrivals; the rate is their long-run mean.
  s = parse_scenario(
      R"({"workload": {"bursty": {"on_rate": 5000, "off_rate": 500, "mean_on_s": 1, "mean_off_s": 4}}})");
  EXPECT_EQ(s.workload.arrival, Workload::Arrival::bursty);
  EXPECT_EQ(s.workload.bursty.mean_off_s, 4);
  EXPECT_EQ(s.workload.rate, 1400);
  expect_round_trip(s);
  EXPECT_EQ(to_string(parse_scenario(R"({"workload": {"arrival": "bursty"}})").workload.arrival), "bursty");
}

TEST(Scenario, ClockIsRealUnlessToldVirtual) {
  EXPECT_EQ(parse_scenario("{}").clock, Scenario::Clock::real);
  const Scenario s = parse_scenario(R"({"clock": "virtual"})");
  EXPECT_EQ(s.clock, Scenario::Clock::virtual_time);
  EXPECT_EQ(to_string(s.clock), "virtual");
  expect_round_trip(s);
}

TEST(Scenario, BadModelInputNamesFieldAndValue) {
  expect_error(R"({"service": {"distribution": "gamma"}})", "service.distribution", "'gamma'");
  expect_error(R"({"service": {"distribution": "lognormal", "p99_us": 40}})", "service.p99_us",
               "must be greater than the mean miss_us 500 (got 40)");
  expect_error(R"({"service": {"distribution": "lognormal", "p99_us": 9000}})", "service.p99_us", "got 9000");
  expect_error(R"({"service": {"distribution": "lognormal", "miss_us": 0}})", "service.miss_us", "got 0");
  expect_error(R"({"service": {"distribution": "pareto", "alpha": 1}})", "service.alpha", "finite mean (got 1)");
  expect_error(R"({"service": {"distribution": "pareto", "alpha": -0.5}})", "service.alpha", "got -0.5");
  expect_error(R"({"service": {"distribution": "bounded-pareto", "max_us": 100}})", "service.max_us", "got 100");
  expect_error(R"({"service": {"distribution": "bimodal", "slow_probability": 2}})", "service.slow_probability",
               "got 2");
  expect_error(R"({"service": {"distribution": "bimodal", "slow_factor": -3}})", "service.slow_factor", "got -3");
  expect_error(R"({"service": {"alpha": "big"}})", "service.alpha", "\"big\"");
  expect_error(R"({"service": {"p99": 2000}})", "service.p99", "unknown field");
  expect_error(R"({"service": {"distribution": "empirical"}})", "service.file", "missing");
  expect_error(R"({"service": {"file": "/nonexistent/lat.csv"}})", "service.file", "'/nonexistent/lat.csv'");
  expect_error(R"({"service": {"distribution": "lognormal", "file": "lat.csv"}})", "service.file",
               "only used with \"distribution\": \"empirical\" (got \"lognormal\")");
  expect_error(R"({"service": {"file": 5}})", "service.file", "5");

  const std::string points =
      R"("points": [{"at_s": 0, "rate": 1000}, {"at_s": 20, "rate": 5000}, {"at_s": 10, "rate": 1000}])";
  expect_error(R"({"workload": {"rate_schedule": {)" + points + "}}}", "workload.rate_schedule.points[2].at_s",
               "10 s comes after 20 s (got 10)");
  expect_error(R"({"workload": {"rate_schedule": {"points": [{"at_s": 3, "rate": 1000}]}}})",
               "workload.rate_schedule.points[0].at_s", "got 3");
  expect_error(R"({"workload": {"rate_schedule": {"points": [{"at_s": 0, "rate": -1}]}}})",
               "workload.rate_schedule.points[0].rate", "got -1");
  expect_error(R"({"workload": {"rate_schedule": {"points": [{"at_s": 0}]}}})", "workload.rate_schedule.points[0].rate",
               "missing");
  expect_error(R"({"workload": {"rate_schedule": {"points": [{"at_s": 0, "rat": 5}]}}})",
               "workload.rate_schedule.points[0].rate", "missing");
  expect_error(R"({"workload": {"rate_schedule": {"points": [{"at_s": 0, "rate": 5, "ramp": 1}]}}})",
               "workload.rate_schedule.points[0].ramp", "unknown field");
  expect_error(R"({"workload": {"rate_schedule": {"points": []}}})", "workload.rate_schedule.points", "got []");
  expect_error(R"({"workload": {"rate_schedule": [{"at_s": 0, "rate": 5}]}})", "workload.rate_schedule",
               "expected an object");
  expect_error(R"({"workload": {"rate_schedule": {"shape": "smooth", "points": [{"at_s": 0, "rate": 5}]}}})",
               "workload.rate_schedule.shape", "'smooth'");
  expect_error(
      R"({"workload": {"rate_schedule": {"period_s": 5, "points": [{"at_s": 0, "rate": 5}, {"at_s": 5, "rate": 1}]}}})",
      "workload.rate_schedule.period_s", "got 5");
  expect_error(R"({"workload": {"arrival": "poisson", "bursty": {"on_rate": 100}}})", "workload.bursty",
               "only used with \"arrival\": \"bursty\" (got \"poisson\")");
  expect_error(R"({"workload": {"bursty": {"mean_on_s": 0}}})", "workload.bursty.mean_on_s", "got 0");
  expect_error(R"({"workload": {"bursty": {"on_rate": -5}}})", "workload.bursty.on_rate", "got -5");
  expect_error(R"({"workload": {"bursty": {"burst": 1}}})", "workload.bursty.burst", "unknown field");
  expect_error(R"({"workload": {"arrival": "bursty", "rate_schedule": {"points": [{"at_s": 0, "rate": 5}]}}})",
               "workload.rate_schedule", "not used with bursty arrivals");
  expect_error(R"({"workload": {"arrival": "bursts"}})", "workload.arrival", "'bursts'");
  expect_error(R"({"clock": "wall"})", "clock", "unknown value 'wall' (known: real, virtual)");
  expect_error(R"({"clock": 1})", "clock", "1");
}

TEST(Scenario, ValidateRejectsNaNModelParameters) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto expect = [](const Scenario& s, const std::string& field) {
    try {
      validate(s);
      ADD_FAILURE() << "no error for " << field;
    } catch (const ScenarioError& e) {
      EXPECT_EQ(e.field(), field) << e.what();
      EXPECT_NE(std::string(e.what()).find("nan"), std::string::npos) << e.what();
    }
  };
  Scenario s;
  s.nodes = default_nodes(1);
  s.service.distribution = ServiceModel::Distribution::lognormal;
  s.service.p99_us = nan;
  expect(s, "service.p99_us");
  s.service.distribution = ServiceModel::Distribution::bounded_pareto;
  s.service.alpha = nan;
  expect(s, "service.alpha");
  s = Scenario{};
  s.nodes = default_nodes(1);
  s.workload.rate_schedule.points = {{0, 100}, {1, nan}};
  expect(s, "workload.rate_schedule.points[1].rate");
  s.workload.rate_schedule.points = {{0, 100}};
  s.workload.rate_schedule.period_s = nan;
  expect(s, "workload.rate_schedule.period_s");
  s = Scenario{};
  s.nodes = default_nodes(1);
  s.workload.arrival = Workload::Arrival::bursty;
  s.workload.bursty.off_rate = nan;
  expect(s, "workload.bursty.off_rate");
}

TEST(Scenario, ADurationWithoutARequestCountIsTheRunsLength) {
  // Issue 12: the default count (10,000) ended a 6 s run at 4,000 req/s after 2.5 s.
  const Scenario timed = parse_scenario(R"({"workload": {"rate": 4000, "duration_s": 6}})");
  EXPECT_EQ(timed.workload.requests, 0u);
  EXPECT_EQ(timed.workload.duration_s, 6);
  const Scenario both = parse_scenario(R"({"workload": {"rate": 4000, "duration_s": 6, "requests": 5000}})");
  EXPECT_EQ(both.workload.requests, 5000u);
  EXPECT_EQ(parse_scenario(R"({"workload": {"rate": 4000}})").workload.requests, 10000u);
  // A saved scenario says both, so it reloads the same.
  EXPECT_EQ(parse_scenario(scenario_to_json(timed)).workload.requests, 0u);
}

}  // namespace
}  // namespace loadlab
