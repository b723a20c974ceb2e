#pragma once
// The simulator's future: events ordered by virtual time in integer nanoseconds, ties broken
// by the order they were scheduled (a sequence number), so a run is exactly repeatable — no
// floating-point time, no dependence on the heap's internal order.
//
// Open-loop arrivals form a chain (each one schedules the next), so at most one is ever
// pending: it waits in a lane beside the heap instead of in it. That halves the heap's
// traffic, and an arrival drawn again (the rate changed) replaces the pending one instead of
// leaving a stale event behind. The lane takes its sequence number from the same counter,
// so the order of events is exactly what one heap would give.
#include <cstdint>
#include <queue>
#include <vector>

namespace loadlab {

struct SimEvent {
  enum class Kind : std::uint8_t { arrival, client_ready, completion, queue_wake, fault, health, tick, warmup_end };
  std::int64_t at_ns = 0;
  std::uint64_t sequence = 0;
  Kind kind = Kind::arrival;
  std::uint32_t node = 0;        // completion, queue_wake: the node; client_ready: the client
  std::uint32_t slot = 0;        // completion
  std::uint64_t generation = 0;  // completion: the slot's
};

class EventQueue {
 public:
  void push(SimEvent event) {
    event.sequence = next_sequence_++;
    heap_.push(event);
  }
  // The next open-loop arrival, replacing a pending one.
  void set_next_arrival(SimEvent event) {
    event.sequence = next_sequence_++;
    arrival_ = event;
    has_arrival_ = true;
  }

  bool empty() const { return heap_.empty() && !has_arrival_; }
  std::size_t size() const { return heap_.size() + (has_arrival_ ? 1 : 0); }
  const SimEvent& top() const { return arrival_first() ? arrival_ : heap_.top(); }
  SimEvent pop() {
    if (arrival_first()) {
      has_arrival_ = false;
      return arrival_;
    }
    SimEvent e = heap_.top();
    heap_.pop();
    return e;
  }

 private:
  struct Later {
    bool operator()(const SimEvent& a, const SimEvent& b) const {
      return a.at_ns != b.at_ns ? a.at_ns > b.at_ns : a.sequence > b.sequence;
    }
  };
  bool arrival_first() const { return has_arrival_ && (heap_.empty() || Later{}(heap_.top(), arrival_)); }

  std::priority_queue<SimEvent, std::vector<SimEvent>, Later> heap_;
  SimEvent arrival_;
  bool has_arrival_ = false;
  std::uint64_t next_sequence_ = 0;
};

}  // namespace loadlab
