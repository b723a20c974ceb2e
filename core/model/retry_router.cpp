#include "model/retry_router.h"

#include "balancers/balancer.h"
#include "base/hash.h"
#include "model/random_streams.h"

namespace loadlab {

// The load as the retry's balancer reads it: each node's requests arrived and not finished,
// from its counters (any thread may read them).
class RetryRouter::Load final : public LoadView {
 public:
  explicit Load(const RetryRouter& r) : r_(r) {}
  std::size_t node_count() const override { return r_.counters_.size(); }
  std::uint64_t in_flight(std::size_t node) const override {
    const NodeCounters& c = *r_.counters_[node];
    const std::uint64_t finished = c.finished();
    const std::uint64_t arrived = c.arrived();
    return arrived > finished ? arrived - finished : 0;
  }
  std::uint64_t completed(std::size_t node) const override {
    return r_.counters_[node]->completed.load(std::memory_order_acquire);
  }
  std::uint64_t latency_sum_ns(std::size_t node) const override {
    return r_.counters_[node]->latency_sum_ns.load(std::memory_order_relaxed);
  }
  std::int64_t now_ns() const override { return now; }
  std::int64_t now = 0;

 private:
  const RetryRouter& r_;
};

RetryRouter::RetryRouter(const Scenario& scenario, const Placement* placement,
                         std::span<const NodeCounters* const> counters)
    : policy_(scenario.retry),
      placement_(placement),
      counters_(counters.begin(), counters.end()),
      load_(std::make_unique<Load>(*this)),
      balancers_(scenario, placement, retry_balancer_stream) {
  for (const NodeSpec& n : scenario.nodes) weights_.push_back(n.weight);
  balancers_.set_weights(weights_);
}

RetryRouter::~RetryRouter() = default;

void RetryRouter::set_weights(std::span<const double> effective) {
  std::lock_guard lock(mutex_);
  weights_.assign(effective.begin(), effective.end());
  balancers_.set_weights(weights_);
}

bool RetryRouter::acceptable(std::size_t node, std::uint64_t tried, std::uint32_t partition) const {
  return node < weights_.size() && (tried & tried_bit(node)) == 0 && weights_[node] > 0 &&
         (!placement_ || placement_->holds(static_cast<std::uint32_t>(node), partition));
}

std::size_t RetryRouter::choose(const Request& failed, std::size_t from, std::uint64_t issued, std::int64_t now_ns) {
  if (failed.retries >= policy_.max_retries) return kNoNode;
  const std::uint64_t tried = failed.tried | tried_bit(from);
  const std::uint32_t partition = placement_ ? placement_->partition_of(failed.key) : 0;
  std::size_t target = kNoNode;
  {
    std::lock_guard lock(mutex_);
    load_->now = now_ns;
    Balancer& balancer = placement_ ? balancers_.for_partition(partition) : balancers_.for_key(failed.key);
    for (int attempt = 0; attempt < kPickAttempts && target == kNoNode; ++attempt) {
      const std::uint64_t key = attempt == 0 ? failed.key : mix64(failed.key, static_cast<std::uint64_t>(attempt));
      const std::size_t node = balancer.pick(PickContext{key, load_.get()});
      if (node == kNoNode) break;  // nobody in rotation
      if (acceptable(node, tried, partition)) target = node;
    }
    if (target == kNoNode) {
      const std::size_t n = counters_.size();
      const std::size_t start = static_cast<std::size_t>(mix64(failed.key, failed.retries * 1'000'003ULL + from) % n);
      for (std::size_t k = 0; k < n && target == kNoNode; ++k)
        if (acceptable((start + k) % n, tried, partition)) target = (start + k) % n;
    }
  }
  if (target == kNoNode) return kNoNode;
  // Envoy's max_retries: retries outstanding at once, whatever the budget allows.
  if (breakers_ && !breakers_->try_acquire(CircuitBreakers::Resource::retries)) return kOverflow;
  // The budget: retries so far < budget × issued so far + floor.
  const double allowed = policy_.budget * static_cast<double>(issued) + policy_.min_retries;
  std::uint64_t done = retries_.load(std::memory_order_relaxed);
  do {
    if (static_cast<double>(done + 1) > allowed) {
      denied_.fetch_add(1, std::memory_order_relaxed);
      if (breakers_) breakers_->release(CircuitBreakers::Resource::retries);
      return kNoNode;
    }
  } while (!retries_.compare_exchange_weak(done, done + 1, std::memory_order_relaxed));
  return target;
}

}  // namespace loadlab
