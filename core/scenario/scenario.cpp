#include "scenario/scenario.h"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <memory>
#include <set>
#include <stdexcept>

#include "balancers/balancer_registry.h"
#include "base/host_port.h"
#include "caches/cache_registry.h"
#include "model/queue_discipline_registry.h"

namespace loadlab {
namespace {

void require(bool ok, const std::string& field, const std::string& problem) {
  if (!ok) throw ScenarioError(field, problem);
}

void require_range(double value, double low, double high, const std::string& field) {
  require(std::isfinite(value) && value >= low && value <= high, field,
          fmt::format("must be a number from {} to {} (got {})", low, high, value));
}

// A queue bound: a count of at least one, or unlimited; a timeout above zero, or none.
void require_queue_limit(std::uint64_t limit, const std::string& field) {
  if (limit == QueuePolicy::kUnlimited) return;
  require(limit >= 1 && limit <= kMaxQueueLimit, field,
          fmt::format("must be a whole number from 1 to {} or \"unlimited\" (got {})", kMaxQueueLimit, limit));
}

void require_queue_timeout(double ms, const std::string& field) {
  if (ms == QueuePolicy::kNoTimeout) return;
  require(std::isfinite(ms) && ms > 0 && ms <= kMaxQueueTimeoutMs, field,
          fmt::format("must be a number of ms > 0 and <= {} or \"none\" (got {})", kMaxQueueTimeoutMs, ms));
}

}  // namespace

std::string default_node_name(std::size_t index) {
  std::string name;
  ++index;
  while (index > 0) {
    --index;
    name.insert(name.begin(), static_cast<char>('a' + index % 26));
    index /= 26;
  }
  return name;
}

std::vector<NodeSpec> default_nodes(std::size_t count) {
  std::vector<NodeSpec> nodes(count);
  for (std::size_t i = 0; i < count; ++i) nodes[i].name = default_node_name(i);
  return nodes;
}

std::string to_string(Workload::Mode mode) {
  switch (mode) {
    case Workload::Mode::open:
      return "open";
    case Workload::Mode::closed:
      return "closed";
    case Workload::Mode::max:
      return "max";
  }
  return "?";
}

std::string to_string(FaultEvent::Action action) {
  switch (action) {
    case FaultEvent::Action::kill:
      return "kill";
    case FaultEvent::Action::revive:
      return "revive";
    case FaultEvent::Action::speed:
      return "speed";
    case FaultEvent::Action::spikes:
      return "spikes";
  }
  return "?";
}

std::string to_string(Scenario::Clock clock) { return clock == Scenario::Clock::real ? "real" : "virtual"; }

void load_service_latencies(ServiceModel& service, const std::filesystem::path& file, const std::string& field,
                            bool keep_miss_us) {
  std::error_code error;
  std::filesystem::path path = std::filesystem::absolute(file, error);
  if (error) path = file;
  try {
    service.latencies = std::make_shared<const EmpiricalLatencies>(EmpiricalLatencies::load(path.lexically_normal()));
  } catch (const std::invalid_argument& e) {
    throw ScenarioError(field, e.what());
  }
  service.distribution = ServiceModel::Distribution::empirical;
  service.file = path.lexically_normal().string();
  if (!keep_miss_us) service.miss_us = service.latencies->mean();
}

unsigned effective_replication(const Scenario& s) {
  if (s.partitioning.kind == Partitioning::Kind::none) return 1;
  return std::clamp<unsigned>(s.partitioning.replication, 1, static_cast<unsigned>(s.nodes.size()));
}

unsigned effective_write_quorum(const Scenario& s) {
  const unsigned r = effective_replication(s);
  return s.partitioning.write_quorum == 0 ? r : std::min(s.partitioning.write_quorum, r);
}

bool is_prime(std::uint64_t n) {
  if (n < 2) return false;
  for (std::uint64_t d = 2; d * d <= n; ++d)
    if (n % d == 0) return false;
  return true;
}

void validate(const Scenario& s) {
  require(!s.nodes.empty(), "nodes", "a scenario needs at least one node (got 0)");
  require(s.nodes.size() <= kMaxVirtualNodes, "nodes",
          fmt::format("at most {} nodes (got {})", kMaxVirtualNodes, s.nodes.size()));
  require(s.clock == Scenario::Clock::virtual_time || s.nodes.size() <= kMaxNodes, "nodes",
          fmt::format("at most {} nodes on real threads, one thread each (got {}); the virtual clock "
                      "(--clock virtual, \"clock\": \"virtual\") runs up to {}",
                      kMaxNodes, s.nodes.size(), kMaxVirtualNodes));
  require(balancers().contains(s.balancer), "balancer",
          fmt::format("unknown balancer '{}' (known: {})", s.balancer, balancers().names()));
  const BalancerParams& bp = s.balancer_params;
  require(bp.choices >= 1 && bp.choices <= kMaxChoices, "balancer.choices",
          fmt::format("must be from 1 to {} (got {})", kMaxChoices, bp.choices));
  require(std::isfinite(bp.decay_ms) && bp.decay_ms > 0 && bp.decay_ms <= 3'600'000, "balancer.decay_ms",
          fmt::format("must be > 0 and <= 3600000 ms (got {})", bp.decay_ms));
  require(bp.vnodes >= 1 && bp.vnodes <= kMaxVnodes, "balancer.vnodes",
          fmt::format("must be from 1 to {} (got {})", kMaxVnodes, bp.vnodes));
  require(bp.table_size >= 2 && bp.table_size <= kMaxMaglevTableSize && is_prime(bp.table_size), "balancer.table_size",
          fmt::format("must be a prime from 2 to {} (got {})", kMaxMaglevTableSize, bp.table_size));
  require(bp.table_size >= s.nodes.size(), "balancer.table_size",
          fmt::format("must be at least the node count {} (got {})", s.nodes.size(), bp.table_size));
  require(std::isfinite(bp.balance_factor) && bp.balance_factor > 1 && bp.balance_factor <= 100,
          "balancer.balance_factor", fmt::format("must be > 1 and <= 100 (got {})", bp.balance_factor));
  require(caches().contains(s.cache_policy), "cache.policy",
          fmt::format("unknown cache policy '{}' (known: {})", s.cache_policy, caches().names()));
  require(s.cache_capacity <= kMaxCacheCapacity, "cache.capacity",
          fmt::format("at most {} objects (got {})", kMaxCacheCapacity, s.cache_capacity));

  std::set<std::string> names;
  double weight_sum = 0;
  for (std::size_t i = 0; i < s.nodes.size(); ++i) {
    const NodeSpec& n = s.nodes[i];
    const std::string at = fmt::format("nodes[{}]", i);
    require(!n.name.empty(), at + ".name", "must not be empty");
    require(names.insert(n.name).second, at + ".name", fmt::format("duplicate node name '{}'", n.name));
    require(std::isfinite(n.weight) && n.weight >= 0, at + ".weight",
            fmt::format("must be a finite number >= 0 (got {})", n.weight));
    require(n.weight <= 1e6, at + ".weight", fmt::format("at most 1000000 (got {})", n.weight));
    require(std::isfinite(n.speed) && n.speed > 0 && n.speed <= 1000, at + ".speed",
            fmt::format("must be a number > 0 and <= 1000 (got {})", n.speed));
    require(n.slots >= 1 && n.slots <= kMaxSlots, at + ".slots",
            fmt::format("must be from 1 to {} (got {})", kMaxSlots, n.slots));
    if (n.cache_capacity)
      require(*n.cache_capacity <= kMaxCacheCapacity, at + ".cache_capacity",
              fmt::format("at most {} objects (got {})", kMaxCacheCapacity, *n.cache_capacity));
    if (!n.url.empty()) {
      std::string why;
      require(parse_host_port(n.url, &why).has_value(), at + ".url",
              fmt::format("'{}' is not http://host:port: {}", n.url, why));
    }
    if (n.queue.limit) require_queue_limit(*n.queue.limit, at + ".queue.limit");
    if (n.queue.timeout_ms) require_queue_timeout(*n.queue.timeout_ms, at + ".queue.timeout_ms");
    if (n.queue.discipline)
      require(
          queue_disciplines().contains(*n.queue.discipline), at + ".queue.discipline",
          fmt::format("unknown queue discipline '{}' (known: {})", *n.queue.discipline, queue_disciplines().names()));
    weight_sum += n.weight;
  }
  if (s.has_deadline())
    require(
        std::isfinite(s.deadline_ms) && s.deadline_ms > 0 && s.deadline_ms <= kMaxQueueTimeoutMs, "deadline_ms",
        fmt::format("must be a number of ms > 0 and <= {} or \"none\" (got {})", kMaxQueueTimeoutMs, s.deadline_ms));
  if (s.drain == Scenario::Drain::timeout)
    require(std::isfinite(s.drain_timeout_s) && s.drain_timeout_s > 0 && s.drain_timeout_s <= 86400, "drain",
            fmt::format("must be \"wait\", \"cancel\" or a number of seconds > 0 and <= 86400 (got {})",
                        s.drain_timeout_s));
  require_queue_limit(s.queue.limit, "queue.limit");
  if (const AdaptiveConcurrencyConfig& c = s.adaptive_concurrency; c.enabled) {
    auto whole = [](std::uint64_t v, std::uint64_t low, std::uint64_t high, const char* field) {
      require(v >= low && v <= high, field, fmt::format("must be a whole number from {} to {} (got {})", low, high, v));
    };
    constexpr std::uint64_t kMaxConcurrency = 1'000'000;
    whole(c.min_concurrency, 1, kMaxConcurrency, "adaptive_concurrency.min_concurrency");
    whole(c.max_concurrency_limit, 1, kMaxConcurrency, "adaptive_concurrency.max_concurrency_limit");
    require(c.max_concurrency_limit >= c.min_concurrency, "adaptive_concurrency.max_concurrency_limit",
            fmt::format("must be at least min_concurrency {} (got {})", c.min_concurrency, c.max_concurrency_limit));
    whole(c.request_count, 1, kMaxConcurrency, "adaptive_concurrency.request_count");
    require(std::isfinite(c.sample_aggregate_percentile) && c.sample_aggregate_percentile > 0 &&
                c.sample_aggregate_percentile <= 100,
            "adaptive_concurrency.sample_aggregate_percentile",
            fmt::format("must be a percentage > 0 and <= 100 (got {})", c.sample_aggregate_percentile));
    require_range(c.jitter, 0, 100, "adaptive_concurrency.jitter");
    require_range(c.buffer, 0, 100, "adaptive_concurrency.buffer");
    require(std::isfinite(c.concurrency_update_interval_ms) && c.concurrency_update_interval_ms >= 1 &&
                c.concurrency_update_interval_ms <= kMaxQueueTimeoutMs,
            "adaptive_concurrency.concurrency_update_interval_ms",
            fmt::format("must be a number of ms from 1 to {} (got {})", kMaxQueueTimeoutMs,
                        c.concurrency_update_interval_ms));
    require(std::isfinite(c.min_rtt_calc_interval_ms) && c.min_rtt_calc_interval_ms >= 1 &&
                c.min_rtt_calc_interval_ms <= 86'400'000,
            "adaptive_concurrency.min_rtt_calc_interval_ms",
            fmt::format("must be a number of ms from 1 to 86400000 (got {})", c.min_rtt_calc_interval_ms));
  }
  for (auto [field, limit] : {std::pair{"circuit_breakers.max_pending", s.circuit_breakers.max_pending},
                              std::pair{"circuit_breakers.max_requests", s.circuit_breakers.max_requests},
                              std::pair{"circuit_breakers.max_retries", s.circuit_breakers.max_retries}})
    if (limit != CircuitBreakerLimits::kOff)
      require(limit >= 1 && limit <= kMaxCircuitBreakerLimit, field,
              fmt::format("must be a whole number from 1 to {} (got {}); leave it out for no limit",
                          kMaxCircuitBreakerLimit, limit));
  require_queue_timeout(s.queue.timeout_ms, "queue.timeout_ms");
  require(queue_disciplines().contains(s.queue.discipline), "queue.discipline",
          fmt::format("unknown queue discipline '{}' (known: {})", s.queue.discipline, queue_disciplines().names()));
  const QueueDisciplineParams& qp = s.queue.params;
  require(std::isfinite(qp.codel_target_ms) && qp.codel_target_ms > 0 && qp.codel_target_ms <= kMaxQueueTimeoutMs,
          "queue.codel_target_ms",
          fmt::format("must be a number of ms > 0 and <= {} (got {})", kMaxQueueTimeoutMs, qp.codel_target_ms));
  require(std::isfinite(qp.codel_interval_ms) && qp.codel_interval_ms > 0 && qp.codel_interval_ms <= kMaxQueueTimeoutMs,
          "queue.codel_interval_ms",
          fmt::format("must be a number of ms > 0 and <= {} (got {})", kMaxQueueTimeoutMs, qp.codel_interval_ms));
  require(qp.codel_target_ms < qp.codel_interval_ms, "queue.codel_target_ms",
          fmt::format("must be less than the interval, queue.codel_interval_ms {} (got {}): CoDel drops only when the "
                      "delay stays above the target for an interval",
                      qp.codel_interval_ms, qp.codel_target_ms));
  require(qp.lifo_threshold >= 1 && qp.lifo_threshold <= kMaxQueueLimit, "queue.lifo_threshold",
          fmt::format("must be a whole number from 1 to {} (got {})", kMaxQueueLimit, qp.lifo_threshold));
  require(weight_sum > 0, "nodes[].weight", "all weights are 0, so no node could take a request");

  const Workload& w = s.workload;
  if (const auto problem = check_arrivals(w.arrival, w.rate_schedule, w.bursty))
    throw ScenarioError("workload." + problem->field, problem->problem);
  if (w.mode == Workload::Mode::open)
    require(std::isfinite(w.rate) && w.rate > 0 && w.rate <= kMaxRate, "workload.rate",
            fmt::format("must be > 0 and <= {} requests/s (got {})", kMaxRate, w.rate));
  require_range(w.duration_s, 0, 86400, "workload.duration_s");
  require(w.requests <= 10'000'000'000ULL, "workload.requests",
          fmt::format("at most 10000000000 (got {})", w.requests));
  if (w.mode == Workload::Mode::closed) {
    require(w.clients >= 1 && w.clients <= 100000, "workload.clients",
            fmt::format("must be from 1 to 100000 (got {})", w.clients));
    require_range(w.think_ms, 0, 3'600'000, "workload.think_ms");
  }
  if (w.mode == Workload::Mode::max)
    require(w.window >= 1 && w.window <= 1'000'000, "workload.window",
            fmt::format("must be from 1 to 1000000 (got {})", w.window));
  require(w.keys.keys >= 1 && w.keys.keys <= kMaxKeys, "workload.keys",
          fmt::format("must be from 1 to {} (got {})", kMaxKeys, w.keys.keys));
  if (w.keys.kind == KeyPopularity::Kind::zipf) require_range(w.keys.zipf_s, 0, 10, "workload.zipf_s");
  if (w.keys.kind == KeyPopularity::Kind::hotspot) {
    require(std::isfinite(w.keys.hot_fraction) && w.keys.hot_fraction > 0 && w.keys.hot_fraction <= 1,
            "workload.hot_fraction", fmt::format("must be > 0 and <= 1 (got {})", w.keys.hot_fraction));
    require_range(w.keys.hot_share, 0, 1, "workload.hot_share");
  }
  if (const auto problem = check_service_model(s.service))
    throw ScenarioError("service." + problem->field, problem->problem);
  require_range(s.interval_ms, 10, 10000, "interval_ms");
  require_range(s.warmup_s, 0, 86400, "warmup_s");
  if (s.workload.duration_s > 0)
    require(s.warmup_s < s.workload.duration_s, "warmup_s",
            fmt::format("{} s leaves nothing of a {} s run to measure", s.warmup_s, s.workload.duration_s));

  const HealthCheckConfig& h = s.health;
  require_range(h.active_interval_ms, 0, 60000, "health.active_interval_ms");
  require(h.fall >= 1 && h.fall <= 100, "health.fall", fmt::format("must be from 1 to 100 (got {})", h.fall));
  require(h.rise >= 1 && h.rise <= 100, "health.rise", fmt::format("must be from 1 to 100 (got {})", h.rise));
  require(h.max_fails <= 1'000'000, "health.max_fails", fmt::format("at most 1000000 (got {})", h.max_fails));
  require_range(h.fail_timeout_s, 0, 3600, "health.fail_timeout_s");
  require(h.consecutive_failures <= 1'000'000, "health.consecutive_failures",
          fmt::format("at most 1000000 (got {})", h.consecutive_failures));
  require_range(h.base_ejection_s, 0, 3600, "health.base_ejection_s");
  require_range(h.slow_start_s, 0, 3600, "health.slow_start_s");
  require_range(h.panic_threshold, 0, 100, "health.panic_threshold");
  const Partitioning& part = s.partitioning;
  if (part.kind != Partitioning::Kind::none) {
    require(s.nodes.size() <= kMaxPartitionedNodes, "partitioning",
            fmt::format("at most {} nodes with partitioning (got {})", kMaxPartitionedNodes, s.nodes.size()));
    require(part.partitions <= 1'000'000, "partitioning.partitions",
            fmt::format("at most 1000000 (got {})", part.partitions));
    require(part.replication >= 1 && part.replication <= s.nodes.size(), "partitioning.replication",
            fmt::format("must be from 1 to the node count {} (got {})", s.nodes.size(), part.replication));
    require(
        part.write_quorum <= part.replication, "partitioning.write_quorum",
        fmt::format("must be at most the replication {} (got {}; 0 means all)", part.replication, part.write_quorum));
  }
  require_range(s.workload.write_fraction, 0, 1, "workload.write_fraction");
  require(
      s.workload.write_fraction == 0 || part.kind != Partitioning::Kind::none, "workload.write_fraction",
      fmt::format("writes need data placement: set partitioning.kind to hash, range or ring (got write_fraction {})",
                  s.workload.write_fraction));
  require(s.retry.max_retries <= 10, "retry.max_retries", fmt::format("at most 10 (got {})", s.retry.max_retries));
  require_range(s.retry.budget, 0, 10, "retry.budget");
  require(s.retry.min_retries <= 1'000'000, "retry.min_retries",
          fmt::format("at most 1000000 (got {})", s.retry.min_retries));
  require(s.faults.size() <= 100'000, "faults", fmt::format("at most 100000 events (got {})", s.faults.size()));
  for (std::size_t i = 0; i < s.faults.size(); ++i) {
    const FaultEvent& f = s.faults[i];
    const std::string at = fmt::format("faults[{}]", i);
    require_range(f.at_s, 0, 86400, at + ".at_s");
    require(f.node < s.nodes.size(), at + ".node",
            fmt::format("node index {} out of range (the scenario has {} nodes)", f.node, s.nodes.size()));
    if (f.action == FaultEvent::Action::speed)
      require(std::isfinite(f.speed) && f.speed > 0 && f.speed <= 1000, at + ".speed",
              fmt::format("must be a number > 0 and <= 1000 (got {})", f.speed));
    if (f.action == FaultEvent::Action::spikes) {
      require_range(f.probability, 0, 1, at + ".probability");
      require_range(f.extra_us, 0, 60e6, at + ".extra_us");
    }
  }
}

}  // namespace loadlab
