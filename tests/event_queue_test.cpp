// The event queue's order is the simulator's determinism: by time, ties by scheduling order,
// whether an event waits in the heap or in the arrival lane.
#include "sim/event_queue.h"

#include <gtest/gtest.h>

#include <vector>

namespace loadlab {
namespace {

SimEvent at(std::int64_t ns, SimEvent::Kind kind, std::uint32_t node = 0) { return {ns, 0, kind, node, 0, 0}; }

std::vector<std::uint32_t> drain(EventQueue& q) {
  std::vector<std::uint32_t> order;
  while (!q.empty()) order.push_back(q.pop().node);
  return order;
}

TEST(EventQueue, OrdersByTimeThenBySchedulingOrderAcrossTheArrivalLane) {
  EventQueue q;
  q.push(at(20, SimEvent::Kind::completion, 1));
  q.push(at(10, SimEvent::Kind::completion, 2));
  q.set_next_arrival(at(10, SimEvent::Kind::arrival, 3));  // ties with 2, scheduled after it
  q.push(at(10, SimEvent::Kind::tick, 4));                 // ties with both, scheduled last
  q.push(at(5, SimEvent::Kind::health, 5));
  EXPECT_EQ(q.size(), 5u);
  EXPECT_EQ(q.top().node, 5u);
  EXPECT_EQ(drain(q), (std::vector<std::uint32_t>{5, 2, 3, 4, 1}));
}

TEST(EventQueue, ANewArrivalReplacesThePendingOne) {
  EventQueue q;
  q.set_next_arrival(at(100, SimEvent::Kind::arrival, 1));
  q.push(at(50, SimEvent::Kind::completion, 2));
  q.set_next_arrival(at(30, SimEvent::Kind::arrival, 3));  // redrawn: only this one arrives
  EXPECT_EQ(q.size(), 2u);
  EXPECT_EQ(drain(q), (std::vector<std::uint32_t>{3, 2}));
  EXPECT_TRUE(q.empty());
}

}  // namespace
}  // namespace loadlab
