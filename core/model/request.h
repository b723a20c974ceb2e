#pragma once
#include <cstdint>

namespace loadlab {

inline constexpr std::uint32_t kNoClient = 0xFFFFFFFFu;

struct WriteState;

struct Request {
  std::uint64_t key = 0;
  std::int64_t intended_ns = 0;      // when it should have been sent: latency is measured from here
  std::uint32_t client = kNoClient;  // closed loop: who waits for the answer
  std::uint32_t retries = 0;         // how many times it has been retried on another node
  // The nodes it failed at, bit (node mod 64) each: a retry never goes back to one (with
  // more than 64 nodes a few untried nodes share a bit and are passed over too).
  WriteState* write = nullptr;  // set on each replica's copy of a write (write_quorum.h)
  std::uint64_t tried = 0;
};

}  // namespace loadlab
