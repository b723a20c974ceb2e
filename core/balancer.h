#pragma once
// The balancer interface: given a request, choose a node. One policy per file under
// balancers/, found by name through balancer_registry.h.
//
// Threading: the engine calls every method of a balancer from its dispatcher thread only,
// and applies live weight changes there too, so a policy needs no locks of its own.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>

namespace loadlab {

inline constexpr std::size_t kNoNode = std::numeric_limits<std::size_t>::max();

// What a load-aware policy may read about the nodes at the moment of the pick.
class LoadView {
 public:
  virtual ~LoadView() = default;
  virtual std::size_t node_count() const = 0;
  virtual std::uint64_t in_flight(std::size_t node) const = 0;
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
};

}  // namespace loadlab
