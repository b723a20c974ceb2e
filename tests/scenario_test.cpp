#include <gtest/gtest.h>

#include <cmath>
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

}  // namespace
}  // namespace loadlab
