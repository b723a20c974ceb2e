#pragma once
// A scenario: the cluster (nodes, balancer, caches), the traffic and the service model.
// The CLI, the GUI and the preset files all describe a run with this one structure.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "balancers/balancer_params.h"
#include "caches/cache_params.h"
#include "model/circuit_breakers.h"
#include "model/gradient_controller.h"
#include "model/health.h"
#include "model/placement.h"
#include "model/queue_policy.h"
#include "workload/arrivals.h"
#include "workload/key_distribution.h"
#include "workload/service_time.h"

namespace loadlab {

// Bad input, with the field it concerns ("nodes[1].weight") so the message can name it.
class ScenarioError : public std::runtime_error {
 public:
  ScenarioError(std::string field, std::string problem)
      : std::runtime_error(field.empty() ? problem : field + ": " + problem),
        field_(std::move(field)),
        problem_(std::move(problem)) {}
  const std::string& field() const { return field_; }
  const std::string& problem() const { return problem_; }

 private:
  std::string field_;
  std::string problem_;
};

struct NodeSpec {
  std::string name;
  double weight = 1.0;
  double speed = 1.0;                         // service times are divided by this: 0.5 is twice as slow
  unsigned slots = 1;                         // requests served at once; the rest wait in the node's queue
  std::optional<std::size_t> cache_capacity;  // overrides the scenario's cache capacity
  // Where a real backend for this node listens ("http://host:port"): what an exported proxy
  // configuration points at. Empty: the exporter assigns 127.0.0.1 and consecutive ports.
  std::string url;
  QueueOverrides queue;  // fields given replace the scenario's queue settings for this node
};

struct Workload {
  enum class Mode {
    open,    // arrivals at a target rate, regardless of how fast the nodes answer
    closed,  // N clients, each sends, waits for the answer, thinks, sends again
    max,     // as fast as the engine can, bounded by `window` requests outstanding
  };
  using Arrival = ArrivalKind;  // constant, poisson or bursty (workload/arrivals.h)
  Mode mode = Mode::open;
  Arrival arrival = Arrival::poisson;
  // Requests per second (open loop). With a rate schedule, its peak; with bursty arrivals,
  // the long-run mean. A scenario file or command line that gives a schedule or bursty
  // parameters but no rate gets it from them; one that gives a rate scales them to it.
  double rate = 1000;
  RateSchedule rate_schedule;      // empty: the rate is constant
  BurstyArrivals bursty;           // used with Arrival::bursty
  std::uint64_t requests = 10000;  // stop issuing after this many (0: no limit)
  double duration_s = 0;           // stop issuing after this long (0: no limit)
  unsigned clients = 16;           // closed loop
  double think_ms = 0;             // closed loop
  unsigned window = 4096;          // max mode
  double write_fraction = 0;       // share of requests that are writes (needs partitioning)
  KeyPopularity keys;
};

// A scheduled fault: at `at_s` seconds into the run, do `action` to node `node`.
struct FaultEvent {
  enum class Action { kill, revive, speed, spikes };
  double at_s = 0;
  std::size_t node = 0;
  Action action = Action::kill;
  double speed = 1;        // Action::speed
  double probability = 0;  // Action::spikes: share of requests that are slowed ...
  double extra_us = 0;     // ... by this much
};

// Retrying a request that failed because its node was down, on another node that health
// checking considers available. The budget caps retries at a fraction of the requests issued
// so far plus a floor (Finagle's RetryBudget), so a dead cluster is not hammered twice over.
struct RetryPolicy {
  unsigned max_retries = 0;  // per request; 0: no retries
  double budget = 0.2;
  unsigned min_retries = 10;
};

struct Scenario {
  // What drives the run: real threads and timers, or the virtual-time simulator.
  enum class Clock { real, virtual_time };
  std::string name = "untitled";
  std::string description;
  std::uint64_t seed = 1;
  std::string balancer = "round-robin";
  BalancerParams balancer_params;
  std::string cache_policy = "lru";
  std::size_t cache_capacity = 100;
  CacheParams cache_params;  // the policy's tuning (wtinylfu: hill_climb)
  std::vector<NodeSpec> nodes;
  Workload workload;
  ServiceModel service;      // workload/service_time.h
  double interval_ms = 100;  // how often metrics are sampled
  // The report leaves out the first seconds (caches warming, queues filling): its figures
  // are of what finished after this time. 0: the whole run. Snapshots are not affected.
  double warmup_s = 0;
  HealthCheckConfig health;
  RetryPolicy retry;
  Partitioning partitioning;
  std::vector<FaultEvent> faults;
  Clock clock = Clock::real;
  // Every node's queue bound (model/queue_policy.h); a node's own fields replace these.
  QueuePolicy queue;
  // The cluster's circuit breakers (model/circuit_breakers.h): every limit off by default.
  CircuitBreakerLimits circuit_breakers;
  // An adaptive concurrency limiter in front of the cluster (model/gradient_controller.h): off by default.
  AdaptiveConcurrencyConfig adaptive_concurrency;
  // A request answered within this many ms of its intended send time counts as goodput (the
  // latency a client would still wait for); kNoDeadline: no deadline, no goodput figures.
  static constexpr double kNoDeadline = std::numeric_limits<double>::infinity();
  double deadline_ms = kNoDeadline;
  bool has_deadline() const { return !std::isinf(deadline_ms); }
  // What happens to the backlog once the last request is issued: wait for it (the default),
  // cancel it at once, or cancel what is left after drain_timeout_s. Cancelled requests
  // count as failed with reason cancelled.
  enum class Drain { wait, cancel, timeout };
  Drain drain = Drain::wait;
  double drain_timeout_s = 0;  // Drain::timeout
  // Nanoseconds after the last request is issued at which the backlog is cancelled; -1: never.
  std::int64_t drain_cancel_after_ns() const {
    return drain == Drain::wait ? -1 : drain == Drain::cancel ? 0 : static_cast<std::int64_t>(drain_timeout_s * 1e9);
  }

  QueuePolicy queue_of(std::size_t node) const { return nodes[node].queue.over(queue); }
  std::size_t cache_capacity_of(std::size_t node) const { return nodes[node].cache_capacity.value_or(cache_capacity); }
};

// Limits that turn a typo into an error instead of an out-of-memory or a week-long run.
inline constexpr std::size_t kMaxNodes = 1024;            // real threads: one thread per node
inline constexpr std::size_t kMaxVirtualNodes = 100'000;  // the virtual clock: memory only
inline constexpr unsigned kMaxSlots = 1024;
inline constexpr std::size_t kMaxCacheCapacity = 100'000'000;
inline constexpr std::uint64_t kMaxKeys = 1'000'000'000;

// Node names a, b, ..., z, aa, ab, ...: short enough for chart legends.
std::string default_node_name(std::size_t index);
std::vector<NodeSpec> default_nodes(std::size_t count);

// Throws ScenarioError naming the first invalid field and its value.
void validate(const Scenario& scenario);

// The open-loop arrival process the workload describes (both drivers build it this way).
inline ArrivalProcess make_arrival_process(const Workload& w) {
  return ArrivalProcess(w.arrival, w.rate, w.rate_schedule, w.bursty);
}

// Reads measured latencies into `service` (distribution empirical, `file` set to the absolute
// path). Unless `keep_miss_us`, miss_us becomes the file's mean, so misses take the measured
// times as they are. Throws ScenarioError naming `field` for a missing or malformed file.
void load_service_latencies(ServiceModel& service, const std::filesystem::path& file, const std::string& field,
                            bool keep_miss_us);

std::string to_string(Workload::Mode mode);
std::string to_string(FaultEvent::Action action);
std::string to_string(Scenario::Clock clock);
// R and W as the engine uses them (replication clamped to the node count, W = 0 meaning R).
unsigned effective_replication(const Scenario& scenario);
unsigned effective_write_quorum(const Scenario& scenario);

}  // namespace loadlab
