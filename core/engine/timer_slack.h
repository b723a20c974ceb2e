#pragma once
// Linux lets a sleeping thread wake up to 50 µs late by default ("timer slack") to save
// power. A node serving a 100 µs request would then take ~150 µs, and the dispatcher would
// send late; both show up as latency that no real backend has. Engine threads ask for 1 µs.
#if defined(__linux__)
#include <sys/prctl.h>
#endif

namespace loadlab {

inline void use_precise_timers() {
#if defined(__linux__)
  prctl(PR_SET_TIMERSLACK, 1000UL, 0UL, 0UL, 0UL);
#endif
}

}  // namespace loadlab
