#pragma once
// Envoy's circuit breakers for the cluster: limits on what the cluster may have outstanding
// at once, across all its nodes. A request that would go past a limit is not queued anywhere:
// it fails at once with reason `overflow` (Envoy answers 503 and counts
// upstream_rq_pending_overflow or upstream_rq_retry_overflow).
//
// - max_pending (Envoy max_pending_requests): requests waiting for a slot, summed over the
//   nodes' queues. LoadLab has no connection pool: a request is pending while it waits in a
//   node's queue.
// - max_requests (Envoy max_requests): requests outstanding at the nodes, waiting or in
//   service, summed over the cluster.
// - max_retries (Envoy max_retries): retries outstanding at once. A retry the breaker refuses
//   fails with reason `overflow` (Envoy returns the original failure and counts
//   upstream_rq_retry_overflow; LoadLab names the breaker as the reason, so the count of what
//   the breakers turned away is one figure).
//
// Envoy's defaults are 1024, 1024 and 3 (and 1024 connections, which LoadLab does not
// model). LoadLab keeps every limit off unless it is set, so a scenario without
// "circuit_breakers" runs as it always did.
//
// The limits are checked and counted by the nodes (model/node_model.h) and the retry router
// (model/retry_router.h), on either clock. Threading: on real threads every node's thread
// acquires and releases, so the counts are atomics and an acquisition is a compare-and-swap
// that never goes past the limit (Envoy's ResourceManager is atomics too).
#include <array>
#include <atomic>
#include <cstdint>
#include <limits>

namespace loadlab {

struct CircuitBreakerLimits {
  static constexpr std::uint64_t kOff = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t max_pending = kOff;
  std::uint64_t max_requests = kOff;
  std::uint64_t max_retries = kOff;
  bool any() const { return max_pending != kOff || max_requests != kOff || max_retries != kOff; }
};

// A limit of a hundred million outstanding requests is no limit, and a typo.
inline constexpr std::uint64_t kMaxCircuitBreakerLimit = 100'000'000;

class CircuitBreakers {
 public:
  enum class Resource : std::size_t { pending = 0, requests = 1, retries = 2 };

  explicit CircuitBreakers(const CircuitBreakerLimits& limits);

  // Takes one unit of `resource` if that stays within its limit; false: the breaker is open
  // (counted as an overflow of that resource). A resource without a limit is not counted.
  bool try_acquire(Resource resource);
  void release(Resource resource, std::uint64_t units = 1);

  bool limited(Resource resource) const { return gauge(resource).limit != CircuitBreakerLimits::kOff; }
  std::uint64_t in_use(Resource resource) const { return gauge(resource).used.load(std::memory_order_acquire); }
  // The most held at once since the start: never above the limit.
  std::uint64_t peak(Resource resource) const { return gauge(resource).peak.load(std::memory_order_relaxed); }
  // Acquisitions refused.
  std::uint64_t overflows(Resource resource) const { return gauge(resource).overflows.load(std::memory_order_relaxed); }

 private:
  struct Gauge {
    std::uint64_t limit = CircuitBreakerLimits::kOff;
    std::atomic<std::uint64_t> used{0}, peak{0}, overflows{0};
  };
  Gauge& gauge(Resource r) { return gauges_[static_cast<std::size_t>(r)]; }
  const Gauge& gauge(Resource r) const { return gauges_[static_cast<std::size_t>(r)]; }

  std::array<Gauge, 3> gauges_;
};

}  // namespace loadlab
