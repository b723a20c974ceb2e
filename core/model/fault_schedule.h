#pragma once
// The scenario's scheduled faults (kill, revive, speed, spikes at given times), in time order,
// applied by the driver as its clock passes them.
#include <cstdint>
#include <limits>
#include <vector>

#include "model/node_control.h"
#include "scenario/scenario.h"

namespace loadlab {

class FaultSchedule {
 public:
  explicit FaultSchedule(std::vector<FaultEvent> faults);
  // Applies every fault due at or before `now_ns`, each once.
  void apply_due(std::int64_t now_ns, NodeControl& nodes);
  // When the next fault is due; max() when none is left.
  std::int64_t next_ns() const;

 private:
  std::vector<FaultEvent> faults_;
  std::size_t next_ = 0;
};

}  // namespace loadlab
