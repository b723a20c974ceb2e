#pragma once
// The virtual-time driver: runs a scenario's model — the same dispatcher, balancers, caches,
// node queues and slots, health checks, retries, faults and counters as the real-thread
// engine — as a discrete-event simulation. Time is an integer count of virtual nanoseconds
// that jumps from one event to the next (arrivals, service completions, faults, health passes,
// metric ticks); nothing sleeps and nothing is measured on the machine's clock, so the same
// scenario and seed give the same snapshots, report and CSV files on any machine, under any
// load, at any pace.
//
// The model runs on one thread of the simulator's own. By default it runs as fast as it can;
// set_pace(f) plays virtual time at f × real time (1, 10, 100: for the window), which changes
// when results appear, never what they are — except where a live control lands, which takes
// effect at the virtual time the simulation has reached.
#include <memory>

#include "run/run.h"

namespace loadlab {

class Simulator final : public Run {
 public:
  // Validates the scenario (throws ScenarioError) and builds the model; starts nothing.
  explicit Simulator(Scenario scenario);
  ~Simulator() override;
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  // Virtual seconds per real second; 0 (the default): as fast as possible. Any thread.
  void set_pace(double factor);
  double pace() const;
  // Runs the whole scenario on the calling thread, as fast as possible, and returns the report
  // (instead of start() + wait()). Subscribers are called on this thread.
  RunReport run_to_end();
  // Virtual nanoseconds simulated so far, and events processed (for throughput figures).
  std::int64_t now_ns() const;
  std::uint64_t events() const;

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
  struct Model;
  std::unique_ptr<Model> model_;
};

}  // namespace loadlab
