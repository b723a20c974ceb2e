#pragma once
// A sweep: which parameters vary over which values, how many seeds each point runs, and how
// much of the start of every run is left out. The grid is every combination of the values,
// enumerated like nested loops with the first --vary outermost, so point k is the same point
// on every machine, at any thread count, in any shard; a shard I/N holds the points k with
// k mod N == I. Every replication r of every point runs with the seed
// replication_seed(scenario seed, r): the same seeds at all points (common random numbers,
// so the difference between two points is the parameter and not the luck of the draw).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "scenario/scenario.h"
#include "sweep/precision_target.h"
#include "sweep/sweep_parameter.h"

namespace loadlab {

inline constexpr unsigned kMaxSweepSeeds = 10'000;
inline constexpr std::size_t kMaxSweepPoints = 10'000'000;

struct SweepDefinition {
  std::vector<SweepParameter> parameters;
  unsigned seeds = 5;
  double warmup_s = 0;
  // --warmup auto: each point finds its own warm-up (MSER-5, warmup_finder.h) from a first
  // pass with replication 0's seed, and all its replications leave that much out.
  bool warmup_auto = false;
  // --precision: each point runs replications until its intervals are narrow enough
  // (precision_runner.h) instead of `seeds` of them.
  std::optional<PrecisionTarget> precision;
};

struct SweepPoint {
  std::size_t index = 0;               // in the whole grid
  std::vector<ParameterValue> values;  // one per parameter, in the definition's order
};

struct Shard {
  std::size_t index = 0, count = 1;
};

// "I/N" with 0 <= I < N. Throws ScenarioError naming --shard.
Shard parse_shard(const std::string& text);

// Throws ScenarioError for a parameter given twice, no seeds, too many seeds or points, or a
// negative or non-finite warm-up.
void check_definition(const SweepDefinition& definition);
std::size_t grid_size(const SweepDefinition& definition);
SweepPoint grid_point(const SweepDefinition& definition, std::size_t index);
// The points of one shard, in grid order.
std::vector<SweepPoint> expand_grid(const SweepDefinition& definition, Shard shard = {});

// Replication 0 runs with the scenario's own seed (a one-seed sweep of a point is the run
// `loadlab-cli run` would do); the others with seeds derived from it.
std::uint64_t replication_seed(std::uint64_t scenario_seed, std::size_t replication);

// The scenario of one point and replication: parameters applied, seed and warm-up set.
Scenario point_scenario(const Scenario& base, const SweepDefinition& definition, const SweepPoint& point,
                        std::size_t replication);

// "rate=1000, balancer=p2c": how messages name a point.
std::string describe_point(const SweepDefinition& definition, const SweepPoint& point);

// Every point of the shard, each scenario applied and validated before anything runs: a
// sweep that would fail at its 900th point fails at once. Throws ScenarioError naming the
// point and the field.
std::vector<SweepPoint> plan_sweep(const Scenario& base, const SweepDefinition& definition, Shard shard = {});

}  // namespace loadlab
