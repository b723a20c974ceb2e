#include "model/circuit_breakers.h"

namespace loadlab {

CircuitBreakers::CircuitBreakers(const CircuitBreakerLimits& limits) {
  gauge(Resource::pending).limit = limits.max_pending;
  gauge(Resource::requests).limit = limits.max_requests;
  gauge(Resource::retries).limit = limits.max_retries;
}

bool CircuitBreakers::try_acquire(Resource resource) {
  Gauge& g = gauge(resource);
  if (g.limit == CircuitBreakerLimits::kOff) return true;
  std::uint64_t used = g.used.load(std::memory_order_relaxed);
  do {
    if (used >= g.limit) {
      g.overflows.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
  } while (!g.used.compare_exchange_weak(used, used + 1, std::memory_order_acq_rel));
  std::uint64_t peak = g.peak.load(std::memory_order_relaxed);
  while (used + 1 > peak && !g.peak.compare_exchange_weak(peak, used + 1, std::memory_order_relaxed)) {
  }
  return true;
}

void CircuitBreakers::release(Resource resource, std::uint64_t units) {
  Gauge& g = gauge(resource);
  if (g.limit == CircuitBreakerLimits::kOff || units == 0) return;
  g.used.fetch_sub(units, std::memory_order_acq_rel);
}

}  // namespace loadlab
