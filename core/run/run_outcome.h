#pragma once
// The end of a run as other threads wait for it: the driver publishes the final report once,
// and wait()/wait_for()/finished()/report() read it under a lock. Both drivers use this.
#include <chrono>
#include <condition_variable>
#include <mutex>

#include "metrics/run_report.h"

namespace loadlab {

class RunOutcome {
 public:
  void publish(RunReport report) {
    {
      std::lock_guard lock(mutex_);
      report_ = std::move(report);
      finished_ = true;
    }
    cv_.notify_all();
  }
  bool wait_for(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, timeout, [this] { return finished_; });
  }
  void wait() {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [this] { return finished_; });
  }
  bool finished() const {
    std::lock_guard lock(mutex_);
    return finished_;
  }
  RunReport report() const {
    std::lock_guard lock(mutex_);
    return report_;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  bool finished_ = false;
  RunReport report_;
};

}  // namespace loadlab
