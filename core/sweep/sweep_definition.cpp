#include "sweep/sweep_definition.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <set>

#include "base/random.h"
#include "sweep/scenario_parameter.h"

namespace loadlab {

Shard parse_shard(const std::string& text) {
  const std::size_t slash = text.find('/');
  Shard s;
  auto parse = [](std::string_view part, std::size_t& out) {
    const auto [ptr, ec] = std::from_chars(part.data(), part.data() + part.size(), out);
    return !part.empty() && ec == std::errc() && ptr == part.data() + part.size();
  };
  const std::string_view all(text);
  if (slash == std::string::npos || !parse(all.substr(0, slash), s.index) || !parse(all.substr(slash + 1), s.count))
    throw ScenarioError("--shard", fmt::format("'{}': expected I/N, e.g. 0/4 for the first of four shards", text));
  if (s.count == 0) throw ScenarioError("--shard", fmt::format("'{}': N must be at least 1", text));
  if (s.index >= s.count)
    throw ScenarioError("--shard",
                        fmt::format("'{}': I must be less than N (shards are numbered 0 to {})", text, s.count - 1));
  return s;
}

void check_definition(const SweepDefinition& d) {
  std::set<std::string> seen;
  for (const SweepParameter& p : d.parameters)
    if (!seen.insert(p.name).second)
      throw ScenarioError("--vary", fmt::format("'{}' is varied twice: give all its values in one --vary", p.name));
  if (d.seeds == 0) throw ScenarioError("--seeds", "0: every point needs at least one seed");
  if (d.seeds > kMaxSweepSeeds)
    throw ScenarioError("--seeds", fmt::format("{} is more than the limit of {}", d.seeds, kMaxSweepSeeds));
  if (!std::isfinite(d.warmup_s) || d.warmup_s < 0)
    throw ScenarioError("--warmup", fmt::format("{} must be a number of seconds >= 0", d.warmup_s));
  double points = 1;
  for (const SweepParameter& p : d.parameters) points *= static_cast<double>(p.values.size());
  if (points > static_cast<double>(kMaxSweepPoints))
    throw ScenarioError("--vary",
                        fmt::format("the grid has {:.0f} points, more than the limit of {}", points, kMaxSweepPoints));
}

std::size_t grid_size(const SweepDefinition& d) {
  std::size_t n = 1;
  for (const SweepParameter& p : d.parameters) n *= p.values.size();
  return n;
}

SweepPoint grid_point(const SweepDefinition& d, std::size_t index) {
  SweepPoint point;
  point.index = index;
  point.values.resize(d.parameters.size());
  // Mixed radix, the last parameter the fastest digit.
  for (std::size_t i = d.parameters.size(); i-- > 0;) {
    const std::size_t n = d.parameters[i].values.size();
    point.values[i] = d.parameters[i].values[index % n];
    index /= n;
  }
  return point;
}

std::vector<SweepPoint> expand_grid(const SweepDefinition& d, Shard shard) {
  std::vector<SweepPoint> points;
  const std::size_t n = grid_size(d);
  for (std::size_t k = shard.index; k < n; k += shard.count) points.push_back(grid_point(d, k));
  return points;
}

std::uint64_t replication_seed(std::uint64_t scenario_seed, std::size_t replication) {
  if (replication == 0) return scenario_seed;
  // A stream of its own ("sweep replications"), so these seeds are not the sub-stream seeds
  // of the keys or the balancer that the run itself derives from its seed.
  constexpr std::uint64_t kReplicationStream = 0x5EED5EED00000000ULL;
  return derive_seed(scenario_seed, kReplicationStream + replication);
}

Scenario point_scenario(const Scenario& base, const SweepDefinition& d, const SweepPoint& point,
                        std::size_t replication) {
  Scenario s = base;
  apply_point(s, d.parameters, point.values);
  s.seed = replication_seed(base.seed, replication);
  s.warmup_s = d.warmup_s;
  return s;
}

std::string describe_point(const SweepDefinition& d, const SweepPoint& point) {
  std::string text;
  for (std::size_t i = 0; i < d.parameters.size(); ++i)
    text += fmt::format("{}{}={}", i ? ", " : "", d.parameters[i].name, point.values[i].text);
  return text.empty() ? "the scenario" : text;
}

std::vector<SweepPoint> plan_sweep(const Scenario& base, const SweepDefinition& d, Shard shard) {
  check_definition(d);
  std::vector<SweepPoint> points = expand_grid(d, shard);
  for (const SweepPoint& p : points) {
    try {
      validate(point_scenario(base, d, p, 0));
    } catch (const ScenarioError& e) {
      // A --vary's own complaint (unknown node) already names it; a field of the scenario
      // gets the point that broke it.
      if (e.field().starts_with("--vary")) throw;
      throw ScenarioError(e.field(), fmt::format("{} (at point {})", e.problem(), describe_point(d, p)));
    }
  }
  return points;
}

}  // namespace loadlab
