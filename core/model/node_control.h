#pragma once
// What the model may do to a node, whoever runs it: the fault schedule and live controls call
// this, and each driver carries it out on its own clock (the real engine posts to the node's
// thread; the simulator acts at the current virtual time).
#include <cstddef>

namespace loadlab {

class NodeControl {
 public:
  virtual ~NodeControl() = default;
  virtual void kill(std::size_t node) = 0;
  virtual void revive(std::size_t node) = 0;
  virtual void set_speed(std::size_t node, double speed) = 0;
  virtual void set_spikes(std::size_t node, double probability, double extra_us) = 0;
};

}  // namespace loadlab
