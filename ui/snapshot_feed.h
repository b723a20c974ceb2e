#pragma once
// The hand-over from the engine's collector thread to the UI thread. The engine pushes under
// a short lock and never waits for the UI; the UI takes everything that arrived at its own
// tick. If the UI stalls, the feed keeps only the newest kMaxPending snapshots.
#include <deque>
#include <mutex>
#include <vector>

#include "metrics/snapshot.h"

namespace loadlab::ui {

class SnapshotFeed {
 public:
  static constexpr std::size_t kMaxPending = 600;
  void push(const Snapshot& snapshot) {
    std::lock_guard lock(mutex_);
    pending_.push_back(snapshot);
    if (pending_.size() > kMaxPending) pending_.pop_front();
  }
  std::vector<Snapshot> take() {
    std::lock_guard lock(mutex_);
    std::vector<Snapshot> out(std::make_move_iterator(pending_.begin()), std::make_move_iterator(pending_.end()));
    pending_.clear();
    return out;
  }

 private:
  std::mutex mutex_;
  std::deque<Snapshot> pending_;
};

}  // namespace loadlab::ui
