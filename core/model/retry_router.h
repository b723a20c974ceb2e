#pragma once
// Where a request that failed because its node was down is retried: a node picked by the
// run's own balancer policy among the nodes in rotation (health checking's effective weights;
// with partitioning, among the replicas holding the key), never one the request has already
// failed at — Envoy's retry host predicate `previous_hosts`. A key-affine policy (ring hash,
// Maglev, ...) would give the same node for the same key, so a rejected pick is tried again
// with the key perturbed by the attempt number, as Envoy's ring hash walks on for a retry;
// after kPickAttempts rejected picks the first acceptable node from a hash of the request is
// taken, so a retry never goes back while another node may take it.
//
// The retry budget caps retries at a fraction of the requests issued so far plus a floor
// (Finagle's RetryBudget), so a dead cluster is not hammered twice over.
//
// Threading: choose() may run on several node threads at once (the real engine) while the
// dispatcher thread calls set_weights(): both take the router's lock (retries are rare, the
// lock is not on the path of ordinary requests). The router's balancers are instances of
// their own, seeded apart from the dispatcher's, reading the load from the nodes' counters.
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

#include "metrics/node_counters.h"
#include "model/circuit_breakers.h"
#include "model/placement.h"
#include "model/replica_balancers.h"
#include "model/request.h"
#include "scenario/scenario.h"

namespace loadlab {

class RetryRouter {
 public:
  static constexpr int kPickAttempts = 4;
  // choose(): the circuit breakers' max_retries refused the retry (the request fails: overflow).
  static constexpr std::size_t kOverflow = kNoNode - 1;

  // `placement` may be null; it and `counters` must outlive the router.
  RetryRouter(const Scenario& scenario, const Placement* placement, std::span<const NodeCounters* const> counters);
  ~RetryRouter();

  // The weights the balancer sees (health, slow start and panic applied), as the dispatcher's.
  void set_weights(std::span<const double> effective);

  // The cluster's circuit breakers (model/circuit_breakers.h): a retry takes one of their
  // max_retries, given back by the node where the retried request ends. Null: none.
  void set_circuit_breakers(CircuitBreakers* breakers) { breakers_ = breakers; }

  // The node to retry `failed` on (failed at node `from`, with `issued` requests issued so
  // far, at `now_ns`), or kNoNode when it may not be retried, or kOverflow when the circuit
  // breakers refused it. A retry that is granted is counted.
  std::size_t choose(const Request& failed, std::size_t from, std::uint64_t issued, std::int64_t now_ns);
  // The request as it goes to its retry: one more retry, and `from` among the nodes it failed at.
  static Request retried(const Request& failed, std::size_t from) {
    Request again = failed;
    ++again.retries;
    again.tried |= tried_bit(from);
    return again;
  }
  static std::uint64_t tried_bit(std::size_t node) { return std::uint64_t{1} << (node % 64); }

  std::uint64_t retries() const { return retries_.load(std::memory_order_relaxed); }
  std::uint64_t denied() const { return denied_.load(std::memory_order_relaxed); }

 private:
  class Load;
  bool acceptable(std::size_t node, std::uint64_t tried, std::uint32_t partition) const;

  RetryPolicy policy_;
  const Placement* placement_;
  std::vector<const NodeCounters*> counters_;
  std::mutex mutex_;  // the balancers and the weights
  std::unique_ptr<Load> load_;
  ReplicaBalancers balancers_;
  std::vector<double> weights_;
  std::atomic<std::uint64_t> retries_{0}, denied_{0};
  CircuitBreakers* breakers_ = nullptr;
};

}  // namespace loadlab
