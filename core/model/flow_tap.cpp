#include "model/flow_tap.h"

#include "base/hash.h"

namespace loadlab {

FlowTap::FlowTap(std::size_t nodes) {
  rings_.reserve(nodes);
  for (std::size_t i = 0; i < nodes; ++i) rings_.push_back(std::make_unique<Ring>());
}

std::uint64_t FlowTap::sampled(const Request& r) const {
  const std::uint64_t every = every_.load(std::memory_order_relaxed);
  if (every == 0) return 0;
  // Mixed so that every-th by hash is a spread sample, not every n-th arrival instant.
  const std::uint64_t h = mix64(static_cast<std::uint64_t>(r.intended_ns), r.key);
  return h % every == 0 ? h | 1 : 0;  // an identity is never 0
}

void FlowTap::record(std::uint32_t node, std::uint64_t id, FlowEvent::Kind kind, std::int64_t t_ns) {
  if (id == 0 || node >= rings_.size()) return;
  Ring& ring = *rings_[node];
  const std::uint64_t head = ring.head.load(std::memory_order_relaxed);
  if (head - ring.tail.load(std::memory_order_acquire) >= kRingSize) {
    dropped_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  ring.events[head % kRingSize] = FlowEvent{id, t_ns, node, kind};
  ring.head.store(head + 1, std::memory_order_release);
}

std::vector<FlowEvent> FlowTap::take() {
  std::vector<FlowEvent> out;
  for (auto& ring : rings_) {
    const std::uint64_t head = ring->head.load(std::memory_order_acquire);
    std::uint64_t tail = ring->tail.load(std::memory_order_relaxed);
    for (; tail < head; ++tail) out.push_back(ring->events[tail % kRingSize]);
    ring->tail.store(tail, std::memory_order_release);
  }
  return out;
}

}  // namespace loadlab
