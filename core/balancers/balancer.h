#pragma once
// The balancer interface: given a request, choose a node. One policy per file under
// balancers/, found by name through balancer_registry.h.
//
// Threading: the engine calls every method of a balancer from its dispatcher thread only,
// and applies live weight changes there too, so a policy needs no locks of its own.
//
// Load tracking: the fast path for least-connections (O(log n) per pick instead of reading
// every node). Other policies read only the few nodes they sample and ignore the reports.
// A driver opts in, per LoadView, by doing all of:
//   1. its LoadView returns true from reports_load_changes() (always the same answer);
//   2. between two picks of a balancer, it calls balancer.on_load_changed(node) for every
//      node whose in_flight(node) changed — the node it just sent a request to (after the
//      pick, a write copy, a retry it moved there), and each node it learned finished or
//      failed requests — on the thread that calls pick(). Reporting a node that did not
//      change, or twice, costs O(1) and is harmless; so is reporting a node outside the
//      balancer's rotation. With several balancers on one view (one per replica set),
//      report to each of them;
//   3. in_flight(node) does not move without such a report: counters that other threads
//      bump are read into a snapshot that the view serves and the driver refreshes where
//      it reports.
// The balancer reads in_flight(node) for the reported nodes at its next pick. It reads every
// node once at the first pick with a view and after set_weights; a view is known by its
// address, so a driver that puts a new view where an old one was calls set_weights again.
// A view that does not opt in gets the behaviour it always had: every pick reads every node
// the policy needs. Both paths make the same choices for the same in_flight values.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>

namespace loadlab {

inline constexpr std::size_t kNoNode = std::numeric_limits<std::size_t>::max();

// What a load-aware policy may read about the nodes at the moment of the pick. The engine's
// view reads the nodes' counters; tests and benchmarks supply their own.
class LoadView {
 public:
  virtual ~LoadView() = default;
  virtual std::size_t node_count() const = 0;
  // Requests sent to the node and not yet finished (queued or in service).
  virtual std::uint64_t in_flight(std::size_t node) const = 0;
  // Σ in_flight over all nodes. The engine keeps it current per dispatch batch (it may count
  // completions of the last ≤ 1024 requests late), so bounded-load need not sum n counters.
  virtual std::uint64_t total_in_flight() const {
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < node_count(); ++i) total += in_flight(i);
    return total;
  }
  // Latency feedback for peak EWMA: requests the node has finished and the sum of their
  // latencies, both cumulative, and the engine's clock.
  virtual std::uint64_t completed(std::size_t /*node*/) const { return 0; }
  virtual std::uint64_t latency_sum_ns(std::size_t /*node*/) const { return 0; }
  virtual std::int64_t now_ns() const { return 0; }
  // True only if the driver keeps the load-tracking contract above for this view.
  virtual bool reports_load_changes() const { return false; }
};

struct PickContext {
  std::uint64_t key = 0;
  const LoadView* load = nullptr;
};

// How theory predicts each node's share of the requests under this policy.
enum class ShareModel {
  equal,     // every node with weight > 0 gets 1/n
  weighted,  // T_i = w_i / Σw · T
  other,     // depends on load or keys; no closed form
};

class Balancer {
 public:
  virtual ~Balancer() = default;
  // Sets the node count and weights. Called before the first pick and on every live change.
  // A weight of 0 takes a node out of rotation. Weights are finite and >= 0 (validated by
  // the caller); all zero is allowed and makes pick() return kNoNode.
  virtual void set_weights(std::span<const double> weights) = 0;
  // The chosen node, or kNoNode when no node can take the request.
  virtual std::size_t pick(const PickContext& context) = 0;
  virtual ShareModel share_model() const = 0;
  // Whether the policy aims at shares proportional to the weights (so imbalance is judged
  // per unit of weight) or treats every node in rotation alike.
  virtual bool honours_weights() const { return share_model() != ShareModel::equal; }
  // Whether the node depends only on the key (so "keys moved when a node leaves" is defined).
  virtual bool key_affine() const { return false; }
  // Load tracking (see the top of this file): in_flight(node) may have changed since this
  // balancer's last pick. Policies that read loads only at pick time ignore it.
  virtual void on_load_changed(std::size_t /*node*/) {}
};

}  // namespace loadlab
