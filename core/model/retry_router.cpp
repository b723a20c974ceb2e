#include "model/retry_router.h"

#include "balancers/balancer.h"
#include "base/hash.h"

namespace loadlab {

std::size_t RetryRouter::choose(const Request& failed, std::size_t from, std::uint64_t issued) {
  if (failed.retries >= policy_.max_retries) return kNoNode;
  const std::size_t n = nodes_;
  const std::size_t start = static_cast<std::size_t>(mix64(failed.key, failed.retries * 1'000'003ULL + from) % n);
  std::size_t target = kNoNode;
  const std::uint32_t partition = placement_ ? placement_->partition_of(failed.key) : 0;
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t i = (start + k) % n;
    if (i != from && health_.in_rotation(i) &&
        (!placement_ || placement_->holds(static_cast<std::uint32_t>(i), partition))) {
      target = i;
      break;
    }
  }
  if (target == kNoNode) return kNoNode;
  // The budget: retries so far < budget × issued so far + floor.
  const double allowed = policy_.budget * static_cast<double>(issued) + policy_.min_retries;
  std::uint64_t done = retries_.load(std::memory_order_relaxed);
  do {
    if (static_cast<double>(done + 1) > allowed) {
      denied_.fetch_add(1, std::memory_order_relaxed);
      return kNoNode;
    }
  } while (!retries_.compare_exchange_weak(done, done + 1, std::memory_order_relaxed));
  return target;
}

}  // namespace loadlab
