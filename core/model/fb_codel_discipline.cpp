#include "model/fb_codel_discipline.h"

#include <cmath>

namespace loadlab {

FbCodelDiscipline::FbCodelDiscipline(double target_ms, double interval_ms)
    : target_ns_(static_cast<std::int64_t>(std::llround(target_ms * 1e6))),
      interval_ns_(static_cast<std::int64_t>(std::llround(interval_ms * 1e6))) {}

void FbCodelDiscipline::enqueued(std::deque<WaitingRequest>& queue, std::int64_t now) {
  if (queue.size() == 1) last_empty_ns_ = now;  // it was empty until this request came
  const bool standing = last_empty_ns_ < now - interval_ns_;
  queue.back().drop_after_ns = queue.back().arrived_ns + (standing ? target_ns_ : interval_ns_);
}

std::optional<WaitingRequest> FbCodelDiscipline::next(std::deque<WaitingRequest>& queue, std::int64_t now,
                                                      const Drop& drop) {
  while (!queue.empty()) {
    WaitingRequest w = queue.front();
    queue.pop_front();
    if (queue.empty()) last_empty_ns_ = now;
    if (now > w.drop_after_ns) {  // waited longer than its limit
      drop(w.request);
      continue;
    }
    return w;
  }
  return std::nullopt;
}

}  // namespace loadlab
