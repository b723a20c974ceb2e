#pragma once
// A sample of the run's own requests as they move, for the window's flow view: which node
// each sampled request was sent to, when it started service (a cache hit or a miss), and how
// it ended. The nodes write what happens to a sampled request as it happens (one ring per
// node, written by the one thread that runs that node, read by the window at its tick), so
// the view draws the engine's real events, not an animation of its own.
//
// Sampling: a request is sampled when a hash of its identity (intended send time and key,
// which a retry keeps) falls on one in `every`; `every` is set live (the window keeps the
// dots on screen to a few hundred whatever the rate), 0 samples nothing. A full ring drops
// the newest events and counts them, so a stalled window never slows a node down.
#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "model/request.h"

namespace loadlab {

struct FlowEvent {
  enum class Kind : std::uint8_t { arrived, started_hit, started_miss, completed, failed };
  std::uint64_t id = 0;   // the sampled request's identity: equal on every event of it
  std::int64_t t_ns = 0;  // the run's clock; 0 where the node does not know the time (a kill)
  std::uint32_t node = 0;
  Kind kind = Kind::arrived;
};

class FlowTap {
 public:
  static constexpr std::size_t kRingSize = 4096;  // per node; a power of two

  explicit FlowTap(std::size_t nodes);

  // Any thread, live. 0: nothing is sampled.
  void set_every(std::uint64_t every) { every_.store(every, std::memory_order_relaxed); }
  std::uint64_t every() const { return every_.load(std::memory_order_relaxed); }

  // The node's thread: the identity of `r` if it is sampled, else 0.
  std::uint64_t sampled(const Request& r) const;
  // The node's thread: records an event of a sampled request (id from sampled()).
  void record(std::uint32_t node, std::uint64_t id, FlowEvent::Kind kind, std::int64_t t_ns);

  // The reader (one thread): every event recorded since the last call, node by node, each
  // node's in the order they happened.
  std::vector<FlowEvent> take();
  std::uint64_t dropped() const { return dropped_.load(std::memory_order_relaxed); }
  std::size_t nodes() const { return rings_.size(); }

 private:
  struct alignas(64) Ring {
    std::array<FlowEvent, kRingSize> events;
    std::atomic<std::uint64_t> head{0};  // written by the node
    std::atomic<std::uint64_t> tail{0};  // written by the reader
  };
  std::vector<std::unique_ptr<Ring>> rings_;
  std::atomic<std::uint64_t> every_{0};
  std::atomic<std::uint64_t> dropped_{0};
};

}  // namespace loadlab
