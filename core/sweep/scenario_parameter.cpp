#include "sweep/scenario_parameter.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <optional>

namespace loadlab {
namespace {

using Setter = std::function<void(Scenario&, const ParameterValue&)>;
// The value a scenario has now, for a chart's "you are here" marker; empty where the
// parameter has no single value (slots differ between nodes, say).
using Getter = std::function<std::optional<double>(const Scenario&)>;

struct Entry {
  ParameterInfo info;
  Setter set;
  Getter get;
};

NodeSpec& node_named(Scenario& s, const std::string& parameter, const std::string& node) {
  const auto it = std::find_if(s.nodes.begin(), s.nodes.end(), [&](const NodeSpec& n) { return n.name == node; });
  if (it == s.nodes.end()) {
    std::string known;
    for (const NodeSpec& n : s.nodes) known += (known.empty() ? "" : ", ") + n.name;
    throw ScenarioError("--vary " + parameter, fmt::format("unknown node '{}' (the scenario has {})", node, known));
  }
  return *it;
}

std::size_t whole(const ParameterValue& v) { return static_cast<std::size_t>(v.number); }

void resize_nodes(Scenario& s, std::size_t count) {
  if (count == 0) throw ScenarioError("--vary nodes", "0 nodes: a cluster needs at least one");
  if (count > kMaxVirtualNodes)
    throw ScenarioError("--vary nodes", fmt::format("{} is more than the limit of {}", count, kMaxVirtualNodes));
  if (count <= s.nodes.size()) {
    s.nodes.resize(count);
    return;
  }
  // New nodes take default names, skipping any the scenario already uses.
  std::size_t next_name = 0;
  while (s.nodes.size() < count) {
    NodeSpec spec;
    do spec.name = default_node_name(next_name++);
    while (std::any_of(s.nodes.begin(), s.nodes.end(), [&](const NodeSpec& n) { return n.name == spec.name; }));
    if (!s.nodes.empty()) spec.slots = s.nodes.back().slots;
    s.nodes.push_back(std::move(spec));
  }
}

const std::vector<Entry>& table() {
  static const std::vector<Entry> entries = [] {
    using K = ParameterKind;
    std::vector<Entry> e;
    auto add = [&](std::string name, K kind, std::string summary, Setter set, Getter get = {}) {
      e.push_back({{std::move(name), kind, std::move(summary)}, std::move(set), std::move(get)});
    };
    add(
        "rate", K::real, "arrival rate, requests per second (open loop)",
        [](Scenario& s, const ParameterValue& v) {
          // A rate schedule keeps its shape, scaled so its peak is the new rate.
          if (!s.workload.rate_schedule.points.empty() && s.workload.rate > 0) {
            const double factor = v.number / s.workload.rate;
            for (RatePoint& p : s.workload.rate_schedule.points) p.rate *= factor;
          }
          s.workload.rate = v.number;
        },
        [](const Scenario& s) -> std::optional<double> { return s.workload.rate; });
    add(
        "nodes", K::integer, "number of nodes (the first keep their settings, new ones get weight 1, speed 1)",
        [](Scenario& s, const ParameterValue& v) { resize_nodes(s, whole(v)); },
        [](const Scenario& s) -> std::optional<double> { return static_cast<double>(s.nodes.size()); });
    add(
        "zipf", K::real, "Zipf exponent s of key popularity (sets popularity to zipf)",
        [](Scenario& s, const ParameterValue& v) {
          s.workload.keys.kind = KeyPopularity::Kind::zipf;
          s.workload.keys.zipf_s = v.number;
        },
        [](const Scenario& s) -> std::optional<double> {
          if (s.workload.keys.kind != KeyPopularity::Kind::zipf) return std::nullopt;
          return s.workload.keys.zipf_s;
        });
    add(
        "keys", K::integer, "distinct keys",
        [](Scenario& s, const ParameterValue& v) { s.workload.keys.keys = whole(v); },
        [](const Scenario& s) -> std::optional<double> { return static_cast<double>(s.workload.keys.keys); });
    add(
        "cache-capacity", K::integer, "cache capacity of every node, objects (overrides per-node sizes)",
        [](Scenario& s, const ParameterValue& v) {
          s.cache_capacity = whole(v);
          for (NodeSpec& n : s.nodes) n.cache_capacity.reset();
        },
        [](const Scenario& s) -> std::optional<double> {
          for (const NodeSpec& n : s.nodes)
            if (n.cache_capacity && *n.cache_capacity != s.cache_capacity) return std::nullopt;
          return static_cast<double>(s.cache_capacity);
        });
    add(
        "slots", K::integer, "requests each node serves at once",
        [](Scenario& s, const ParameterValue& v) {
          for (NodeSpec& n : s.nodes) n.slots = static_cast<unsigned>(std::min<std::size_t>(whole(v), ~0u));
        },
        [](const Scenario& s) -> std::optional<double> {
          if (s.nodes.empty()) return std::nullopt;
          for (const NodeSpec& n : s.nodes)
            if (n.slots != s.nodes.front().slots) return std::nullopt;
          return static_cast<double>(s.nodes.front().slots);
        });
    // One parameter for both, so a sweep can set a cluster's shape pairwise: "1x4,4x1" is one
    // node of 4 slots against 4 nodes of one (pooling), which a grid of nodes × slots cannot.
    add("shape", K::categorical, "nodes x slots per node, e.g. 1x4,4x1 (one pooled queue vs four)",
        [](Scenario& s, const ParameterValue& v) {
          const std::size_t x = v.text.find('x');
          std::size_t nodes = 0, slots = 0;
          const auto whole_text = [](const std::string& t, std::size_t& out) {
            if (t.empty() || t.size() > 9 ||
                !std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; }))
              return false;
            out = std::stoul(t);
            return out > 0;
          };
          if (x == std::string::npos || !whole_text(v.text.substr(0, x), nodes) ||
              !whole_text(v.text.substr(x + 1), slots) || slots > ~0u)
            throw ScenarioError("--vary shape",
                                fmt::format("'{}' is not NODESxSLOTS with both whole numbers >= 1, e.g. 4x1", v.text));
          resize_nodes(s, nodes);
          for (NodeSpec& n : s.nodes) n.slots = static_cast<unsigned>(slots);
        });
    add("weight:NODE", K::real, "the weight of one node, e.g. weight:c", {});
    add("speed:NODE", K::real, "the speed of one node, e.g. speed:c (0.5 is twice as slow)", {});
    add("balancer", K::categorical, "balancer names, e.g. round-robin,p2c,least-connections",
        [](Scenario& s, const ParameterValue& v) { s.balancer = v.text; });
    add("cache", K::categorical, "cache policy names, e.g. lru,s3fifo,sieve",
        [](Scenario& s, const ParameterValue& v) { s.cache_policy = v.text; });
    add("service", K::categorical, "service-time distribution: fixed, exponential, lognormal, pareto, ...",
        [](Scenario& s, const ParameterValue& v) {
          for (const auto& [name, d] : kServiceDistributions)
            if (v.text == name) {
              s.service.distribution = d;
              return;
            }
          std::string known;
          for (const auto& [name, d] : kServiceDistributions) known += (known.empty() ? "" : ", ") + std::string(name);
          throw ScenarioError("--vary service", fmt::format("unknown distribution '{}' (known: {})", v.text, known));
        });
    add(
        "hit-us", K::real, "mean service time of a cache hit, µs",
        [](Scenario& s, const ParameterValue& v) { s.service.hit_us = v.number; },
        [](const Scenario& s) -> std::optional<double> { return s.service.hit_us; });
    add(
        "miss-us", K::real, "mean service time of a miss, µs",
        [](Scenario& s, const ParameterValue& v) { s.service.miss_us = v.number; },
        [](const Scenario& s) -> std::optional<double> { return s.service.miss_us; });
    add("p99-us", K::real, "lognormal service: 99th percentile of a miss, µs",
        [](Scenario& s, const ParameterValue& v) { s.service.p99_us = v.number; });
    add("alpha", K::real, "pareto / bounded-pareto service: tail index",
        [](Scenario& s, const ParameterValue& v) { s.service.alpha = v.number; });
    add("max-us", K::real, "bounded-pareto service: the longest miss, µs",
        [](Scenario& s, const ParameterValue& v) { s.service.max_us = v.number; });
    add("slow-probability", K::real, "bimodal service: share of slow requests",
        [](Scenario& s, const ParameterValue& v) { s.service.slow_probability = v.number; });
    add("slow-factor", K::real, "bimodal service: how many times slower the slow ones are",
        [](Scenario& s, const ParameterValue& v) { s.service.slow_factor = v.number; });
    add("choices", K::integer, "p2c: nodes sampled per pick (d of the power of d choices)",
        [](Scenario& s, const ParameterValue& v) {
          s.balancer_params.choices = static_cast<unsigned>(std::min<std::size_t>(whole(v), ~0u));
        });
    add("balance-factor", K::real, "bounded-load: most load a node takes, × the mean",
        [](Scenario& s, const ParameterValue& v) { s.balancer_params.balance_factor = v.number; });
    add(
        "requests", K::integer, "requests per run",
        [](Scenario& s, const ParameterValue& v) { s.workload.requests = whole(v); },
        [](const Scenario& s) -> std::optional<double> { return static_cast<double>(s.workload.requests); });
    add(
        "requests-per-node", K::integer, "requests per run, × the number of nodes (n balls into n bins: 1)",
        [](Scenario& s, const ParameterValue& v) { s.workload.requests = whole(v) * s.nodes.size(); },
        [](const Scenario& s) -> std::optional<double> {
          if (s.nodes.empty()) return std::nullopt;
          return static_cast<double>(s.workload.requests) / static_cast<double>(s.nodes.size());
        });
    add("clients", K::integer, "closed loop: clients", [](Scenario& s, const ParameterValue& v) {
      s.workload.clients = static_cast<unsigned>(std::min<std::size_t>(whole(v), ~0u));
    });
    add(
        "think-ms", K::real, "closed loop: think time, ms",
        [](Scenario& s, const ParameterValue& v) { s.workload.think_ms = v.number; },
        [](const Scenario& s) -> std::optional<double> { return s.workload.think_ms; });
    return e;
  }();
  return entries;
}

const Entry* find_entry(const std::string& name) {
  for (const Entry& e : table()) {
    const std::string& n = e.info.name;
    if (n == name) return &e;
    if (n.ends_with(":NODE") && name.starts_with(n.substr(0, n.size() - 4))) return &e;
  }
  return nullptr;
}

}  // namespace

const std::vector<ParameterInfo>& sweep_parameters() {
  static const std::vector<ParameterInfo> infos = [] {
    std::vector<ParameterInfo> v;
    for (const Entry& e : table()) v.push_back(e.info);
    return v;
  }();
  return infos;
}

const ParameterInfo* find_sweep_parameter(const std::string& name) {
  const Entry* e = find_entry(name);
  return e ? &e->info : nullptr;
}

void apply_sweep_parameter(Scenario& scenario, const std::string& name, const ParameterValue& value) {
  const Entry* e = find_entry(name);
  if (!e) throw ScenarioError("--vary", fmt::format("unknown parameter '{}'", name));
  if (e->info.name == "weight:NODE") {
    node_named(scenario, name, name.substr(7)).weight = value.number;
  } else if (e->info.name == "speed:NODE") {
    node_named(scenario, name, name.substr(6)).speed = value.number;
  } else {
    e->set(scenario, value);
  }
}

std::optional<double> sweep_parameter_value(const Scenario& scenario, const std::string& name) {
  const Entry* e = find_entry(name);
  if (!e) return std::nullopt;
  const auto node = [&](std::size_t prefix) -> const NodeSpec* {
    for (const NodeSpec& n : scenario.nodes)
      if (n.name == name.substr(prefix)) return &n;
    return nullptr;
  };
  if (e->info.name == "weight:NODE") {
    const NodeSpec* n = node(7);
    return n ? std::optional<double>(n->weight) : std::nullopt;
  }
  if (e->info.name == "speed:NODE") {
    const NodeSpec* n = node(6);
    return n ? std::optional<double>(n->speed) : std::nullopt;
  }
  return e->get ? e->get(scenario) : std::nullopt;
}

void apply_point(Scenario& scenario, const std::vector<SweepParameter>& parameters,
                 const std::vector<ParameterValue>& values) {
  const auto varies = [&](std::string_view name) {
    return std::any_of(parameters.begin(), parameters.end(), [&](const SweepParameter& p) { return p.name == name; });
  };
  if (varies("shape") && (varies("nodes") || varies("slots")))
    throw ScenarioError("--vary shape", "sets the nodes and their slots: leave out --vary nodes and --vary slots");
  if (varies("requests") && varies("requests-per-node"))
    throw ScenarioError("--vary requests-per-node", "sets the requests: leave out --vary requests");
  // The cluster's size first, so `weight:d` can name a node that `nodes=4` adds and
  // `requests-per-node` counts the nodes of this point.
  const auto sizes_cluster = [](const std::string& name) { return name == "nodes" || name == "shape"; };
  for (std::size_t i = 0; i < parameters.size(); ++i)
    if (sizes_cluster(parameters[i].name)) apply_sweep_parameter(scenario, parameters[i].name, values[i]);
  for (std::size_t i = 0; i < parameters.size(); ++i)
    if (!sizes_cluster(parameters[i].name)) apply_sweep_parameter(scenario, parameters[i].name, values[i]);
}

}  // namespace loadlab
