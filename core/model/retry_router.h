#pragma once
// Where a request that failed because its node was down is retried: a node other than the
// one that failed, in rotation (health checking lets the balancer pick it) and, with
// partitioning, holding the key. The retry budget caps retries at a fraction of the requests
// issued so far plus a floor (Finagle's RetryBudget), so a dead cluster is not hammered twice
// over.
//
// Threading: choose() may run on several node threads at once (the real engine); the start of
// the search is a hash of the request, so no shared random state is needed, and the budget is
// an atomic count.
#include <atomic>
#include <cstdint>

#include "model/health_monitor.h"
#include "model/placement.h"
#include "model/request.h"
#include "scenario/scenario.h"

namespace loadlab {

class RetryRouter {
 public:
  RetryRouter(const RetryPolicy& policy, const Placement* placement, const HealthMonitor& health, std::size_t nodes)
      : policy_(policy), placement_(placement), health_(health), nodes_(nodes) {}

  // The node to retry `failed` on (failed at node `from`, with `issued` requests issued so
  // far), or kNoNode when it may not be retried. A retry that is granted is counted.
  std::size_t choose(const Request& failed, std::size_t from, std::uint64_t issued);

  std::uint64_t retries() const { return retries_.load(std::memory_order_relaxed); }
  std::uint64_t denied() const { return denied_.load(std::memory_order_relaxed); }

 private:
  RetryPolicy policy_;
  const Placement* placement_;
  const HealthMonitor& health_;
  std::size_t nodes_;
  std::atomic<std::uint64_t> retries_{0}, denied_{0};
};

}  // namespace loadlab
