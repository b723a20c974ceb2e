#pragma once
// What live control has set, readable from any thread: the configured weights, theory's shares
// for them, and the open-loop rate. Both drivers keep one; the UI and CLI threads write it and
// the driver's own thread reads it (and applies the change to the model on that thread).
#include <mutex>
#include <utility>
#include <vector>

namespace loadlab {

class LiveSettings {
 public:
  struct Values {
    std::vector<double> weights, shares;
    double rate = 0;
    double think_ms = 0;
  };
  explicit LiveSettings(Values initial) : values_(std::move(initial)) {}

  void set_weights(std::vector<double> weights, std::vector<double> shares) {
    std::lock_guard lock(mutex_);
    values_.weights = std::move(weights);
    values_.shares = std::move(shares);
  }
  void set_rate(double rate) {
    std::lock_guard lock(mutex_);
    values_.rate = rate;
  }
  void set_think_ms(double think_ms) {
    std::lock_guard lock(mutex_);
    values_.think_ms = think_ms;
  }
  Values get() const {
    std::lock_guard lock(mutex_);
    return values_;
  }
  std::vector<double> weights() const {
    std::lock_guard lock(mutex_);
    return values_.weights;
  }
  std::vector<double> shares() const {
    std::lock_guard lock(mutex_);
    return values_.shares;
  }
  double rate() const {
    std::lock_guard lock(mutex_);
    return values_.rate;
  }

 private:
  mutable std::mutex mutex_;
  Values values_;
};

}  // namespace loadlab
