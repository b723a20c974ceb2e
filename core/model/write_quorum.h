#pragma once
// A replicated write in flight: sent to all R replicas of its key's partition, it completes
// when W of them have acknowledged and fails once more than R − W have failed. The replicas
// report on their own threads; the atomic counts make exactly one of them decide, and the
// last one to report frees the state.
#include <atomic>
#include <cstdint>

namespace loadlab {

struct WriteState {
  WriteState(std::int64_t intended, std::uint32_t client_id, unsigned replicas_count, unsigned quorum_size)
      : intended_ns(intended), client(client_id), replicas(replicas_count), quorum(quorum_size) {}
  const std::int64_t intended_ns;
  const std::uint32_t client;
  const unsigned replicas, quorum;
  std::atomic<unsigned> acks{0}, fails{0}, reported{0};
};

}  // namespace loadlab
