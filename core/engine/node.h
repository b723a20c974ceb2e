#pragma once
// A backend node: one thread running a Boost.Asio io_context. Requests wait in a FIFO
// queue for one of the node's slots; each slot serves one request for a real elapsed time
// (an asio steady_timer, never a busy wait, so two cores can carry many nodes). Before
// service the node looks the key up in its own cache: a hit costs the hit time, a miss the
// miss time.
#include <utility>  // before any Asio header: Boost 1.74 Asio with g++ 12 in C++20 needs it

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "caches/cache.h"
#include "engine/engine_clock.h"
#include "metrics/node_counters.h"
#include "base/random.h"
#include "model/request.h"
#include "scenario/scenario.h"

namespace loadlab {

class Node {
 public:
  // Called on the node's thread when a closed-loop client's request is done.
  using ClientDone = std::function<void(std::uint32_t client)>;
  // Called on the node's thread for a request that failed because the node is down: returns
  // true when the request was handed to another node to retry (and counted in there).
  using Retry = std::function<bool(const Request& request)>;

  Node(const NodeSpec& spec, std::unique_ptr<Cache> cache, const ServiceModel& service,
       std::uint64_t seed, const EngineClock& clock, ClientDone client_done, Retry retry = {});
  ~Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  void start();
  // Dispatcher thread: hands over a batch. The node is woken at most once per batch.
  void submit(std::span<const Request> batch);
  // Any thread; applied on the node's thread before its next request.
  void set_speed(double speed);
  void set_cache_capacity(std::size_t objects);
  // Any thread: fail everything queued or in service with reason `cancelled`.
  void cancel_all();
  // Any thread. Kill: the node stops serving; what is queued or in service fails with
  // reason node_down, and so does everything sent to it until it is revived. Revive: it
  // serves again, with an empty cache (a restarted process is cold).
  void kill();
  void revive();
  bool up() const { return up_.load(std::memory_order_acquire); }
  // A sick node: each request, with this probability, takes `extra_us` longer.
  void set_spikes(double probability, double extra_us);
  // Stops the thread (after cancel_all, or when idle) and joins it.
  void shutdown();

  NodeCounters& counters() { return counters_; }
  const NodeCounters& counters() const { return counters_; }

 private:
  struct Slot {
    explicit Slot(boost::asio::io_context& io) : timer(io) {}
    boost::asio::steady_timer timer;
    Request request;
    std::uint64_t generation = 0;  // tells a stale timer completion from the current one
    bool busy = false;
  };

  void drain_inbox();
  void pump();
  void serve(const Request& request);
  void finish(std::size_t slot, std::uint64_t generation);
  void complete(const Request& request);
  void publish_gauges();
  void fail(const Request& request);  // node_down, on the node's thread
  void cancel(const Request& request);  // the run is ending
  // Takes every request out of the inbox, the queue and the slots, and hands each to `drop`.
  template <class Drop>
  void drop_everything(Drop drop);
  void write_reported(const Request& request, bool acknowledged, bool cancelled);
  void record_latency(std::int64_t intended_ns);

  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::thread thread_;

  std::mutex inbox_mutex_;
  std::vector<Request> inbox_;
  bool drain_posted_ = false;

  // Everything below is touched only by the node's thread.
  std::vector<Request> batch_;
  std::deque<Request> queue_;
  std::vector<std::unique_ptr<Slot>> slots_;
  std::vector<std::size_t> free_slots_;
  std::uint64_t busy_slots_ = 0;
  std::unique_ptr<Cache> cache_;
  ServiceModel service_;
  double speed_;
  Rng rng_;
  const EngineClock& clock_;
  ClientDone client_done_;
  Retry retry_;
  bool down_ = false;
  bool cancelled_ = false;  // the run is ending: whatever still arrives is cancelled  // node thread's copy of !up_
  double spike_probability_ = 0, spike_us_ = 0;
  std::atomic<bool> up_{true};
  NodeCounters counters_;
};

}  // namespace loadlab
