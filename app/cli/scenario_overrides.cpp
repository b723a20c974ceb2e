#include "scenario_overrides.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <span>
#include <sstream>

namespace loadlab::cli {
namespace {

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find(separator, start), text.size());
    parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

std::optional<double> to_number(const std::string& item) {
  double v = 0;
  const auto [ptr, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
  if (item.empty() || ec != std::errc() || ptr != item.data() + item.size()) return std::nullopt;
  return v;
}

std::vector<double> parse_list(const std::string& flag, const std::string& text) {
  std::vector<double> values;
  for (const std::string& item : split(text, ',')) {
    const auto v = to_number(item);
    if (!v) throw ScenarioError(flag, fmt::format("'{}' is not a number (in '{}')", item, text));
    values.push_back(*v);
  }
  return values;
}

// AT_S:RATE,AT_S:RATE,... e.g. 0:1000,10:5000,20:1000.
std::vector<RatePoint> parse_rate_schedule(const std::string& text) {
  std::vector<RatePoint> points;
  for (const std::string& item : split(text, ',')) {
    const std::vector<std::string> parts = split(item, ':');
    const auto at = parts.size() == 2 ? to_number(parts[0]) : std::nullopt;
    const auto rate = parts.size() == 2 ? to_number(parts[1]) : std::nullopt;
    if (!at || !rate)
      throw ScenarioError("--rate-schedule",
                          fmt::format("'{}' (in '{}'): expected AT_S:RATE, e.g. 0:1000,10:5000,20:1000", item, text));
    points.push_back({*at, *rate});
  }
  return points;
}

// ON_RATE:OFF_RATE:MEAN_ON_S:MEAN_OFF_S, e.g. 5000:500:1:4.
BurstyArrivals parse_bursty(const std::string& text) {
  const std::vector<std::string> parts = split(text, ':');
  std::vector<double> values;
  for (const std::string& p : parts)
    if (const auto v = to_number(p)) values.push_back(*v);
  if (parts.size() != 4 || values.size() != 4)
    throw ScenarioError("--bursty",
                        fmt::format("'{}': expected ON_RATE:OFF_RATE:MEAN_ON_S:MEAN_OFF_S, e.g. 5000:500:1:4", text));
  return BurstyArrivals{values[0], values[1], values[2], values[3]};
}

template <class Enum>
Enum parse_choice(const std::string& flag, const std::string& text,
                  std::span<const std::pair<const char*, Enum>> choices) {
  std::string known;
  for (const auto& [name, value] : choices) {
    if (text == name) return value;
    known += (known.empty() ? "" : ", ") + std::string(name);
  }
  throw ScenarioError(flag, fmt::format("unknown value '{}' (known: {})", text, known));
}

template <class Enum>
Enum parse_choice(const std::string& flag, const std::string& text,
                  std::initializer_list<std::pair<const char*, Enum>> choices) {
  return parse_choice<Enum>(flag, text, std::span<const std::pair<const char*, Enum>>(choices.begin(), choices.size()));
}

// AT:ACTION:NODE[:VALUE[:VALUE]], e.g. 5:kill:b, 3:speed:a:0.5, 2:spikes:c:0.05:20000.
FaultEvent parse_fault(const std::string& text, const std::vector<NodeSpec>& nodes) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, ':');) parts.push_back(part);
  auto bad = [&](const std::string& why) { return ScenarioError("--fault", fmt::format("'{}': {}", text, why)); };
  if (parts.size() < 3) throw bad("expected AT:ACTION:NODE, e.g. 5:kill:b");
  auto number = [&](const std::string& p) {
    double v = 0;
    const auto [end, error] = std::from_chars(p.data(), p.data() + p.size(), v);
    if (p.empty() || error != std::errc{} || end != p.data() + p.size())
      throw bad(fmt::format("'{}' is not a number", p));
    return v;
  };
  FaultEvent f;
  f.at_s = number(parts[0]);
  const std::string& action = parts[1];
  const auto node = std::find_if(nodes.begin(), nodes.end(), [&](const NodeSpec& n) { return n.name == parts[2]; });
  if (node == nodes.end()) throw bad(fmt::format("unknown node '{}'", parts[2]));
  f.node = static_cast<std::size_t>(node - nodes.begin());
  if (action == "kill" || action == "revive") {
    if (parts.size() != 3) throw bad(action + " takes no value");
    f.action = action == "kill" ? FaultEvent::Action::kill : FaultEvent::Action::revive;
  } else if (action == "speed") {
    if (parts.size() != 4) throw bad("expected AT:speed:NODE:FACTOR");
    f.action = FaultEvent::Action::speed;
    f.speed = number(parts[3]);
  } else if (action == "spikes") {
    if (parts.size() != 5) throw bad("expected AT:spikes:NODE:PROBABILITY:EXTRA_US");
    f.action = FaultEvent::Action::spikes;
    f.probability = number(parts[3]);
    f.extra_us = number(parts[4]);
  } else {
    throw bad(fmt::format("unknown action '{}' (known: kill, revive, speed, spikes)", action));
  }
  return f;
}

// --queue-limit N|unlimited and --queue-timeout-ms MS|none: the range is validate()'s, so a
// flag and a scenario file say the same about the same value.
std::uint64_t parse_queue_limit(const std::string& text) {
  if (text == "unlimited") return QueuePolicy::kUnlimited;
  std::uint64_t v = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || v == 0 || v > kMaxQueueLimit)
    throw ScenarioError("--queue-limit", fmt::format("must be a whole number from 1 to {} or 'unlimited' (got '{}')",
                                                     kMaxQueueLimit, text));
  return v;
}

// A circuit breaker's limit: a whole number from 1, or "off".
std::uint64_t parse_breaker_limit(const char* flag, const std::string& text) {
  if (text == "off") return CircuitBreakerLimits::kOff;
  std::uint64_t v = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || v == 0 || v > kMaxCircuitBreakerLimit)
    throw ScenarioError(
        flag, fmt::format("must be a whole number from 1 to {} or 'off' (got '{}')", kMaxCircuitBreakerLimit, text));
  return v;
}

// A time in ms > 0, or "none".
double parse_ms_or_none(const char* flag, const std::string& text) {
  if (text == "none") return std::numeric_limits<double>::infinity();
  const auto v = to_number(text);
  if (!v || !std::isfinite(*v) || *v <= 0 || *v > kMaxQueueTimeoutMs)
    throw ScenarioError(
        flag, fmt::format("must be a number of ms > 0 and <= {} or 'none' (got '{}')", kMaxQueueTimeoutMs, text));
  return *v;
}

}  // namespace

void ScenarioOverrides::add_to(CLI::App& app, bool with_balancer) {
  app.add_option("--nodes", nodes, "Number of backend nodes (one worker thread each)");
  app.add_option("--weights", weights, "Comma-separated node weights, e.g. 5,3,1 (0 takes a node out)");
  app.add_option("--speeds", speeds, "Comma-separated speed factors; 0.5 serves twice as slowly");
  app.add_option("--slots", slots, "Requests each node serves at once (default 1); others queue");
  if (with_balancer) app.add_option("--balancer,-b", balancer, "Balancing policy (see `loadlab-cli list`)");
  app.add_option("--choices", choices, "p2c: nodes sampled per pick (default 2)");
  app.add_option("--decay-ms", decay_ms, "peak-ewma: decay time of the latency average, ms (default 10000)");
  app.add_option("--vnodes", vnodes, "ring-hash, bounded-load: ring points per unit of weight (default 100)");
  app.add_option("--table-size", table_size, "maglev: lookup table size, a prime (default 65537)");
  app.add_option("--balance-factor", balance_factor, "bounded-load: max load as a multiple of the mean (default 1.25)");
  app.add_option("--cache", cache, "Cache policy per node (see `loadlab-cli list`)");
  app.add_option("--cache-capacity", cache_capacity, "Objects each node's cache holds");
  app.add_flag("--hill-climb", hill_climb, "wtinylfu: adapt the window by Caffeine's hill climber (default: 1%)");
  app.add_option("--mode", mode, "open (target rate), closed (clients wait for answers) or max");
  app.add_flag("--max", max, "Same as --mode max: as fast as the engine can go");
  app.add_option("--rate,-r", rate, "Open loop: target requests per second");
  app.add_option("--arrival", arrival, "Open loop: constant, poisson or bursty arrivals");
  app.add_option("--requests,-n", requests, "Stop issuing after this many requests (0: no limit)");
  app.add_option("--duration", duration,
                 "Stop issuing after this many seconds (0: no limit); without --requests the run lasts this long");
  app.add_option("--clients", clients, "Closed loop: number of clients");
  app.add_option("--think-ms", think_ms, "Closed loop: think time between answer and next request");
  app.add_option("--window", window, "Max mode: requests outstanding at once");
  app.add_option("--keys", keys, "Number of distinct keys");
  app.add_option("--popularity", popularity, "Key popularity: uniform, zipf or hotspot");
  app.add_option("--zipf", zipf, "Zipf exponent s (implies --popularity zipf)");
  app.add_option("--hot-fraction", hot_fraction, "Hotspot: fraction of keys that are hot");
  app.add_option("--hot-share", hot_share, "Hotspot: fraction of requests for the hot keys");
  app.add_option("--hit-us", hit_us, "Service time of a cache hit, microseconds");
  app.add_option("--miss-us", miss_us, "Service time of a cache miss (backing store), microseconds");
  app.add_option("--service", service,
                 "Service time distribution: fixed, exponential, lognormal, pareto, bounded-pareto, bimodal or "
                 "empirical (docs/models.md)");
  app.add_option("--service-p99-us", service_p99_us, "lognormal: 99th percentile of a miss, microseconds (implies it)");
  app.add_option("--service-alpha", service_alpha,
                 "pareto, bounded-pareto: tail index (implies pareto, or bounded-pareto with --service-max-us)");
  app.add_option("--service-max-us", service_max_us, "bounded-pareto: the longest miss, microseconds (implies it)");
  app.add_option("--service-slow-probability", service_slow_probability,
                 "bimodal: share of requests in the slow mode (implies bimodal)");
  app.add_option("--service-slow-factor", service_slow_factor,
                 "bimodal: how many times slower the slow mode is (implies bimodal)");
  app.add_option("--service-file", service_file,
                 "empirical: measured latencies, one value_us per line or value_us,count (implies it; misses take "
                 "these times unless --miss-us rescales them)");
  app.add_option("--rate-schedule", rate_schedule,
                 "Open loop: rate over time AT_S:RATE,... e.g. 0:1000,10:5000,20:1000 ('none' removes one); --rate "
                 "scales it to that peak");
  app.add_option("--rate-shape", rate_shape, "Rate schedule: steps (hold each rate, default) or linear (ramps)");
  app.add_option("--rate-period", rate_period, "Rate schedule: repeat every this many seconds (0: hold the last rate)");
  app.add_option("--bursty", bursty,
                 "Bursty on/off arrivals ON_RATE:OFF_RATE:MEAN_ON_S:MEAN_OFF_S, e.g. 5000:500:1:4 (implies --arrival "
                 "bursty); --rate scales them to that long-run mean");
  app.add_option("--clock", clock, "real (threads and timers, default) or virtual (simulated time)");
  app.add_option("--fault", faults,
                 "Scheduled fault AT:ACTION:NODE, ACTION kill, revive, speed:FACTOR or spikes:PROB:EXTRA_US "
                 "(e.g. 5:kill:b, 12:revive:b); repeatable");
  app.add_option("--active-checks", active_checks_ms,
                 "Active health checks every this many ms (0: off, the default; HAProxy's inter is 2000)");
  app.add_option("--rise", rise, "Active checks: good probes in a row that bring a node back (default 2)");
  app.add_option("--fall", fall, "Active checks: failed probes in a row that mark a node down (default 3)");
  app.add_option("--panic-threshold", panic_threshold,
                 "Percent of nodes that must be available, else pick among all of them as if healthy (default 50; "
                 "0: off)");
  app.add_option("--max-fails", max_fails,
                 "Passive checks: failures within --fail-timeout that mark a node down (0: off; default 1)");
  app.add_option("--fail-timeout", fail_timeout, "Passive checks: window and time out, seconds (default 10)");
  app.add_option("--eject-after", eject_after, "Outlier ejection after this many failures in a row (0: off)");
  app.add_option("--ejection-s", ejection_s, "Outlier ejection: base ejection time, seconds (default 30)");
  app.add_option("--retries", retries, "Retry a request whose node is down on another node, up to N times (default 0)");
  app.add_option("--retry-budget", retry_budget,
                 "Retries at most this fraction of the requests issued (default 0.2) plus 10");
  app.add_option("--partitioning", partitioning, "Data placement: none, hash, range or ring (consistent hashing)");
  app.add_option("--partitions", partitions, "Partitions (default 8 per node; 1024 for ring)");
  app.add_option("--replication", replication, "Replicas of each partition, R (default 1)");
  app.add_option("--write-quorum", write_quorum, "Acknowledgements a write needs, W (default all R)");
  app.add_option("--writes", writes, "Share of requests that are writes, 0 to 1 (needs --partitioning)");
  app.add_option("--slow-start", slow_start, "Seconds over which a node that comes back ramps up its weight (0: off)");
  app.add_option("--seed", seed, "Random seed: the same seed gives the same keys and choices");
  app.add_option("--interval-ms", interval_ms, "Metrics interval in milliseconds (default 100)");
  app.add_option("--queue-limit", queue_limit,
                 "Requests each node lets wait for a slot, N or 'unlimited' (the default); the next one fails at "
                 "once with reason queue_full (HAProxy's maxqueue)");
  app.add_option("--queue-timeout-ms", queue_timeout_ms,
                 "A request that waits this long for a slot fails with reason queue_timeout, MS or 'none' (the "
                 "default; HAProxy's timeout queue)");
  app.add_option("--queue-discipline", queue_discipline,
                 "Who a node serves next: fifo (default), adaptive-lifo or codel (see `loadlab-cli list`)");
  app.add_option("--codel-target-ms", codel_target_ms, "codel: queueing delay it aims for, ms (default 5)");
  app.add_option("--codel-interval-ms", codel_interval_ms,
                 "codel: how long the delay may stay above the target before it drops, ms (default 100)");
  app.add_option("--lifo-threshold", lifo_threshold,
                 "adaptive-lifo: serve the newest first once more than this many wait (default 10)");
  app.add_option("--cb-max-pending", cb_max_pending,
                 "Circuit breaker: requests waiting for a slot in the whole cluster at most, N or 'off' (the "
                 "default); the next fails at once with reason overflow (Envoy's max_pending_requests)");
  app.add_option("--cb-max-requests", cb_max_requests,
                 "Circuit breaker: requests outstanding at the nodes (waiting or in service) at most, N or 'off' "
                 "(the default); reason overflow (Envoy's max_requests)");
  app.add_option("--cb-max-retries", cb_max_retries,
                 "Circuit breaker: retries outstanding at once at most, N or 'off' (the default); a retry refused "
                 "fails with reason overflow (Envoy's max_retries)");
  app.add_flag("--adaptive-concurrency", adaptive_concurrency,
               "An adaptive concurrency limiter in front of the cluster (Envoy's gradient controller); requests "
               "over its limit fail at once with reason concurrency_limited");
  app.add_option("--ac-max-concurrency-limit", ac_max_limit, "Adaptive concurrency: highest limit (default 1000)");
  app.add_option("--ac-min-concurrency", ac_min_concurrency,
                 "Adaptive concurrency: the limit while minRTT is measured, and the lowest (default 3)");
  app.add_option("--ac-concurrency-update-interval-ms", ac_update_interval_ms,
                 "Adaptive concurrency: the sample window, ms (default 100)");
  app.add_option("--ac-min-rtt-calc-interval-ms", ac_min_rtt_interval_ms,
                 "Adaptive concurrency: how often minRTT is measured again, ms (default 60000)");
  app.add_option("--ac-request-count", ac_request_count,
                 "Adaptive concurrency: answers a minRTT measurement takes (default 50)");
  app.add_option("--ac-jitter", ac_jitter, "Adaptive concurrency: random delay of a minRTT window, % (default 15)");
  app.add_option("--ac-buffer", ac_buffer, "Adaptive concurrency: latency allowed above minRTT, % (default 25)");
  app.add_option("--ac-sample-aggregate-percentile", ac_percentile,
                 "Adaptive concurrency: the latency percentile of a window, % (default 50)");
  app.add_option("--drain", drain,
                 "Once the last request is issued: wait for the backlog (default), cancel it, or cancel what is left "
                 "after SECONDS (cancelled requests count as failed, reason cancelled)");
  app.add_option("--deadline-ms", deadline_ms,
                 "Requests answered within MS of their intended send time count as goodput, reported beside the "
                 "throughput ('none': no deadline, the default)");
  app.add_option("--warmup", warmup,
                 "Leave the first SECONDS out of every figure of the report (caches warming, queues filling); "
                 "'auto' (virtual clock): find the end of the warm-up from the run's own interval series (MSER-5)");
}

void ScenarioOverrides::apply(Scenario& s, bool from_file) const {
  std::optional<std::vector<double>> weight_list, speed_list;
  if (weights) weight_list = parse_list("--weights", *weights);
  if (speeds) speed_list = parse_list("--speeds", *speeds);

  // Node count: --nodes, else the file's, else as many as weights or speeds were given.
  std::size_t count = s.nodes.size();
  if (nodes)
    count = *nodes;
  else if (!from_file && weight_list)
    count = weight_list->size();
  else if (!from_file && speed_list)
    count = speed_list->size();
  if (count > kMaxVirtualNodes)
    throw ScenarioError("--nodes", fmt::format("at most {} nodes (got {})", kMaxVirtualNodes, count));
  if (count != s.nodes.size()) {
    std::vector<NodeSpec> resized = default_nodes(count);
    for (std::size_t i = 0; i < std::min(count, s.nodes.size()); ++i) resized[i] = s.nodes[i];
    s.nodes = std::move(resized);
  }
  auto assign = [&](const char* flag, const std::vector<double>& list, auto member) {
    if (list.size() != s.nodes.size())
      throw ScenarioError(flag, fmt::format("{} values given for {} nodes", list.size(), s.nodes.size()));
    for (std::size_t i = 0; i < list.size(); ++i) s.nodes[i].*member = list[i];
  };
  if (weight_list) assign("--weights", *weight_list, &NodeSpec::weight);
  if (speed_list) assign("--speeds", *speed_list, &NodeSpec::speed);
  if (slots)
    for (NodeSpec& n : s.nodes) n.slots = *slots;

  if (balancer) s.balancer = *balancer;
  if (active_checks_ms) s.health.active_interval_ms = *active_checks_ms;
  if (max_fails) s.health.max_fails = *max_fails;
  if (fail_timeout) s.health.fail_timeout_s = *fail_timeout;
  if (eject_after) s.health.consecutive_failures = *eject_after;
  if (ejection_s) s.health.base_ejection_s = *ejection_s;
  if (slow_start) s.health.slow_start_s = *slow_start;
  if (rise) s.health.rise = *rise;
  if (fall) s.health.fall = *fall;
  if (panic_threshold) s.health.panic_threshold = *panic_threshold;
  if (retries) s.retry.max_retries = *retries;
  if (partitioning)
    s.partitioning.kind = parse_choice<Partitioning::Kind>("--partitioning", *partitioning,
                                                           {{"none", Partitioning::Kind::none},
                                                            {"hash", Partitioning::Kind::hash},
                                                            {"range", Partitioning::Kind::range},
                                                            {"ring", Partitioning::Kind::ring}});
  if (partitions) s.partitioning.partitions = *partitions;
  if (replication) s.partitioning.replication = *replication;
  if (write_quorum) s.partitioning.write_quorum = *write_quorum;
  if (writes) s.workload.write_fraction = *writes;
  if (retry_budget) s.retry.budget = *retry_budget;
  for (const std::string& text : faults) s.faults.push_back(parse_fault(text, s.nodes));
  if (choices) s.balancer_params.choices = *choices;
  if (decay_ms) s.balancer_params.decay_ms = *decay_ms;
  if (vnodes) s.balancer_params.vnodes = *vnodes;
  if (table_size) s.balancer_params.table_size = *table_size;
  if (balance_factor) s.balancer_params.balance_factor = *balance_factor;
  if (cache) s.cache_policy = *cache;
  if (hill_climb) s.cache_params.hill_climb = true;
  if (cache_capacity) {
    s.cache_capacity = *cache_capacity;
    for (NodeSpec& n : s.nodes) n.cache_capacity.reset();
  }
  Workload& w = s.workload;
  if (mode)
    w.mode = parse_choice<Workload::Mode>(
        "--mode", *mode,
        {{"open", Workload::Mode::open}, {"closed", Workload::Mode::closed}, {"max", Workload::Mode::max}});
  if (max) w.mode = Workload::Mode::max;
  apply_arrivals(w);
  if (requests) w.requests = *requests;
  if (duration) w.duration_s = *duration;
  // --duration without --requests: the duration is the limit (see scenario_json.cpp).
  if (duration && !requests && *duration > 0) w.requests = 0;
  if (clients) w.clients = *clients;
  if (think_ms) w.think_ms = *think_ms;
  if (window) w.window = *window;
  if (keys) w.keys.keys = *keys;
  if (popularity)
    w.keys.kind = parse_choice<KeyPopularity::Kind>("--popularity", *popularity,
                                                    {{"uniform", KeyPopularity::Kind::uniform},
                                                     {"zipf", KeyPopularity::Kind::zipf},
                                                     {"hotspot", KeyPopularity::Kind::hotspot}});
  if (zipf) {
    w.keys.kind = KeyPopularity::Kind::zipf;
    w.keys.zipf_s = *zipf;
  }
  if (hot_fraction) w.keys.hot_fraction = *hot_fraction;
  if (hot_share) w.keys.hot_share = *hot_share;
  if (hit_us) s.service.hit_us = *hit_us;
  if (miss_us) s.service.miss_us = *miss_us;
  apply_service(s.service);
  if (clock)
    s.clock = parse_choice<Scenario::Clock>(
        "--clock", *clock, {{"real", Scenario::Clock::real}, {"virtual", Scenario::Clock::virtual_time}});
  if (seed) s.seed = *seed;
  if (interval_ms) s.interval_ms = *interval_ms;
  if (warmup && !warmup_auto()) {
    const auto seconds = to_number(*warmup);
    if (!seconds) throw ScenarioError("--warmup", fmt::format("'{}' is not a number of seconds or 'auto'", *warmup));
    s.warmup_s = *seconds;
  } else if (warmup_auto()) {
    s.warmup_s = 0;  // the first pass measures from the start; the command sets the cut
  }
  if (deadline_ms) s.deadline_ms = parse_ms_or_none("--deadline-ms", *deadline_ms);
  if (drain) {
    const auto seconds = to_number(*drain);
    if (*drain == "wait") {
      s.drain = Scenario::Drain::wait;
    } else if (*drain == "cancel") {
      s.drain = Scenario::Drain::cancel;
    } else if (seconds && std::isfinite(*seconds) && *seconds > 0 && *seconds <= 86400) {
      s.drain = Scenario::Drain::timeout;
      s.drain_timeout_s = *seconds;
    } else {
      throw ScenarioError(
          "--drain",
          fmt::format("must be 'wait', 'cancel' or a number of seconds > 0 and <= 86400 (got '{}')", *drain));
    }
  }
  if (queue_discipline) {
    s.queue.discipline = *queue_discipline;
    for (NodeSpec& n : s.nodes) n.queue.discipline.reset();
  }
  if (codel_target_ms) s.queue.params.codel_target_ms = *codel_target_ms;
  if (codel_interval_ms) s.queue.params.codel_interval_ms = *codel_interval_ms;
  if (lifo_threshold) s.queue.params.lifo_threshold = *lifo_threshold;
  if (cb_max_pending) s.circuit_breakers.max_pending = parse_breaker_limit("--cb-max-pending", *cb_max_pending);
  if (cb_max_requests) s.circuit_breakers.max_requests = parse_breaker_limit("--cb-max-requests", *cb_max_requests);
  if (adaptive_concurrency) s.adaptive_concurrency.enabled = true;
  {
    AdaptiveConcurrencyConfig& c = s.adaptive_concurrency;
    const bool any = ac_percentile || ac_max_limit || ac_update_interval_ms || ac_min_rtt_interval_ms ||
                     ac_request_count || ac_jitter || ac_min_concurrency || ac_buffer;
    if (any && !c.enabled)
      throw ScenarioError("--ac-*", "the adaptive concurrency parameters go with --adaptive-concurrency");
    auto whole = [](const char* flag, double v) {
      if (!(std::isfinite(v) && v >= 1 && v <= 1e6 && std::floor(v) == v))
        throw ScenarioError(flag, fmt::format("must be a whole number from 1 to 1000000 (got {})", v));
      return static_cast<std::uint32_t>(v);
    };
    if (ac_max_limit) c.max_concurrency_limit = whole("--ac-max-concurrency-limit", *ac_max_limit);
    if (ac_min_concurrency) c.min_concurrency = whole("--ac-min-concurrency", *ac_min_concurrency);
    if (ac_request_count) c.request_count = whole("--ac-request-count", *ac_request_count);
    if (ac_update_interval_ms) c.concurrency_update_interval_ms = *ac_update_interval_ms;
    if (ac_min_rtt_interval_ms) c.min_rtt_calc_interval_ms = *ac_min_rtt_interval_ms;
    if (ac_jitter) c.jitter = *ac_jitter;
    if (ac_buffer) c.buffer = *ac_buffer;
    if (ac_percentile) c.sample_aggregate_percentile = *ac_percentile;
  }
  if (cb_max_retries) s.circuit_breakers.max_retries = parse_breaker_limit("--cb-max-retries", *cb_max_retries);
  // A flag sets every node's bound, as --cache-capacity sets every node's cache.
  if (queue_limit) {
    s.queue.limit = parse_queue_limit(*queue_limit);
    for (NodeSpec& n : s.nodes) n.queue.limit.reset();
  }
  if (queue_timeout_ms) {
    s.queue.timeout_ms = parse_ms_or_none("--queue-timeout-ms", *queue_timeout_ms);
    for (NodeSpec& n : s.nodes) n.queue.timeout_ms.reset();
  }
}

void ScenarioOverrides::apply_arrivals(Workload& w) const {
  using A = Workload::Arrival;
  if (arrival)
    w.arrival = parse_choice<A>("--arrival", *arrival,
                                {{"constant", A::constant}, {"poisson", A::poisson}, {"bursty", A::bursty}});
  if (bursty) {
    if (arrival && w.arrival != A::bursty)
      throw ScenarioError("--bursty",
                          fmt::format("'{}' goes with --arrival bursty (got --arrival {})", *bursty, *arrival));
    w.arrival = A::bursty;
    w.bursty = parse_bursty(*bursty);
  }
  if (rate_schedule) {
    w.rate_schedule.points = *rate_schedule == "none" ? std::vector<RatePoint>{} : parse_rate_schedule(*rate_schedule);
    w.rate_schedule.period_s = 0;
  }
  auto needs_schedule = [&](const char* flag) {
    if (w.rate_schedule.empty())
      throw ScenarioError(flag, "needs a rate schedule (--rate-schedule, or rate_schedule in the scenario file)");
  };
  if (rate_shape) {
    needs_schedule("--rate-shape");
    w.rate_schedule.shape = parse_choice<RateSchedule::Shape>(
        "--rate-shape", *rate_shape, {{"steps", RateSchedule::Shape::steps}, {"linear", RateSchedule::Shape::linear}});
  }
  if (rate_period) {
    needs_schedule("--rate-period");
    w.rate_schedule.period_s = *rate_period;
  }
  // The nominal rate follows a new schedule (its peak) or new bursts (their mean) unless
  // --rate says otherwise, in which case they are scaled to it.
  if (rate) {
    w.rate = *rate;
  } else if (rate_schedule && !w.rate_schedule.empty()) {
    w.rate = w.rate_schedule.peak();
  } else if (bursty) {
    w.rate = w.bursty.mean_rate();
  }
}

void ScenarioOverrides::apply_service(ServiceModel& m) const {
  using D = ServiceModel::Distribution;
  struct Parameter {
    const char* flag;
    bool given;
    std::vector<D> applies_to;  // the first is the distribution it implies
  };
  // In this order, so --service-max-us with --service-alpha implies bounded-pareto.
  const Parameter parameters[] = {
      {"--service-file", service_file.has_value(), {D::empirical}},
      {"--service-p99-us", service_p99_us.has_value(), {D::lognormal}},
      {"--service-max-us", service_max_us.has_value(), {D::bounded_pareto}},
      {"--service-alpha", service_alpha.has_value(), {D::pareto, D::bounded_pareto}},
      {"--service-slow-probability", service_slow_probability.has_value(), {D::bimodal}},
      {"--service-slow-factor", service_slow_factor.has_value(), {D::bimodal}},
  };
  auto fits = [](const Parameter& p, D d) {
    return std::find(p.applies_to.begin(), p.applies_to.end(), d) != p.applies_to.end();
  };
  D chosen = m.distribution;
  if (service) {
    chosen = parse_choice<D>("--service", *service, std::span(kServiceDistributions));
  } else {
    for (const Parameter& p : parameters)
      if (p.given && !fits(p, chosen)) {
        chosen = p.applies_to.front();
        break;
      }
  }
  for (const Parameter& p : parameters)
    if (p.given && !fits(p, chosen)) {
      std::string kinds;
      for (D d : p.applies_to) kinds += (kinds.empty() ? "" : " or ") + to_string(d);
      throw ScenarioError(
          p.flag, fmt::format("applies to --service {} (the service distribution is {})", kinds, to_string(chosen)));
    }
  m.distribution = chosen;
  if (service_p99_us) m.p99_us = *service_p99_us;
  if (service_alpha) m.alpha = *service_alpha;
  if (service_max_us) m.max_us = *service_max_us;
  if (service_slow_probability) m.slow_probability = *service_slow_probability;
  if (service_slow_factor) m.slow_factor = *service_slow_factor;
  // Relative to the current directory, as every path on a command line.
  if (service_file) load_service_latencies(m, *service_file, "--service-file", miss_us.has_value());
}

}  // namespace loadlab::cli
