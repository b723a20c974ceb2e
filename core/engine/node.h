#pragma once
// A backend node on real threads: one thread running a Boost.Asio io_context around the
// node's model (model/node_model.h). The dispatcher hands over batches through a locked
// inbox; each slot's service time is a real steady_timer (never a busy wait, so two cores
// can carry many nodes). Everything the model does happens on the node's own thread.
//
// Timers are set for the absolute time a service is due, and a completion counts at that
// time: a timer the OS fires late (wake-up latency, a busy core) delays the wall clock, but
// it does not make the backend slower than modelled, nor does the lag add up over a busy
// period. What the real clock still adds is the dispatch path: a request reaches its node
// when a real thread hands it over.
#include <utility>  // before any Asio header: Boost 1.74 Asio with g++ 12 in C++20 needs it

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <thread>
#include <vector>

#include "engine/engine_clock.h"
#include "model/node_model.h"

namespace loadlab {

class Node final : private ServiceTimers {
 public:
  Node(const NodeSpec& spec, const QueuePolicy& queue, double deadline_ms, std::unique_ptr<Cache> cache,
       const ServiceModel& service, std::uint64_t seed, const EngineClock& clock, NodeModel::ClientDone client_done,
       NodeModel::Retry retry = {});
  ~Node() override;
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  void start();
  // Dispatcher thread: hands over a batch. The node is woken at most once per batch.
  void submit(std::span<const Request> batch);
  // Any thread; applied on the node's thread before its next request.
  void set_speed(double speed);
  void set_cache_capacity(std::size_t objects);
  void cancel_all();
  void kill();
  void revive();
  bool up() const { return up_.load(std::memory_order_acquire); }
  void set_spikes(double probability, double extra_us);
  // Before start(): the cluster's circuit breakers, shared with the other nodes' threads.
  void set_circuit_breakers(CircuitBreakers* breakers) { model_.set_circuit_breakers(breakers); }
  void set_concurrency_limiter(GradientController* limiter) { model_.set_concurrency_limiter(limiter); }
  // Stops the thread (after cancel_all, or when idle) and joins it.
  void shutdown();

  // Before the node's thread starts (model/flow_tap.h).
  void set_flow_tap(FlowTap* tap, std::uint32_t index) { model_.set_flow_tap(tap, index); }
  NodeCounters& counters() { return model_.counters(); }
  const NodeCounters& counters() const { return model_.counters(); }

 private:
  void start(std::size_t slot, std::uint64_t generation, std::int64_t due_ns) override;
  void cancel(std::size_t slot) override;
  void wake(std::int64_t due_ns) override;
  void drain_inbox();
  void take_inbox();  // moves what waits in the inbox into the model

  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::thread thread_;
  std::vector<std::unique_ptr<boost::asio::steady_timer>> timers_;  // one per slot
  boost::asio::steady_timer queue_timer_;                           // the queue timeout's wake-up

  std::mutex inbox_mutex_;
  std::vector<Request> inbox_;
  bool drain_posted_ = false;
  std::vector<Request> batch_;  // node thread

  const EngineClock& clock_;
  std::atomic<bool> up_{true};
  NodeModel model_;  // last: it holds a reference to this object as its ServiceTimers
};

}  // namespace loadlab
