#pragma once
// The snapshots the window keeps: a bounded window (memory stays flat however long the run
// goes on). Charts draw the newest `chart_span`; Export CSV writes all that is kept.
#include <cstddef>
#include <deque>
#include <vector>

#include "metrics/snapshot.h"

namespace loadlab::ui {

class RunHistory {
 public:
  static constexpr std::size_t kCapacity = 6000;  // 10 minutes at the default 100 ms interval
  void add(Snapshot snapshot) {
    snapshots_.push_back(std::move(snapshot));
    if (snapshots_.size() > kCapacity) {
      snapshots_.pop_front();
      ++dropped_;
    }
  }
  void clear() {
    snapshots_.clear();
    dropped_ = 0;
  }
  bool empty() const { return snapshots_.empty(); }
  std::size_t size() const { return snapshots_.size(); }
  std::size_t dropped() const { return dropped_; }
  const Snapshot& latest() const { return snapshots_.back(); }
  const std::deque<Snapshot>& all() const { return snapshots_; }
  std::vector<Snapshot> copy() const { return {snapshots_.begin(), snapshots_.end()}; }

 private:
  std::deque<Snapshot> snapshots_;
  std::size_t dropped_ = 0;
};

}  // namespace loadlab::ui
