// Sweep definitions: the SPEC forms, the grid's order, shards, the parameters a point sets,
// and the errors a bad spec gives (each naming the --vary and the value).
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "sweep/scenario_parameter.h"
#include "sweep/sweep_definition.h"
#include "sweep/sweep_definition_file.h"

namespace loadlab {
namespace {

std::vector<std::string> texts(const SweepParameter& p) {
  std::vector<std::string> t;
  for (const ParameterValue& v : p.values) t.push_back(v.text);
  return t;
}

std::string error_of(const std::string& spec) {
  try {
    parse_sweep_parameter(spec);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

TEST(SweepParameter, ListKeepsTheItemsAsWritten) {
  const SweepParameter p = parse_sweep_parameter("rate=1000,2500.5,4000");
  EXPECT_EQ(p.name, "rate");
  EXPECT_EQ(texts(p), (std::vector<std::string>{"1000", "2500.5", "4000"}));
  EXPECT_DOUBLE_EQ(p.values[1].number, 2500.5);
}

TEST(SweepParameter, LinearRangeIncludesHiAndDropsRoundingNoise) {
  EXPECT_EQ(texts(parse_sweep_parameter("rate=1000:2000:500")), (std::vector<std::string>{"1000", "1500", "2000"}));
  // 0.1 + 2·0.1 is 0.30000000000000004 in binary: written, and run, as 0.3.
  const SweepParameter z = parse_sweep_parameter("zipf=0.1:0.5:0.1");
  EXPECT_EQ(texts(z), (std::vector<std::string>{"0.1", "0.2", "0.3", "0.4", "0.5"}));
  EXPECT_EQ(z.values[2].number, 0.3);
  // hi not on a step: the range stops at the last step below it.
  EXPECT_EQ(texts(parse_sweep_parameter("rate=1:10:4")), (std::vector<std::string>{"1", "5", "9"}));
  EXPECT_EQ(texts(parse_sweep_parameter("rate=7:7:1")), (std::vector<std::string>{"7"}));
}

TEST(SweepParameter, LogRangeIsGeometricWithExactEnds) {
  EXPECT_EQ(texts(parse_sweep_parameter("rate=1:1000:x4")), (std::vector<std::string>{"1", "10", "100", "1000"}));
  EXPECT_EQ(texts(parse_sweep_parameter("miss-us=100:400:x3")), (std::vector<std::string>{"100", "200", "400"}));
  // Integer parameters round, and drop the repeats rounding makes: 1, 3.16, 10, 31.6, 100.
  EXPECT_EQ(texts(parse_sweep_parameter("keys=1:100:x5")), (std::vector<std::string>{"1", "3", "10", "32", "100"}));
  EXPECT_EQ(texts(parse_sweep_parameter("cache-capacity=1:2:x4")), (std::vector<std::string>{"1", "2"}));
}

TEST(SweepParameter, CategoricalTakesNames) {
  EXPECT_EQ(texts(parse_sweep_parameter("balancer=round-robin,p2c")), (std::vector<std::string>{"round-robin", "p2c"}));
  EXPECT_NE(error_of("balancer=1:3:1").find("takes a list of names"), std::string::npos);
}

TEST(SweepParameter, BadSpecsNameTheFlagAndTheValue) {
  EXPECT_EQ(error_of("rate=5:1:1"), "--vary rate: '5:1:1': lo 5 is greater than hi 1: the range is empty");
  EXPECT_EQ(error_of("rate=1:5:0"), "--vary rate: '1:5:0': step 0 must be greater than 0");
  EXPECT_EQ(error_of("rate=1:5:-1"), "--vary rate: '1:5:-1': step -1 must be greater than 0");
  EXPECT_NE(error_of("rate=").find("empty SPEC"), std::string::npos);
  EXPECT_NE(error_of("rate=1,,2").find("empty item"), std::string::npos);
  EXPECT_NE(error_of("rate=1,x").find("'x' is not a number"), std::string::npos);
  EXPECT_NE(error_of("rate=0:10:x3").find("log range needs lo > 0"), std::string::npos);
  EXPECT_NE(error_of("rate=1:10:x0").find("N >= 1"), std::string::npos);
  EXPECT_NE(error_of("rate=1:10:x1").find("x1 gives one point"), std::string::npos);
  EXPECT_NE(error_of("rate=1:nan:1").find("hi 'nan' is not a number"), std::string::npos);
  EXPECT_NE(error_of("nodes=2.5").find("whole numbers"), std::string::npos);
  EXPECT_NE(error_of("rate=1:1e9:1").find("more than the limit"), std::string::npos);
  EXPECT_NE(error_of("colour=1,2").find("unknown parameter 'colour'"), std::string::npos);
  EXPECT_NE(error_of("weight:=1,2").find("needs a node name"), std::string::npos);
  EXPECT_NE(error_of("rate").find("expected PARAM=SPEC"), std::string::npos);
}

SweepDefinition two_by_three() {
  SweepDefinition d;
  d.parameters.push_back(parse_sweep_parameter("balancer=round-robin,p2c"));
  d.parameters.push_back(parse_sweep_parameter("rate=100,200,300"));
  d.seeds = 2;
  return d;
}

TEST(SweepGrid, FullGridFirstParameterOutermost) {
  const SweepDefinition d = two_by_three();
  ASSERT_EQ(grid_size(d), 6u);
  const std::vector<SweepPoint> points = expand_grid(d);
  std::vector<std::string> seen;
  for (const SweepPoint& p : points) seen.push_back(describe_point(d, p));
  EXPECT_EQ(seen, (std::vector<std::string>{"balancer=round-robin, rate=100", "balancer=round-robin, rate=200",
                                            "balancer=round-robin, rate=300", "balancer=p2c, rate=100",
                                            "balancer=p2c, rate=200", "balancer=p2c, rate=300"}));
  for (std::size_t k = 0; k < points.size(); ++k) EXPECT_EQ(points[k].index, k);
}

TEST(SweepGrid, ShardsPartitionTheGrid) {
  const SweepDefinition d = two_by_three();
  std::vector<std::size_t> all;
  for (std::size_t i = 0; i < 4; ++i)
    for (const SweepPoint& p : expand_grid(d, Shard{i, 4})) {
      EXPECT_EQ(p.index % 4, i);
      EXPECT_EQ(describe_point(d, p), describe_point(d, grid_point(d, p.index)));
      all.push_back(p.index);
    }
  std::sort(all.begin(), all.end());
  EXPECT_EQ(all, (std::vector<std::size_t>{0, 1, 2, 3, 4, 5}));
  EXPECT_TRUE(expand_grid(d, Shard{6, 7}).empty());
}

TEST(SweepGrid, ShardSpec) {
  EXPECT_EQ(parse_shard("2/5").index, 2u);
  EXPECT_EQ(parse_shard("2/5").count, 5u);
  EXPECT_THROW(parse_shard("5/5"), ScenarioError);
  EXPECT_THROW(parse_shard("0/0"), ScenarioError);
  EXPECT_THROW(parse_shard("1"), ScenarioError);
  EXPECT_THROW(parse_shard("-1/3"), ScenarioError);
}

TEST(SweepGrid, DefinitionChecks) {
  SweepDefinition d = two_by_three();
  d.parameters.push_back(parse_sweep_parameter("rate=5"));
  EXPECT_THROW(check_definition(d), ScenarioError);  // rate twice
  d = two_by_three();
  d.seeds = 0;
  EXPECT_THROW(check_definition(d), ScenarioError);
  d.seeds = 1;
  d.warmup_s = -1;
  EXPECT_THROW(check_definition(d), ScenarioError);
}

TEST(SweepSeeds, ReplicationZeroIsTheScenarioSeedTheOthersDifferAndRepeat) {
  EXPECT_EQ(replication_seed(42, 0), 42u);
  EXPECT_NE(replication_seed(42, 1), 42u);
  EXPECT_NE(replication_seed(42, 1), replication_seed(42, 2));
  EXPECT_NE(replication_seed(42, 1), replication_seed(43, 1));
  EXPECT_EQ(replication_seed(42, 7), replication_seed(42, 7));
}

Scenario three_nodes() {
  Scenario s;
  s.nodes = default_nodes(3);
  s.nodes[1].cache_capacity = 7;
  return s;
}

TEST(SweepApply, NodesGrowWithDefaultsAndWeightCanNameANewNode) {
  Scenario s = three_nodes();
  s.nodes[0].weight = 5;
  SweepDefinition d;
  // weight:e is given first but applies after nodes=5 has added e.
  d.parameters.push_back(parse_sweep_parameter("weight:e=3"));
  d.parameters.push_back(parse_sweep_parameter("nodes=5"));
  const Scenario p = point_scenario(s, d, grid_point(d, 0), 0);
  ASSERT_EQ(p.nodes.size(), 5u);
  EXPECT_EQ(p.nodes[3].name, "d");
  EXPECT_EQ(p.nodes[4].name, "e");
  EXPECT_EQ(p.nodes[0].weight, 5);
  EXPECT_EQ(p.nodes[3].weight, 1);
  EXPECT_EQ(p.nodes[4].weight, 3);
  EXPECT_NO_THROW(plan_sweep(s, d));
}

TEST(SweepApply, EachParameterSetsItsField) {
  Scenario s = three_nodes();
  auto set = [&](const std::string& name, const std::string& value) {
    apply_sweep_parameter(s, name, parse_sweep_parameter(name + "=" + value).values[0]);
  };
  set("rate", "4321");
  EXPECT_EQ(s.workload.rate, 4321);
  set("zipf", "0.8");
  EXPECT_EQ(s.workload.keys.kind, KeyPopularity::Kind::zipf);
  EXPECT_EQ(s.workload.keys.zipf_s, 0.8);
  set("keys", "5000");
  EXPECT_EQ(s.workload.keys.keys, 5000u);
  set("cache-capacity", "250");
  EXPECT_EQ(s.cache_capacity_of(1), 250u);  // the per-node size gives way
  set("slots", "4");
  for (const NodeSpec& n : s.nodes) EXPECT_EQ(n.slots, 4u);
  set("speed:c", "0.5");
  EXPECT_EQ(s.nodes[2].speed, 0.5);
  set("weight:b", "2");
  EXPECT_EQ(s.nodes[1].weight, 2);
  set("balancer", "p2c");
  EXPECT_EQ(s.balancer, "p2c");
  set("cache", "sieve");
  EXPECT_EQ(s.cache_policy, "sieve");
  set("miss-us", "800");
  EXPECT_EQ(s.service.miss_us, 800);
  set("service", "lognormal");
  EXPECT_EQ(s.service.distribution, ServiceModel::Distribution::lognormal);
  set("p99-us", "5000");
  EXPECT_EQ(s.service.p99_us, 5000);
  set("choices", "3");
  EXPECT_EQ(s.balancer_params.choices, 3u);
  EXPECT_THROW(set("service", "gaussian"), ScenarioError);
}

TEST(SweepApply, CurrentValueIsWhatApplyingWouldSet) {
  Scenario s = three_nodes();
  const std::vector<std::pair<std::string, double>> cases = {{"rate", 1234.5},       {"zipf", 0.75},  {"keys", 777},
                                                             {"cache-capacity", 42}, {"slots", 3},    {"speed:c", 0.5},
                                                             {"weight:b", 2.5},      {"miss-us", 850}};
  for (const auto& [name, value] : cases) {
    apply_sweep_parameter(s, name, parse_sweep_parameter(fmt::format("{}={}", name, value)).values[0]);
    EXPECT_EQ(sweep_parameter_value(s, name), value) << name;
  }
  EXPECT_EQ(sweep_parameter_value(s, "nodes"), 3);
  EXPECT_EQ(sweep_parameter_value(s, "balancer"), std::nullopt);   // categorical
  EXPECT_EQ(sweep_parameter_value(s, "weight:zz"), std::nullopt);  // no such node
  EXPECT_EQ(sweep_parameter_value(s, "nope"), std::nullopt);
  s.nodes[0].slots = 2;  // the nodes differ: no single value
  EXPECT_EQ(sweep_parameter_value(s, "slots"), std::nullopt);
  s.workload.keys.kind = KeyPopularity::Kind::uniform;
  EXPECT_EQ(sweep_parameter_value(s, "zipf"), std::nullopt);
}

TEST(SweepApply, RateScalesASchedule) {
  Scenario s = three_nodes();
  s.workload.rate = 1000;
  s.workload.rate_schedule.points = {{0, 500}, {10, 1000}};
  apply_sweep_parameter(s, "rate", {"3000", 3000});
  EXPECT_EQ(s.workload.rate_schedule.points[0].rate, 1500);
  EXPECT_EQ(s.workload.rate_schedule.points[1].rate, 3000);
}

TEST(SweepPlan, UnknownNodeAndBadPointsFailBeforeAnythingRuns) {
  const Scenario s = three_nodes();
  SweepDefinition d;
  d.parameters.push_back(parse_sweep_parameter("weight:z=1,2"));
  try {
    plan_sweep(s, d);
    FAIL() << "weight of an unknown node accepted";
  } catch (const ScenarioError& e) {
    EXPECT_STREQ(e.what(), "--vary weight:z: unknown node 'z' (the scenario has a, b, c)");
  }
  d.parameters = {parse_sweep_parameter("rate=1000,-5")};
  try {
    plan_sweep(s, d);
    FAIL() << "negative rate accepted";
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.field(), "workload.rate");
    EXPECT_NE(std::string(e.what()).find("(at point rate=-5)"), std::string::npos) << e.what();
  }
  d.parameters = {parse_sweep_parameter("balancer=round-robin,nope")};
  EXPECT_THROW(plan_sweep(s, d), ScenarioError);
}

// The definition file another process runs the sweep from: the same grid, point for point.
TEST(SweepDefinitionFile, RoundTripsToTheSameGrid) {
  SweepDefinition d;
  d.parameters.push_back(parse_sweep_parameter("rate=1000:3000:500"));
  d.parameters.push_back(parse_sweep_parameter("cache-capacity=10:10000:x7"));
  d.parameters.push_back(parse_sweep_parameter("balancer=round-robin,p2c"));
  d.seeds = 4;
  const std::string json = sweep_definition_to_json(d);
  EXPECT_EQ(json,
            "{\n  \"vary\": [\n    \"rate=1000:3000:500\",\n    \"cache-capacity=10:10000:x7\",\n"
            "    \"balancer=round-robin,p2c\"\n  ],\n  \"seeds\": 4\n}\n");
  const std::filesystem::path file =
      std::filesystem::temp_directory_path() / ("loadlab_definition_" + std::to_string(getpid()) + ".json");
  std::ofstream(file) << json;
  const SweepDefinition back = load_sweep_definition(file);
  std::filesystem::remove(file);
  EXPECT_EQ(back.seeds, 4u);
  ASSERT_EQ(grid_size(back), grid_size(d));
  for (std::size_t k = 0; k < grid_size(d); ++k) {
    const SweepPoint a = grid_point(d, k), b = grid_point(back, k);
    ASSERT_EQ(a.values.size(), b.values.size());
    for (std::size_t i = 0; i < a.values.size(); ++i) {
      EXPECT_EQ(a.values[i].text, b.values[i].text) << k;
      EXPECT_EQ(a.values[i].number, b.values[i].number) << k;
    }
  }
}

TEST(SweepDefinitionFile, BadFilesNameTheFileAndTheField) {
  const std::filesystem::path file =
      std::filesystem::temp_directory_path() / ("loadlab_bad_definition_" + std::to_string(getpid()) + ".json");
  auto error_for = [&](const std::string& text) -> std::string {
    std::ofstream(file) << text;
    try {
      load_sweep_definition(file);
    } catch (const ScenarioError& e) {
      return e.what();
    }
    return "";
  };
  const std::string f = file.string();
  EXPECT_NE(error_for("{\"vary\": [\"rate=1,2\"], \"seeds\": 2, \"colour\": 1}").find(f + ": colour: unknown field"),
            std::string::npos);
  EXPECT_NE(error_for("{\"vary\": [], \"seeds\": 2}").find(f + ": vary: expected a list"), std::string::npos);
  EXPECT_NE(error_for("{\"vary\": [3], \"seeds\": 2}").find("expected a string (got 3)"), std::string::npos);
  EXPECT_NE(error_for("{\"vary\": [\"rate=5:1:1\"], \"seeds\": 2}").find("lo 5 is greater than hi 1"),
            std::string::npos);
  EXPECT_NE(error_for("{\"vary\": [\"rate=1\"], \"seeds\": -1}").find(f + ": seeds: expected a whole number"),
            std::string::npos);
  EXPECT_NE(error_for("{\"vary\": [\"rate=1\"], \"seeds\": 0}").find("--seeds: 0"), std::string::npos);
  EXPECT_NE(error_for("{\"vary\": [\"rate=1\"]").find("not valid JSON"), std::string::npos);
  std::filesystem::remove(file);
  EXPECT_NE(error_for("").find("not valid JSON"), std::string::npos);
  std::filesystem::remove(file);
  try {
    load_sweep_definition(file);
    FAIL();
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("does not exist"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace loadlab
