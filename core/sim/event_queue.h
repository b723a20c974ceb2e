#pragma once
// The simulator's future: events ordered by virtual time in integer nanoseconds, ties broken
// by the order they were scheduled (a sequence number), so a run is exactly repeatable — no
// floating-point time, no dependence on the heap's internal order.
#include <cstdint>
#include <queue>
#include <vector>

namespace loadlab {

struct SimEvent {
  enum class Kind : std::uint8_t { arrival, client_ready, completion, fault, health, tick };
  std::int64_t at_ns = 0;
  std::uint64_t sequence = 0;
  Kind kind = Kind::arrival;
  std::uint32_t node = 0;        // completion: the node; client_ready: the client
  std::uint32_t slot = 0;        // completion
  std::uint64_t generation = 0;  // completion: the slot's; arrival: the arrival schedule's
};

class EventQueue {
 public:
  void push(SimEvent event) {
    event.sequence = next_sequence_++;
    heap_.push(event);
  }
  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  const SimEvent& top() const { return heap_.top(); }
  SimEvent pop() {
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
  std::priority_queue<SimEvent, std::vector<SimEvent>, Later> heap_;
  std::uint64_t next_sequence_ = 0;
};

}  // namespace loadlab
