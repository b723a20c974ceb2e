#include "model/adaptive_lifo_discipline.h"

namespace loadlab {

std::optional<WaitingRequest> AdaptiveLifoDiscipline::next(std::deque<WaitingRequest>& queue, std::int64_t,
                                                           const Drop&) {
  WaitingRequest w;
  if (queue.size() > threshold_) {
    w = queue.back();
    queue.pop_back();
  } else {
    w = queue.front();
    queue.pop_front();
  }
  return w;
}

}  // namespace loadlab
