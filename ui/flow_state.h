#pragma once
// What the flow view draws, from the run's sampled request events (model/flow_tap.h), with no
// widget: one dot per sampled request, stepping through the phases the engine reported —
// travelling to its node, waiting in the queue, in service (a hit, or a miss that goes on to
// the backing store and back), returning to the client, or failing — and each phase shown for
// at least a moment, so a request the virtual clock served within one tick is still seen to
// travel. Counts per node of what arrived, hit, missed, completed and failed are exact over
// the sampled requests (a test compares them with the engine's counts).
#include <cstdint>
#include <deque>
#include <unordered_map>
#include <vector>

#include "model/flow_tap.h"

namespace loadlab::ui {

enum class FlowPhase { to_node, queued, serving_hit, serving_miss, returning_hit, returning_miss, failed };

struct FlowDot {
  std::uint64_t id = 0;
  std::uint32_t node = 0;
  FlowPhase phase = FlowPhase::to_node;
  double since_s = 0;          // wall time the phase began
  std::deque<FlowPhase> next;  // reported by the engine, not yet shown
};

struct FlowCounts {
  std::uint64_t arrived = 0, hits = 0, misses = 0, completed = 0, failed = 0;
};

class FlowState {
 public:
  // Shortest time each animated phase is shown, wall seconds.
  static constexpr double kTravelS = 0.35, kMissS = 0.5, kReturnS = 0.35, kFailS = 0.8;
  static constexpr std::size_t kMaxDots = 400;  // beyond: counted, not drawn

  explicit FlowState(std::size_t nodes = 0);
  void reset(std::size_t nodes);
  // The events of one tick, taken at wall time `now_s`.
  void add(const std::vector<FlowEvent>& events, double now_s);
  // Moves dots whose phase has been shown long enough to their next one; retires dots that
  // are back at the client or have failed.
  void advance(double now_s);

  const std::unordered_map<std::uint64_t, FlowDot>& dots() const { return dots_; }
  const std::vector<FlowCounts>& counts() const { return counts_; }
  std::uint64_t not_drawn() const { return not_drawn_; }
  // Sampled arrivals over the last second of wall time, for the view to tune the sampling.
  double arrivals_per_second(double now_s) const;
  // How far through its phase a dot is, 0..1 (1 for a phase without an animation).
  static double progress(const FlowDot& dot, double now_s);
  static double min_duration(FlowPhase phase);

 private:
  std::unordered_map<std::uint64_t, FlowDot> dots_;
  std::vector<FlowCounts> counts_;
  std::uint64_t not_drawn_ = 0;
  std::deque<double> arrival_times_;
};

}  // namespace loadlab::ui
