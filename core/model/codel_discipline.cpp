#include "model/codel_discipline.h"

#include <cmath>

namespace loadlab {

namespace {
std::int64_t to_ns(double ms) { return static_cast<std::int64_t>(std::llround(ms * 1e6)); }
}  // namespace

CodelDiscipline::CodelDiscipline(double target_ms, double interval_ms)
    : target_ns_(to_ns(target_ms)), interval_ns_(to_ns(interval_ms)) {}

std::int64_t CodelDiscipline::control_law(std::int64_t t, std::uint32_t count) const {
  return t + static_cast<std::int64_t>(std::llround(static_cast<double>(interval_ns_) / std::sqrt(count)));
}

CodelDiscipline::Dequeued CodelDiscipline::dodequeue(std::deque<WaitingRequest>& queue, std::int64_t now) {
  Dequeued r;
  if (queue.empty()) {
    first_above_time_ = 0;
    return r;
  }
  r.request = queue.front();
  queue.pop_front();
  const std::int64_t sojourn = now - r.request->arrived_ns;
  if (sojourn < target_ns_ || queue.empty()) {
    // Below the target, or nothing behind it: no standing queue.
    first_above_time_ = 0;
  } else if (first_above_time_ == 0) {
    first_above_time_ = now + interval_ns_;  // above the target: drop if it stays so for an interval
  } else if (now >= first_above_time_) {
    r.ok_to_drop = true;
  }
  return r;
}

std::optional<WaitingRequest> CodelDiscipline::next(std::deque<WaitingRequest>& queue, std::int64_t now,
                                                    const Drop& drop) {
  Dequeued r = dodequeue(queue, now);
  if (dropping_) {
    if (!r.ok_to_drop) dropping_ = false;  // the sojourn time went below the target
    // Each drop that is due: drop the head, look at the next one.
    while (r.request && dropping_ && now >= drop_next_) {
      drop(r.request->request);
      ++count_;
      r = dodequeue(queue, now);
      if (!r.ok_to_drop)
        dropping_ = false;
      else
        drop_next_ = control_law(drop_next_, count_);
    }
  } else if (r.request && r.ok_to_drop) {
    // Above the target for a whole interval: drop, and enter the dropping state.
    drop(r.request->request);
    r = dodequeue(queue, now);
    dropping_ = true;
    // Coming back soon after the last cycle: start from the drop rate it ended with.
    const std::uint32_t delta = count_ - lastcount_;
    count_ = 1;
    if (delta > 1 && now - drop_next_ < 16 * interval_ns_) count_ = delta;
    drop_next_ = control_law(now, count_);
    lastcount_ = count_;
  }
  return r.request;
}

}  // namespace loadlab
