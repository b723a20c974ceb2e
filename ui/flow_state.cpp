#include "flow_state.h"

#include <algorithm>

namespace loadlab::ui {

FlowState::FlowState(std::size_t nodes) { reset(nodes); }

void FlowState::reset(std::size_t nodes) {
  dots_.clear();
  counts_.assign(nodes, {});
  not_drawn_ = 0;
  arrival_times_.clear();
}

double FlowState::min_duration(FlowPhase phase) {
  switch (phase) {
    case FlowPhase::to_node:
      return kTravelS;
    case FlowPhase::serving_miss:
      return kMissS;
    case FlowPhase::returning_hit:
    case FlowPhase::returning_miss:
      return kReturnS;
    case FlowPhase::failed:
      return kFailS;
    case FlowPhase::queued:
    case FlowPhase::serving_hit:
      return 0;
  }
  return 0;
}

double FlowState::progress(const FlowDot& dot, double now_s) {
  const double d = min_duration(dot.phase);
  return d > 0 ? std::clamp((now_s - dot.since_s) / d, 0.0, 1.0) : 1.0;
}

void FlowState::add(const std::vector<FlowEvent>& events, double now_s) {
  for (const FlowEvent& e : events) {
    if (e.node >= counts_.size()) continue;
    FlowCounts& c = counts_[e.node];
    FlowPhase phase = FlowPhase::to_node;
    switch (e.kind) {
      case FlowEvent::Kind::arrived:
        ++c.arrived;
        arrival_times_.push_back(now_s);
        break;
      case FlowEvent::Kind::started_hit:
        ++c.hits;
        phase = FlowPhase::serving_hit;
        break;
      case FlowEvent::Kind::started_miss:
        ++c.misses;
        phase = FlowPhase::serving_miss;
        break;
      case FlowEvent::Kind::completed:
        ++c.completed;
        phase = FlowPhase::returning_hit;  // hit or miss: decided below from how it was served
        break;
      case FlowEvent::Kind::failed:
        ++c.failed;
        phase = FlowPhase::failed;
        break;
    }
    if (e.kind == FlowEvent::Kind::arrived) {
      // A retry arrives again under the same identity: a new trip, from the balancer.
      if (dots_.size() >= kMaxDots && !dots_.contains(e.id)) {
        ++not_drawn_;
        continue;
      }
      FlowDot& d = dots_[e.id];
      d = FlowDot{e.id, e.node, FlowPhase::to_node, now_s, {}};
      d.next.push_back(FlowPhase::queued);
      continue;
    }
    const auto it = dots_.find(e.id);
    if (it == dots_.end()) continue;  // not drawn (over the cap), or its arrival came before the view opened
    FlowDot& d = it->second;
    if (phase == FlowPhase::returning_hit) {
      const FlowPhase served = d.next.empty() ? d.phase : d.next.back();
      if (served == FlowPhase::serving_miss) phase = FlowPhase::returning_miss;
    }
    d.next.push_back(phase);
  }
  while (!arrival_times_.empty() && arrival_times_.front() < now_s - 1.0) arrival_times_.pop_front();
}

void FlowState::advance(double now_s) {
  for (auto it = dots_.begin(); it != dots_.end();) {
    FlowDot& d = it->second;
    while (!d.next.empty() && now_s - d.since_s >= min_duration(d.phase)) {
      // A queued dot whose service started moves on at once; the time it waited was real.
      d.phase = d.next.front();
      d.next.pop_front();
      d.since_s = now_s;
    }
    const bool done =
        (d.phase == FlowPhase::returning_hit || d.phase == FlowPhase::returning_miss || d.phase == FlowPhase::failed) &&
        now_s - d.since_s >= min_duration(d.phase);
    it = done ? dots_.erase(it) : std::next(it);
  }
}

double FlowState::arrivals_per_second(double now_s) const {
  return static_cast<double>(
      std::count_if(arrival_times_.begin(), arrival_times_.end(), [&](double t) { return t >= now_s - 1.0; }));
}

}  // namespace loadlab::ui
