// The `loadlab-cli run` flags for the service and traffic models, parsed as the CLI does and
// applied to a scenario.
#include <gtest/gtest.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>

#include "cli/scenario_overrides.h"

namespace loadlab::cli {
namespace {

Scenario run_flags(const std::string& flags, Scenario s = {}) {
  CLI::App app;
  ScenarioOverrides overrides;
  overrides.add_to(app);
  app.parse(flags, /*program_name_included=*/false);
  if (s.nodes.empty()) s.nodes = default_nodes(3);
  overrides.apply(s, /*from_file=*/false);
  validate(s);
  return s;
}

void expect_error(const std::string& flags, const std::string& field, const std::string& value) {
  try {
    run_flags(flags);
    ADD_FAILURE() << "no error for " << flags;
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.field(), field) << e.what();
    EXPECT_NE(std::string(e.what()).find(value), std::string::npos) << e.what();
  }
}

std::string latency_file(const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / ("loadlab_overrides_" + std::to_string(getpid()) + ".csv");
  std::ofstream(path) << text;
  return path.string();
}

TEST(ScenarioOverrides, ServiceDistributionsAndTheirParameters) {
  using D = ServiceModel::Distribution;
  Scenario s = run_flags("--service lognormal --service-p99-us 2000");
  EXPECT_EQ(s.service.distribution, D::lognormal);
  EXPECT_EQ(s.service.p99_us, 2000);
  EXPECT_EQ(run_flags("--service-p99-us 3000").service.distribution, D::lognormal);  // implied
  s = run_flags("--service-alpha 2.5");
  EXPECT_EQ(s.service.distribution, D::pareto);
  EXPECT_EQ(s.service.alpha, 2.5);
  s = run_flags("--service-alpha 0.8 --service-max-us 100000");
  EXPECT_EQ(s.service.distribution, D::bounded_pareto);
  EXPECT_EQ(s.service.max_us, 100000);
  s = run_flags("--service-slow-probability 0.02 --service-slow-factor 50");
  EXPECT_EQ(s.service.distribution, D::bimodal);
  EXPECT_EQ(s.service.slow_factor, 50);
  EXPECT_EQ(run_flags("--service fixed").service.distribution, D::fixed);
}

TEST(ScenarioOverrides, ServiceFileIsEmpiricalWithTheMeasuredMean) {
  const std::string file = latency_file("100\n300\n");
  Scenario s = run_flags("--service-file " + file);
  EXPECT_EQ(s.service.distribution, ServiceModel::Distribution::empirical);
  EXPECT_EQ(s.service.miss_us, 200);
  EXPECT_EQ(s.service.file, file);
  s = run_flags("--service-file " + file + " --miss-us 800");
  EXPECT_EQ(s.service.miss_us, 800);
  std::ofstream(file) << "100\nslow\n";
  expect_error("--service-file " + file, "--service-file", "line 2: 'slow' is not a number");
  std::filesystem::remove(file);
  expect_error("--service-file " + file, "--service-file", "does not exist");
}

TEST(ScenarioOverrides, ServiceParametersThatDoNotFitAreErrors) {
  expect_error("--service exponential --service-p99-us 2000", "--service-p99-us",
               "applies to --service lognormal (the service distribution is exponential)");
  expect_error("--service-p99-us 2000 --service-alpha 2", "--service-alpha",
               "applies to --service pareto or bounded-pareto (the service distribution is lognormal)");
  expect_error("--service gamma", "--service", "unknown value 'gamma'");
  expect_error("--service lognormal --service-p99-us 40", "service.p99_us", "(got 40)");
  expect_error("--service-alpha 1", "service.alpha", "(got 1)");
}

TEST(ScenarioOverrides, RateScheduleFlags) {
  Scenario s = run_flags("--rate-schedule 0:1000,10:5000,20:1000");
  ASSERT_EQ(s.workload.rate_schedule.points.size(), 3u);
  EXPECT_EQ(s.workload.rate_schedule.points[1].at_s, 10);
  EXPECT_EQ(s.workload.rate_schedule.points[1].rate, 5000);
  EXPECT_EQ(s.workload.rate_schedule.shape, RateSchedule::Shape::steps);
  EXPECT_EQ(s.workload.rate, 5000);  // the peak
  s = run_flags("--rate-schedule 0:1000,10:5000 --rate-shape linear --rate-period 30 --rate 2500");
  EXPECT_EQ(s.workload.rate_schedule.shape, RateSchedule::Shape::linear);
  EXPECT_EQ(s.workload.rate_schedule.period_s, 30);
  EXPECT_EQ(s.workload.rate, 2500);  // scales the schedule
  Scenario with_schedule = s;
  EXPECT_TRUE(run_flags("--rate-schedule none", with_schedule).workload.rate_schedule.empty());
  expect_error("--rate-schedule 0:1000,10", "--rate-schedule", "'10' (in '0:1000,10'): expected AT_S:RATE");
  expect_error("--rate-schedule 0:1000,x:5", "--rate-schedule", "'x:5'");
  expect_error("--rate-schedule 0:1000,20:5000,10:1000", "workload.rate_schedule.points[2].at_s", "(got 10)");
  expect_error("--rate-shape linear", "--rate-shape", "needs a rate schedule");
  expect_error("--rate-schedule 0:5 --rate-shape smooth", "--rate-shape", "'smooth'");
  expect_error("--rate-period 10", "--rate-period", "needs a rate schedule");
}

TEST(ScenarioOverrides, BurstyAndClockFlags) {
  Scenario s = run_flags("--bursty 5000:500:1:4");
  EXPECT_EQ(s.workload.arrival, Workload::Arrival::bursty);
  EXPECT_EQ(s.workload.bursty.on_rate, 5000);
  EXPECT_EQ(s.workload.bursty.mean_off_s, 4);
  EXPECT_EQ(s.workload.rate, 1400);  // the long-run mean
  EXPECT_EQ(run_flags("--bursty 5000:500:1:4 --rate 700").workload.rate, 700);
  EXPECT_EQ(run_flags("--arrival bursty").workload.arrival, Workload::Arrival::bursty);
  expect_error("--bursty 5000:500:1", "--bursty", "'5000:500:1': expected ON_RATE:OFF_RATE:MEAN_ON_S:MEAN_OFF_S");
  expect_error("--bursty 5000:500:1:x", "--bursty", "'5000:500:1:x'");
  expect_error("--arrival poisson --bursty 5000:500:1:4", "--bursty",
               "goes with --arrival bursty (got --arrival poisson)");
  expect_error("--bursty 5000:500:0:4", "workload.bursty.mean_on_s", "(got 0)");
  expect_error("--arrival bursty --rate-schedule 0:100", "workload.rate_schedule", "not used with bursty");
  EXPECT_EQ(run_flags("").clock, Scenario::Clock::real);
  EXPECT_EQ(run_flags("--clock virtual").clock, Scenario::Clock::virtual_time);
  expect_error("--clock wall", "--clock", "unknown value 'wall' (known: real, virtual)");
}

}  // namespace
}  // namespace loadlab::cli
