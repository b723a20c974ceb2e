#include "scenario/scenario_json.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <span>
#include <sstream>
#include <type_traits>

#include "base/input_file.h"

namespace loadlab {
namespace {

using nlohmann::json;

std::string shown(const json& value) {
  std::string text = value.dump();
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return text;
}

std::uint64_t whole_number(const std::string& field, const json& v) {
  if (v.is_number_unsigned()) return v.get<std::uint64_t>();
  if (v.is_number_float()) {
    const double d = v.get<double>();
    if (std::isfinite(d) && d >= 0 && d <= 1.8e19 && std::floor(d) == d) return static_cast<std::uint64_t>(d);
  }
  throw ScenarioError(field, fmt::format("expected a whole number >= 0 (got {})", shown(v)));
}

// Reads one JSON object field by field and, at the end, rejects any field it was not asked
// about: that is how "rat": 3000 becomes an error instead of the default rate.
class ObjectReader {
 public:
  ObjectReader(const json& object, std::string path) : object_(object), path_(std::move(path)) {
    if (!object_.is_object())
      throw ScenarioError(path_.empty() ? "scenario" : path_,
                          fmt::format("expected an object {{...}} (got {})", shown(object_)));
  }

  std::string field(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

  const json* find(const std::string& key) {
    known_.insert(key);
    const auto it = object_.find(key);
    return it == object_.end() ? nullptr : &*it;
  }

  void read(const std::string& key, std::string& out) {
    if (const json* v = find(key)) {
      if (!v->is_string()) throw ScenarioError(field(key), fmt::format("expected a string (got {})", shown(*v)));
      out = v->get<std::string>();
    }
  }

  void read(const std::string& key, double& out) {
    if (const json* v = find(key)) {
      if (!v->is_number()) throw ScenarioError(field(key), fmt::format("expected a number (got {})", shown(*v)));
      out = v->get<double>();
    }
  }

  template <class Unsigned>
  void read_count(const std::string& key, Unsigned& out) {
    if (const json* v = find(key)) {
      const std::uint64_t n = whole_number(key, *v);
      if (n > std::numeric_limits<Unsigned>::max())
        throw ScenarioError(field(key), fmt::format("too large (got {})", n));
      out = static_cast<Unsigned>(n);
    }
  }

  template <class Enum>
  void read_choice(const std::string& key, Enum& out, std::initializer_list<std::pair<const char*, Enum>> choices) {
    read_choice(key, out, std::span<const std::pair<const char*, Enum>>(choices.begin(), choices.size()));
  }

  template <class Enum>
  void read_choice(const std::string& key, Enum& out,
                   std::span<const std::pair<const char*, std::type_identity_t<Enum>>> choices) {
    std::string text;
    read(key, text);
    if (find(key) == nullptr) return;
    std::string known;
    for (const auto& [name, value] : choices) {
      if (text == name) {
        out = value;
        return;
      }
      known += (known.empty() ? "" : ", ") + std::string(name);
    }
    throw ScenarioError(field(key), fmt::format("unknown value '{}' (known: {})", text, known));
  }

  std::uint64_t whole_number(const std::string& key, const json& v) const {
    return loadlab::whole_number(field(key), v);
  }

  void reject_unknown() const {
    for (const auto& [key, value] : object_.items()) {
      if (known_.count(key)) continue;
      std::string list;
      for (const auto& k : known_) list += (list.empty() ? "" : ", ") + k;
      throw ScenarioError(field(key), fmt::format("unknown field (known here: {})", list));
    }
  }

 private:
  const json& object_;
  std::string path_;
  std::set<std::string> known_;
};

// "queue": {"limit": 100 or "unlimited", "timeout_ms": 250 or "none"}, for the cluster or one node.
// `params`: the cluster's discipline parameters, read here; null for a node (the cluster's apply).
QueueOverrides read_queue(const json& value, const std::string& path, QueueDisciplineParams* params = nullptr) {
  ObjectReader r(value, path);
  QueueOverrides q;
  if (r.find("discipline")) {
    std::string name;
    r.read("discipline", name);
    q.discipline = name;
  }
  if (params) {
    r.read("codel_target_ms", params->codel_target_ms);
    r.read("codel_interval_ms", params->codel_interval_ms);
    r.read_count("lifo_threshold", params->lifo_threshold);
  }
  if (const json* v = r.find("limit")) {
    if (v->is_string() && v->get<std::string>() == "unlimited")
      q.limit = QueuePolicy::kUnlimited;
    else if (v->is_number_unsigned() || (v->is_number_float() && std::floor(v->get<double>()) == v->get<double>() &&
                                         v->get<double>() >= 0 && v->get<double>() < 1.8e19))
      q.limit = v->is_number_unsigned() ? v->get<std::uint64_t>() : static_cast<std::uint64_t>(v->get<double>());
    else
      throw ScenarioError(r.field("limit"),
                          fmt::format("expected a whole number >= 1 or \"unlimited\" (got {})", shown(*v)));
  }
  if (const json* v = r.find("timeout_ms")) {
    if (v->is_string() && v->get<std::string>() == "none")
      q.timeout_ms = QueuePolicy::kNoTimeout;
    else if (v->is_number())
      q.timeout_ms = v->get<double>();
    else
      throw ScenarioError(r.field("timeout_ms"),
                          fmt::format("expected a number of ms > 0 or \"none\" (got {})", shown(*v)));
  }
  r.reject_unknown();
  return q;
}

nlohmann::ordered_json queue_to_json(const QueueOverrides& q) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  if (q.limit)
    j["limit"] =
        *q.limit == QueuePolicy::kUnlimited ? nlohmann::ordered_json("unlimited") : nlohmann::ordered_json(*q.limit);
  if (q.timeout_ms)
    j["timeout_ms"] =
        std::isinf(*q.timeout_ms) ? nlohmann::ordered_json("none") : nlohmann::ordered_json(*q.timeout_ms);
  if (q.discipline) j["discipline"] = *q.discipline;
  return j;
}

void read_nodes(const json& value, Scenario& s) {
  if (value.is_number()) {  // "nodes": 3 is short for three default nodes
    const std::uint64_t count = whole_number("nodes", value);
    if (count > kMaxVirtualNodes)
      throw ScenarioError("nodes", fmt::format("at most {} nodes (got {})", kMaxVirtualNodes, count));
    s.nodes = default_nodes(count);
    return;
  }
  if (!value.is_array())
    throw ScenarioError("nodes", fmt::format("expected a list of nodes or a node count (got {})", shown(value)));
  if (value.size() > kMaxVirtualNodes)
    throw ScenarioError("nodes", fmt::format("at most {} nodes (got {})", kMaxVirtualNodes, value.size()));
  s.nodes.clear();
  for (std::size_t i = 0; i < value.size(); ++i) {
    ObjectReader r(value[i], fmt::format("nodes[{}]", i));
    NodeSpec n;
    n.name = default_node_name(i);
    r.read("name", n.name);
    r.read("weight", n.weight);
    r.read("speed", n.speed);
    r.read_count("slots", n.slots);
    if (const json* c = r.find("cache_capacity")) n.cache_capacity = r.whole_number("cache_capacity", *c);
    r.read("url", n.url);
    if (const json* q = r.find("queue")) n.queue = read_queue(*q, r.field("queue"));
    r.reject_unknown();
    s.nodes.push_back(std::move(n));
  }
}

void read_rate_schedule(const json& value, RateSchedule& schedule) {
  ObjectReader r(value, "workload.rate_schedule");
  r.read_choice("shape", schedule.shape,
                {{"steps", RateSchedule::Shape::steps}, {"linear", RateSchedule::Shape::linear}});
  r.read("period_s", schedule.period_s);
  const json* points = r.find("points");
  if (points == nullptr || !points->is_array() || points->empty())
    throw ScenarioError("workload.rate_schedule.points",
                        fmt::format("expected a list of points such as [{{\"at_s\": 0, \"rate\": 1000}}] (got {})",
                                    points ? shown(*points) : "nothing"));
  if (points->size() > kMaxSchedulePoints)
    throw ScenarioError("workload.rate_schedule.points",
                        fmt::format("at most {} points (got {})", kMaxSchedulePoints, points->size()));
  schedule.points.clear();
  for (std::size_t i = 0; i < points->size(); ++i) {
    const std::string at = fmt::format("workload.rate_schedule.points[{}]", i);
    ObjectReader pr((*points)[i], at);
    RatePoint p;
    for (const char* key : {"at_s", "rate"})
      if (pr.find(key) == nullptr) throw ScenarioError(pr.field(key), "missing: each point gives at_s and rate");
    pr.read("at_s", p.at_s);
    pr.read("rate", p.rate);
    pr.reject_unknown();
    schedule.points.push_back(p);
  }
  r.reject_unknown();
}

}  // namespace

// A scenario is at most four levels deep (nodes[i].service.mixture[j]); 64 leaves room for
// growth. The limit exists because the library's parser is iterative but printing a value in
// an error message recurses: 200,000 nested '[' overflowed the stack (issue 12).
constexpr int kMaxJsonDepth = 64;

Scenario parse_scenario(std::string_view text, const std::filesystem::path& base_dir) {
  json root;
  const json::parser_callback_t limit_depth = [](int depth, json::parse_event_t, json&) {
    if (depth > kMaxJsonDepth) throw ScenarioError("", fmt::format("JSON nested deeper than {} levels", kMaxJsonDepth));
    return true;
  };
  try {
    root = json::parse(text, limit_depth);
  } catch (const json::exception& e) {  // syntax errors, and numbers such as 1e400
    // e.what() carries the line and column; drop the library's "[json.exception...]" tag.
    std::string what = e.what();
    if (const auto pos = what.find("] "); pos != std::string::npos) what = what.substr(pos + 2);
    throw ScenarioError("", "not valid JSON: " + what);
  }

  Scenario s;
  ObjectReader r(root, "");
  r.read("name", s.name);
  r.read("description", s.description);
  r.read_count("seed", s.seed);
  if (const json* b = r.find("balancer")) {
    // "balancer": "p2c", or with tuning: "balancer": {"policy": "p2c", "choices": 3}
    if (b->is_object()) {
      ObjectReader br(*b, "balancer");
      br.read("policy", s.balancer);
      BalancerParams& p = s.balancer_params;
      br.read_count("choices", p.choices);
      br.read("decay_ms", p.decay_ms);
      br.read_count("vnodes", p.vnodes);
      br.read_count("table_size", p.table_size);
      br.read("balance_factor", p.balance_factor);
      br.reject_unknown();
    } else {
      r.read("balancer", s.balancer);
    }
  }
  r.read("interval_ms", s.interval_ms);
  r.read("warmup_s", s.warmup_s);
  r.read_choice("clock", s.clock, {{"real", Scenario::Clock::real}, {"virtual", Scenario::Clock::virtual_time}});
  if (const json* nodes = r.find("nodes")) read_nodes(*nodes, s);
  if (const json* queue = r.find("queue")) s.queue = read_queue(*queue, "queue", &s.queue.params).over(s.queue);
  if (const json* breakers = r.find("circuit_breakers")) {
    // Each limit a whole number; a limit not given stays off (validate() checks the range).
    ObjectReader b(*breakers, "circuit_breakers");
    CircuitBreakerLimits& l = s.circuit_breakers;
    for (auto [key, out] : {std::pair{"max_pending", &l.max_pending}, std::pair{"max_requests", &l.max_requests},
                            std::pair{"max_retries", &l.max_retries}})
      if (const json* v = b.find(key)) {
        *out = b.whole_number(key, *v);
        if (*out == CircuitBreakerLimits::kOff) --*out;  // never "off" by accident: validate() rejects it
      }
    b.reject_unknown();
  }
  if (const json* limiter = r.find("adaptive_concurrency")) {
    // The block turns the limiter on ("enabled": false keeps it off); Envoy's parameter names,
    // flattened (validate() checks the ranges).
    ObjectReader a(*limiter, "adaptive_concurrency");
    AdaptiveConcurrencyConfig& c = s.adaptive_concurrency;
    c.enabled = true;
    if (const json* v = a.find("enabled")) {
      if (!v->is_boolean())
        throw ScenarioError(a.field("enabled"), fmt::format("expected true or false (got {})", shown(*v)));
      c.enabled = v->get<bool>();
    }
    a.read("sample_aggregate_percentile", c.sample_aggregate_percentile);
    a.read_count("max_concurrency_limit", c.max_concurrency_limit);
    a.read("concurrency_update_interval_ms", c.concurrency_update_interval_ms);
    a.read("min_rtt_calc_interval_ms", c.min_rtt_calc_interval_ms);
    a.read_count("request_count", c.request_count);
    a.read("jitter", c.jitter);
    a.read_count("min_concurrency", c.min_concurrency);
    a.read("buffer", c.buffer);
    a.reject_unknown();
  }
  if (const json* drain = r.find("drain")) {
    if (drain->is_string() && drain->get<std::string>() == "wait")
      s.drain = Scenario::Drain::wait;
    else if (drain->is_string() && drain->get<std::string>() == "cancel")
      s.drain = Scenario::Drain::cancel;
    else if (drain->is_number())
      s.drain = Scenario::Drain::timeout, s.drain_timeout_s = drain->get<double>();
    else
      throw ScenarioError("drain",
                          fmt::format("expected \"wait\", \"cancel\" or a number of seconds (got {})", shown(*drain)));
  }
  if (const json* deadline = r.find("deadline_ms")) {
    if (deadline->is_string() && deadline->get<std::string>() == "none")
      s.deadline_ms = Scenario::kNoDeadline;
    else if (deadline->is_number())
      s.deadline_ms = deadline->get<double>();
    else
      throw ScenarioError("deadline_ms",
                          fmt::format("expected a number of ms > 0 or \"none\" (got {})", shown(*deadline)));
  }

  if (const json* cache = r.find("cache")) {
    ObjectReader c(*cache, "cache");
    c.read("policy", s.cache_policy);
    c.read_count("capacity", s.cache_capacity);
    if (const json* v = c.find("hill_climb")) {
      if (!v->is_boolean())
        throw ScenarioError("cache.hill_climb", fmt::format("expected true or false (got {})", shown(*v)));
      s.cache_params.hill_climb = v->get<bool>();
    }
    c.reject_unknown();
  }

  if (const json* workload = r.find("workload")) {
    Workload& w = s.workload;
    ObjectReader wr(*workload, "workload");
    wr.read_choice("mode", w.mode,
                   {{"open", Workload::Mode::open}, {"closed", Workload::Mode::closed}, {"max", Workload::Mode::max}});
    wr.read_choice("arrival", w.arrival,
                   {{"constant", Workload::Arrival::constant},
                    {"poisson", Workload::Arrival::poisson},
                    {"bursty", Workload::Arrival::bursty}});
    wr.read("rate", w.rate);
    if (const json* schedule = wr.find("rate_schedule")) read_rate_schedule(*schedule, w.rate_schedule);
    if (const json* bursty = wr.find("bursty")) {
      // "bursty": {...} alone means bursty arrivals; with another "arrival" it is a contradiction.
      if (wr.find("arrival") == nullptr) w.arrival = Workload::Arrival::bursty;
      if (w.arrival != Workload::Arrival::bursty)
        throw ScenarioError("workload.bursty",
                            fmt::format("only used with \"arrival\": \"bursty\" (got \"{}\")", to_string(w.arrival)));
      ObjectReader br(*bursty, "workload.bursty");
      br.read("on_rate", w.bursty.on_rate);
      br.read("off_rate", w.bursty.off_rate);
      br.read("mean_on_s", w.bursty.mean_on_s);
      br.read("mean_off_s", w.bursty.mean_off_s);
      br.reject_unknown();
    }
    if (wr.find("rate") == nullptr) {
      if (!w.rate_schedule.empty())
        w.rate = w.rate_schedule.peak();
      else if (w.arrival == Workload::Arrival::bursty)
        w.rate = w.bursty.mean_rate();
    }
    wr.read_count("requests", w.requests);
    wr.read("duration_s", w.duration_s);
    // A duration without a request count is the run's length: the default count (10,000)
    // would otherwise end a 6 s run at 4,000 req/s after 2.5 s (issue 12).
    if (wr.find("duration_s") != nullptr && wr.find("requests") == nullptr && w.duration_s > 0) w.requests = 0;
    wr.read_count("clients", w.clients);
    wr.read("think_ms", w.think_ms);
    wr.read_count("window", w.window);
    wr.read_count("keys", w.keys.keys);
    wr.read_choice("popularity", w.keys.kind,
                   {{"uniform", KeyPopularity::Kind::uniform},
                    {"zipf", KeyPopularity::Kind::zipf},
                    {"hotspot", KeyPopularity::Kind::hotspot}});
    wr.read("zipf_s", w.keys.zipf_s);
    wr.read("hot_fraction", w.keys.hot_fraction);
    wr.read("hot_share", w.keys.hot_share);
    wr.read("write_fraction", w.write_fraction);
    wr.reject_unknown();
  }

  if (const json* service = r.find("service")) {
    ObjectReader sr(*service, "service");
    sr.read("hit_us", s.service.hit_us);
    sr.read("miss_us", s.service.miss_us);
    ServiceModel& m = s.service;
    using D = ServiceModel::Distribution;
    sr.read_choice("distribution", m.distribution, std::span(kServiceDistributions));
    sr.read("p99_us", m.p99_us);
    sr.read("alpha", m.alpha);
    sr.read("max_us", m.max_us);
    sr.read("slow_probability", m.slow_probability);
    sr.read("slow_factor", m.slow_factor);
    std::string file;
    sr.read("file", file);
    if (sr.find("file") != nullptr) {
      if (sr.find("distribution") != nullptr && m.distribution != D::empirical)
        throw ScenarioError("service.file", fmt::format("only used with \"distribution\": \"empirical\" (got \"{}\")",
                                                        to_string(m.distribution)));
      if (file.empty()) throw ScenarioError("service.file", "must name a file of measured latencies (got \"\")");
      const std::filesystem::path path(file);
      load_service_latencies(m, path.is_relative() && !base_dir.empty() ? base_dir / path : path, "service.file",
                             sr.find("miss_us") != nullptr);
    } else if (m.distribution == D::empirical) {
      throw ScenarioError("service.file", "missing: an empirical service time reads its latencies from a file");
    }
    sr.reject_unknown();
  }
  if (s.nodes.empty() && r.find("nodes") == nullptr) s.nodes = default_nodes(3);

  if (const json* health = r.find("health")) {
    HealthCheckConfig& h = s.health;
    ObjectReader hr(*health, "health");
    hr.read("active_interval_ms", h.active_interval_ms);
    hr.read_count("fall", h.fall);
    hr.read_count("rise", h.rise);
    hr.read_count("max_fails", h.max_fails);
    hr.read("fail_timeout_s", h.fail_timeout_s);
    hr.read_count("consecutive_failures", h.consecutive_failures);
    hr.read("base_ejection_s", h.base_ejection_s);
    hr.read("slow_start_s", h.slow_start_s);
    hr.read("panic_threshold", h.panic_threshold);
    hr.reject_unknown();
  }

  if (const json* part = r.find("partitioning")) {
    Partitioning& p = s.partitioning;
    ObjectReader pr(*part, "partitioning");
    pr.read_choice("kind", p.kind,
                   {{"none", Partitioning::Kind::none},
                    {"hash", Partitioning::Kind::hash},
                    {"range", Partitioning::Kind::range},
                    {"ring", Partitioning::Kind::ring}});
    pr.read_count("partitions", p.partitions);
    pr.read_count("replication", p.replication);
    pr.read_count("write_quorum", p.write_quorum);
    pr.reject_unknown();
  }

  if (const json* retry = r.find("retry")) {
    ObjectReader rr(*retry, "retry");
    rr.read_count("max_retries", s.retry.max_retries);
    rr.read("budget", s.retry.budget);
    rr.read_count("min_retries", s.retry.min_retries);
    rr.reject_unknown();
  }

  if (const json* faults = r.find("faults")) {
    if (!faults->is_array())
      throw ScenarioError("faults", fmt::format("expected a list of events (got {})", shown(*faults)));
    for (std::size_t i = 0; i < faults->size(); ++i) {
      const std::string at = fmt::format("faults[{}]", i);
      ObjectReader fr((*faults)[i], at);
      FaultEvent f;
      fr.read("at_s", f.at_s);
      std::string node;
      fr.read("node", node);
      if (fr.find("node") == nullptr) throw ScenarioError(at + ".node", "missing: name the node, e.g. \"node\": \"b\"");
      const auto it = std::find_if(s.nodes.begin(), s.nodes.end(), [&](const NodeSpec& n) { return n.name == node; });
      if (it == s.nodes.end()) {
        std::string names;
        for (const NodeSpec& n : s.nodes) names += (names.empty() ? "" : ", ") + n.name;
        throw ScenarioError(at + ".node", fmt::format("unknown node '{}' (nodes: {})", node, names));
      }
      f.node = static_cast<std::size_t>(it - s.nodes.begin());
      fr.read_choice("action", f.action,
                     {{"kill", FaultEvent::Action::kill},
                      {"revive", FaultEvent::Action::revive},
                      {"speed", FaultEvent::Action::speed},
                      {"spikes", FaultEvent::Action::spikes}});
      fr.read("speed", f.speed);
      fr.read("probability", f.probability);
      fr.read("extra_us", f.extra_us);
      fr.reject_unknown();
      s.faults.push_back(f);
    }
  }
  r.reject_unknown();
  validate(s);
  return s;
}

Scenario load_scenario(const std::filesystem::path& file) {
  if (const auto problem = unreadable_file_problem(file)) throw ScenarioError("", "scenario file " + *problem);
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ScenarioError("", fmt::format("cannot open scenario file '{}'", file.string()));
  std::ostringstream text;
  text << in.rdbuf();
  try {
    return parse_scenario(text.str(), file.parent_path());
  } catch (const ScenarioError& e) {
    throw ScenarioError(e.field(), fmt::format("{} (in {})", e.problem(), file.string()));
  }
}

std::string scenario_to_json(const Scenario& s) {
  nlohmann::ordered_json j;
  j["name"] = s.name;
  j["description"] = s.description;
  j["seed"] = s.seed;
  const BalancerParams& p = s.balancer_params;
  j["balancer"] = {{"policy", s.balancer}, {"choices", p.choices},       {"decay_ms", p.decay_ms},
                   {"vnodes", p.vnodes},   {"table_size", p.table_size}, {"balance_factor", p.balance_factor}};
  j["cache"] = {{"policy", s.cache_policy}, {"capacity", s.cache_capacity}};
  if (s.cache_params.hill_climb) j["cache"]["hill_climb"] = true;
  auto& nodes = j["nodes"] = nlohmann::ordered_json::array();
  for (const NodeSpec& n : s.nodes) {
    nlohmann::ordered_json node{{"name", n.name}, {"weight", n.weight}, {"speed", n.speed}, {"slots", n.slots}};
    if (n.cache_capacity) node["cache_capacity"] = *n.cache_capacity;
    if (!n.url.empty()) node["url"] = n.url;
    if (!n.queue.empty()) node["queue"] = queue_to_json(n.queue);
    nodes.push_back(std::move(node));
  }
  const Workload& w = s.workload;
  j["workload"] = {{"mode", to_string(w.mode)},
                   {"arrival", to_string(w.arrival)},
                   {"rate", w.rate},
                   {"requests", w.requests},
                   {"duration_s", w.duration_s},
                   {"clients", w.clients},
                   {"think_ms", w.think_ms},
                   {"window", w.window},
                   {"keys", w.keys.keys},
                   {"popularity", to_string(w.keys.kind)},
                   {"zipf_s", w.keys.zipf_s},
                   {"hot_fraction", w.keys.hot_fraction},
                   {"hot_share", w.keys.hot_share},
                   {"write_fraction", w.write_fraction}};
  if (!w.rate_schedule.empty()) {
    auto& schedule = j["workload"]["rate_schedule"] = {{"shape", to_string(w.rate_schedule.shape)},
                                                       {"period_s", w.rate_schedule.period_s}};
    auto& points = schedule["points"] = nlohmann::ordered_json::array();
    for (const RatePoint& p : w.rate_schedule.points) points.push_back({{"at_s", p.at_s}, {"rate", p.rate}});
  }
  if (w.arrival == Workload::Arrival::bursty)
    j["workload"]["bursty"] = {{"on_rate", w.bursty.on_rate},
                               {"off_rate", w.bursty.off_rate},
                               {"mean_on_s", w.bursty.mean_on_s},
                               {"mean_off_s", w.bursty.mean_off_s}};
  const ServiceModel& m = s.service;
  auto& service =
      j["service"] = {{"hit_us", m.hit_us}, {"miss_us", m.miss_us}, {"distribution", to_string(m.distribution)}};
  switch (m.distribution) {  // only the parameters of the chosen distribution
    case ServiceModel::Distribution::fixed:
    case ServiceModel::Distribution::exponential:
      break;
    case ServiceModel::Distribution::lognormal:
      service["p99_us"] = m.p99_us;
      break;
    case ServiceModel::Distribution::pareto:
      service["alpha"] = m.alpha;
      break;
    case ServiceModel::Distribution::bounded_pareto:
      service["alpha"] = m.alpha;
      service["max_us"] = m.max_us;
      break;
    case ServiceModel::Distribution::bimodal:
      service["slow_probability"] = m.slow_probability;
      service["slow_factor"] = m.slow_factor;
      break;
    case ServiceModel::Distribution::empirical:
      service["file"] = m.file;
      break;
  }
  if (s.queue.limited() || s.queue.times_out() || s.queue.discipline != QueuePolicy{}.discipline) {
    j["queue"] = queue_to_json(QueueOverrides{s.queue.limit, s.queue.timeout_ms, s.queue.discipline});
    const QueueDisciplineParams& p = s.queue.params;
    j["queue"]["codel_target_ms"] = p.codel_target_ms;
    j["queue"]["codel_interval_ms"] = p.codel_interval_ms;
    j["queue"]["lifo_threshold"] = p.lifo_threshold;
  }
  if (s.circuit_breakers.any()) {
    nlohmann::ordered_json& b = j["circuit_breakers"] = nlohmann::ordered_json::object();
    const CircuitBreakerLimits& l = s.circuit_breakers;
    if (l.max_pending != CircuitBreakerLimits::kOff) b["max_pending"] = l.max_pending;
    if (l.max_requests != CircuitBreakerLimits::kOff) b["max_requests"] = l.max_requests;
    if (l.max_retries != CircuitBreakerLimits::kOff) b["max_retries"] = l.max_retries;
  }
  if (const AdaptiveConcurrencyConfig& c = s.adaptive_concurrency; c.enabled)
    j["adaptive_concurrency"] = {{"sample_aggregate_percentile", c.sample_aggregate_percentile},
                                 {"max_concurrency_limit", c.max_concurrency_limit},
                                 {"concurrency_update_interval_ms", c.concurrency_update_interval_ms},
                                 {"min_rtt_calc_interval_ms", c.min_rtt_calc_interval_ms},
                                 {"request_count", c.request_count},
                                 {"jitter", c.jitter},
                                 {"min_concurrency", c.min_concurrency},
                                 {"buffer", c.buffer}};
  if (s.has_deadline()) j["deadline_ms"] = s.deadline_ms;
  if (s.drain == Scenario::Drain::cancel) j["drain"] = "cancel";
  if (s.drain == Scenario::Drain::timeout) j["drain"] = s.drain_timeout_s;
  j["clock"] = to_string(s.clock);
  j["interval_ms"] = s.interval_ms;
  if (s.warmup_s > 0) j["warmup_s"] = s.warmup_s;
  const HealthCheckConfig& h = s.health;
  j["health"] = {{"active_interval_ms", h.active_interval_ms},
                 {"fall", h.fall},
                 {"rise", h.rise},
                 {"max_fails", h.max_fails},
                 {"fail_timeout_s", h.fail_timeout_s},
                 {"consecutive_failures", h.consecutive_failures},
                 {"base_ejection_s", h.base_ejection_s},
                 {"slow_start_s", h.slow_start_s},
                 {"panic_threshold", h.panic_threshold}};
  j["partitioning"] = {{"kind", to_string(s.partitioning.kind)},
                       {"partitions", s.partitioning.partitions},
                       {"replication", s.partitioning.replication},
                       {"write_quorum", s.partitioning.write_quorum}};
  j["retry"] = {{"max_retries", s.retry.max_retries}, {"budget", s.retry.budget}, {"min_retries", s.retry.min_retries}};
  auto& faults = j["faults"] = nlohmann::ordered_json::array();
  for (const FaultEvent& f : s.faults) {
    nlohmann::ordered_json e{{"at_s", f.at_s}, {"node", s.nodes.at(f.node).name}, {"action", to_string(f.action)}};
    if (f.action == FaultEvent::Action::speed) e["speed"] = f.speed;
    if (f.action == FaultEvent::Action::spikes) e["probability"] = f.probability, e["extra_us"] = f.extra_us;
    faults.push_back(std::move(e));
  }
  return j.dump(2) + "\n";
}

}  // namespace loadlab
