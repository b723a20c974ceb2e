#pragma once
// CoDel, Controlled Delay (RFC 8289), on a node's request queue. At each dequeue the head's
// sojourn time (now - when it joined the queue) is compared with `target`: once it has stayed
// at or above the target for a whole `interval` (and others wait behind it), CoDel enters its
// dropping state and drops the head; then the next drop is due interval / sqrt(count) after
// the last, count growing by one per drop, so the drop rate rises until the sojourn time is
// below the target again and the dropping state ends. Re-entering soon after (within 16
// intervals) starts from the drop rate the last cycle reached, not from one.
//
// Written from the RFC's section 5 pseudocode: "bytes() <= MAXPACKET" (less than one packet
// left) becomes "no other request waiting"; times are integer nanoseconds, as everywhere.
#include <cstdint>

#include "model/queue_discipline.h"

namespace loadlab {

class CodelDiscipline final : public QueueDiscipline {
 public:
  CodelDiscipline(double target_ms, double interval_ms);
  std::optional<WaitingRequest> next(std::deque<WaitingRequest>& queue, std::int64_t now_ns, const Drop& drop) override;

  // For tests: whether CoDel is in its dropping state, and its drop count.
  bool dropping() const { return dropping_; }
  std::uint32_t count() const { return count_; }

 private:
  struct Dequeued {
    std::optional<WaitingRequest> request;
    bool ok_to_drop = false;
  };
  Dequeued dodequeue(std::deque<WaitingRequest>& queue, std::int64_t now_ns);
  std::int64_t control_law(std::int64_t t, std::uint32_t count) const;

  std::int64_t target_ns_, interval_ns_;
  std::int64_t first_above_time_ = 0;  // 0: the sojourn time is below the target
  std::int64_t drop_next_ = 0;
  std::uint32_t count_ = 0, lastcount_ = 0;
  bool dropping_ = false;
};

}  // namespace loadlab
