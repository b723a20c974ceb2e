#include "model/dispatcher.h"

#include "model/random_streams.h"
#include "model/write_quorum.h"

namespace loadlab {

// What load-aware balancers read: the dispatcher's own count of requests sent minus what the
// node has finished (retries forwarded to the node count as sent to it).
class Dispatcher::Load final : public LoadView {
 public:
  explicit Load(const Dispatcher& d) : d_(d) {}
  std::size_t node_count() const override { return d_.counters_.size(); }
  std::uint64_t in_flight(std::size_t node) const override { return d_.in_flight(node); }
  std::uint64_t total_in_flight() const override { return d_.total_in_flight_; }
  std::uint64_t completed(std::size_t node) const override {
    return d_.counters_[node]->completed.load(std::memory_order_acquire);
  }
  std::uint64_t latency_sum_ns(std::size_t node) const override {
    return d_.counters_[node]->latency_sum_ns.load(std::memory_order_relaxed);
  }
  std::int64_t now_ns() const override { return d_.now_ns_; }
  bool reports_load_changes() const override { return d_.reports_load_changes_; }

 private:
  const Dispatcher& d_;
};

Dispatcher::Dispatcher(const Scenario& scenario, std::span<const NodeCounters* const> counters, Sink& sink,
                       bool reports_load_changes)
    : workload_(scenario.workload),
      counters_(counters.begin(), counters.end()),
      sink_(sink),
      keys_(scenario.workload.keys),
      key_rng_(derive_seed(scenario.seed, keys_stream)),
      write_rng_(derive_seed(scenario.seed, writes_stream)),
      dispatched_(counters.size(), 0),
      tracked_(counters.size(), 0),
      load_(std::make_unique<Load>(*this)),
      reports_load_changes_(reports_load_changes) {
  if (scenario.partitioning.kind != Partitioning::Kind::none) {
    placement_.emplace(scenario.partitioning, scenario.nodes.size(), scenario.workload.keys.keys);
    quorum_ = effective_write_quorum(scenario);
  }
  balancers_ = std::make_unique<ReplicaBalancers>(scenario, placement(), balancer_stream);
  if (scenario.adaptive_concurrency.enabled)
    limiter_ = std::make_unique<GradientController>(scenario.adaptive_concurrency,
                                                    derive_seed(scenario.seed, adaptive_concurrency_stream));
  std::vector<double> weights;
  for (const NodeSpec& n : scenario.nodes) weights.push_back(n.weight);
  set_weights(weights);
}

Dispatcher::~Dispatcher() = default;

void Dispatcher::set_weights(std::span<const double> weights) { balancers_->set_weights(weights); }

void Dispatcher::send(std::size_t node, const Request& request) {
  ++dispatched_[node];
  ++total_in_flight_;
  sink_.send(node, request);
  if (reports_load_changes_) load_changed(node);
}

std::uint64_t Dispatcher::in_flight(std::size_t node) const {
  const NodeCounters& c = *counters_[node];
  return dispatched_[node] + c.retried_in.load(std::memory_order_acquire) - c.finished();
}

void Dispatcher::load_changed(std::size_t node) {
  if (reports_load_changes_) {
    const std::uint64_t now = in_flight(node);
    tracked_total_ = tracked_total_ + now - tracked_[node];
    tracked_[node] = now;
  }
  balancers_->on_load_changed(node);
}

bool Dispatcher::issue(std::int64_t intended_ns, std::uint32_t client, std::int64_t now_ns) {
  now_ns_ = now_ns;
  ++issued_;
  issued_in_panic_ += panic_;
  // The limiter stands in front of the cluster, before the balancer: a request over the
  // limit never reaches a node.
  if (limiter_ && !limiter_->forward(now_ns)) {
    ++concurrency_limited_;
    return false;
  }
  const std::uint64_t key = keys_.next(key_rng_);
  std::size_t node;
  if (placement_) {
    const std::uint32_t partition = placement_->partition_of(key);
    if (workload_.write_fraction > 0 && write_rng_.uniform() < workload_.write_fraction) {
      const auto replicas = placement_->replicas(partition);
      auto* state = new WriteState(intended_ns, client, static_cast<unsigned>(replicas.size()), quorum_);
      ++writes_;
      for (std::uint32_t r : replicas) send(r, Request{key, intended_ns, client, 0, state});
      return true;
    }
    node = balancers_->for_partition(partition).pick(PickContext{key, load_.get()});
  } else {
    node = balancers_->for_key(key).pick(PickContext{key, load_.get()});
  }
  if (node == kNoNode) {
    ++no_node_;
    if (limiter_) limiter_->cancel_latency_sample();
    return false;
  }
  send(node, Request{key, intended_ns, client});
  return true;
}

std::uint64_t Dispatcher::outstanding() const {
  std::uint64_t finished = 0, sent = 0;
  for (const NodeCounters* c : counters_) finished += c->finished();
  for (std::uint64_t d : dispatched_) sent += d;
  for (const NodeCounters* c : counters_) sent += c->retried_in.load(std::memory_order_acquire);
  return sent - finished;
}

}  // namespace loadlab
