#pragma once
// The real-thread driver: runs a scenario's model on real threads and real time.
//
//   dispatcher thread ──batches──▶ node threads (Asio) ──counters──▶ collector thread ──▶ subscribers
//
// The dispatcher thread generates arrivals at their intended times and hands each to the
// model's Dispatcher (key, placement, balancer), which sends it to a node's batch; batches go
// to the node threads, which serve them on timers (engine/node.h around model/node_model.h).
// The collector reads the nodes' lock-free counters every interval (metrics/counters_reader.h),
// applies scheduled faults, and publishes a Snapshot.
//
// Live control (weights, speeds, cache capacity, rate) may be called from any thread. Weight
// and rate changes are picked up by the dispatcher before its next pick; node changes are
// posted to the node's thread.
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "run/run.h"

namespace loadlab {

class Engine final : public Run {
 public:
  // Validates the scenario (throws ScenarioError) and builds the nodes; starts nothing.
  explicit Engine(Scenario scenario);
  ~Engine() override;  // stops the run if it is still going
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  void subscribe(Subscriber subscriber) override;
  void attach_flow_tap(std::shared_ptr<FlowTap> tap) override;
  void start() override;
  void request_stop() override;
  bool wait_for(std::chrono::milliseconds timeout) override;
  void wait() override;
  bool finished() const override;
  RunReport report() const override;
  RunReport report_now() const override;
  const Scenario& scenario() const override;

  void set_weights(const std::vector<double>& weights) override;
  std::vector<double> weights() const override;
  std::vector<double> expected_shares_now() const override;
  void set_speed(std::size_t node, double speed) override;
  void set_cache_capacity(std::size_t node, std::size_t objects) override;
  void set_rate(double requests_per_second) override;
  void set_think_time(double milliseconds) override;
  void kill(std::size_t node) override;
  void revive(std::size_t node) override;
  void set_spikes(std::size_t node, double probability, double extra_us) override;
  bool node_up(std::size_t node) const override;
  bool node_available(std::size_t node) const override;
  Histogram node_latency_histogram(std::size_t node) const override;
  void pause() override;
  void resume() override;
  bool paused() const override;

 private:
  struct State;  // the model's pieces and everything the threads share
  std::unique_ptr<State> state_;
};

}  // namespace loadlab
