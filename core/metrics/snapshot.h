#pragma once
// What the engine publishes every interval: per-node counters (cumulative since the start)
// and interval figures (since the previous snapshot). Plain values, safe to copy to any
// thread; subscribers such as the GUI keep their own bounded history of them.
#include <cstdint>
#include <vector>

#include "metrics/imbalance.h"

namespace loadlab {

// What health checking believes about a node, for the window's node table: in rotation at
// full weight, ramping up in slow start, or out of rotation and why (model/health.h).
enum class NodeHealth : std::uint8_t {
  up,
  ramping,  // back, and its weight still ramping up (slow start)
  passive,  // marked down by the passive check (nginx max_fails / fail_timeout)
  outlier,  // ejected as an outlier (Envoy outlier detection)
  probing,  // marked down by active checks; probes go on until `rise` in a row answer
};

// "up", "ramping", "passive", "outlier", "probing": as the CSV and the window show them.
const char* to_string(NodeHealth health);

struct NodeSample {
  double weight = 0;
  double expected_share = 0;  // from theory; NaN where the policy has no closed form
  // cumulative
  std::uint64_t issued = 0;
  std::uint64_t completed = 0;    // reads served here, and writes whose quorum this node completed
  std::uint64_t failed = 0;       // all reasons: reads failed here, and writes it decided that failed
  std::uint64_t failed_down = 0;  // of which: the node was down
  std::uint64_t failed_queue_full = 0, failed_queue_timeout = 0;  // of which: shed by the queue bound
  std::uint64_t failed_codel_drop = 0;                            // of which: dropped by CoDel
  std::uint64_t failed_overflow = 0;                              // of which: the circuit breakers
  std::uint64_t in_flight = 0;  // arrived - completed - failed - retried out: in transit, queued or in service
  std::uint64_t retried_in = 0, retried_out = 0;  // retries that came here from, and left for, other nodes
  std::uint64_t writes_completed = 0;             // writes whose quorum this node's acknowledgement completed
  std::uint64_t writes_failed = 0;                // of `failed`: writes it decided failed (no quorum, cancelled)
  bool up = true;                                 // the node is serving (the truth)
  bool available = true;                          // the balancer may pick it (what health checking believes)
  NodeHealth health = NodeHealth::up;             // and why not, or whether it is ramping up
  std::uint64_t queue_length = 0;
  std::uint64_t in_service = 0;
  std::uint64_t hits = 0;
  std::uint64_t misses = 0;
  std::uint64_t within_deadline = 0;  // completed within the scenario's deadline (0 without one)
  // this interval
  std::uint64_t interval_completed = 0;
  std::uint64_t interval_hits = 0;
  std::uint64_t interval_misses = 0;
  double rps = 0;
  double goodput_rps = 0;                     // completed within the deadline, per second; NaN without a deadline
  double p50_us = 0, p95_us = 0, p99_us = 0;  // NaN when nothing completed in the interval
  double mean_us = 0;                         // NaN when nothing completed in the interval
  std::uint64_t latency_sum_ns = 0;           // cumulative, for the interval mean
};

struct FailureCounts {
  std::uint64_t cancelled = 0;  // queued or in service when the run was stopped
  std::uint64_t no_node = 0;    // the balancer had no node to offer (all weights 0, or all marked down)
  std::uint64_t node_down = 0;  // sent to a node that was down, or lost when it was killed
  std::uint64_t no_quorum = 0;  // writes that too many replicas failed to acknowledge
  // Shed by a node's queue bound (model/queue_policy.h): the queue was full when the request
  // came, or it waited its queue timeout for a slot.
  std::uint64_t queue_full = 0;
  std::uint64_t queue_timeout = 0;
  std::uint64_t codel_drop = 0;  // dropped by the CoDel queue discipline (model/codel_discipline.h)
  std::uint64_t overflow = 0;    // turned away by the cluster's circuit breakers (model/circuit_breakers.h)
  // Blocked by the adaptive concurrency limiter in front of the cluster (model/gradient_controller.h).
  std::uint64_t concurrency_limited = 0;
  std::uint64_t total() const {
    return cancelled + no_node + node_down + no_quorum + queue_full + queue_timeout + codel_drop + overflow +
           concurrency_limited;
  }
};

struct Snapshot {
  std::int64_t t_ms = 0;  // since the run started
  double interval_s = 0;  // length of the interval this snapshot closes
  bool final = false;     // the last snapshot of the run
  std::vector<NodeSample> nodes;
  // whole cluster
  std::uint64_t issued = 0;  // includes requests that found no node
  std::uint64_t completed = 0;
  FailureCounts failed;
  std::uint64_t in_flight = 0;
  std::uint64_t retries = 0;            // requests retried on another node (each is still one request)
  std::uint32_t concurrency_limit = 0;  // the adaptive concurrency limiter's limit now; 0: none
  // Envoy's panic threshold (model/health_monitor.h): in panic now, and so far in all.
  bool panic = false;
  double panic_s = 0;
  std::uint64_t issued_in_panic = 0;
  double rps = 0;
  double goodput_rps = 0;  // NaN without a deadline
  double target_rate = 0;
  double p50_us = 0, p95_us = 0, p99_us = 0;
  double mean_us = 0;   // of the requests completed in the interval; NaN when none
  Imbalance imbalance;  // of the requests completed in this interval, per unit of weight
};

}  // namespace loadlab
