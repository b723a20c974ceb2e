#include "model/fault_schedule.h"

#include <algorithm>

namespace loadlab {
namespace {
std::int64_t due_ns(const FaultEvent& f) { return static_cast<std::int64_t>(f.at_s * 1e9); }
}  // namespace

FaultSchedule::FaultSchedule(std::vector<FaultEvent> faults) : faults_(std::move(faults)) {
  // Stable: two faults at the same time happen in the order the scenario lists them.
  std::stable_sort(faults_.begin(), faults_.end(),
                   [](const FaultEvent& a, const FaultEvent& b) { return a.at_s < b.at_s; });
}

void FaultSchedule::apply_due(std::int64_t now_ns, NodeControl& nodes) {
  for (; next_ < faults_.size() && due_ns(faults_[next_]) <= now_ns; ++next_) {
    const FaultEvent& f = faults_[next_];
    switch (f.action) {
      case FaultEvent::Action::kill:
        nodes.kill(f.node);
        break;
      case FaultEvent::Action::revive:
        nodes.revive(f.node);
        break;
      case FaultEvent::Action::speed:
        nodes.set_speed(f.node, f.speed);
        break;
      case FaultEvent::Action::spikes:
        nodes.set_spikes(f.node, f.probability, f.extra_us);
        break;
    }
  }
}

std::int64_t FaultSchedule::next_ns() const {
  return next_ < faults_.size() ? due_ns(faults_[next_]) : std::numeric_limits<std::int64_t>::max();
}

}  // namespace loadlab
