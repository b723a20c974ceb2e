#pragma once
// One monotonic time base for a run: nanoseconds since the run started. Intended send
// times, completion times and snapshot times are all on it.
#include <chrono>
#include <cstdint>

namespace loadlab {

class EngineClock {
 public:
  using clock = std::chrono::steady_clock;
  void restart() { start_ = clock::now(); }
  std::int64_t now_ns() const {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(clock::now() - start_).count();
  }
  clock::time_point at(std::int64_t ns) const { return start_ + std::chrono::nanoseconds(ns); }

 private:
  clock::time_point start_ = clock::now();
};

}  // namespace loadlab
