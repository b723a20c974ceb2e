#pragma once
// The engine: runs a scenario on real threads.
//
//   dispatcher thread ──batches──▶ node threads (Asio) ──counters──▶ collector thread ──▶ subscribers
//
// The dispatcher generates arrivals at their intended times, draws keys, asks the balancer
// (only ever from this thread) and hands requests to nodes in batches. Nodes serve them on
// timers. The collector reads the nodes' lock-free counters every interval and publishes a
// Snapshot; nothing ever waits for a subscriber except the collector itself.
//
// Live control (weights, speeds, cache capacity, rate) may be called from any thread. Weight
// and rate changes are picked up by the dispatcher before its next pick; node changes are
// posted to the node's thread.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "balancers/balancer.h"
#include "engine/engine_clock.h"
#include "metrics/histogram.h"
#include "engine/node.h"
#include "model/placement.h"
#include "metrics/run_report.h"
#include "scenario/scenario.h"
#include "metrics/snapshot.h"

namespace loadlab {

class Engine {
 public:
  using Subscriber = std::function<void(const Snapshot&)>;

  // Validates the scenario (throws ScenarioError) and builds the nodes; starts nothing.
  explicit Engine(Scenario scenario);
  ~Engine();  // stops the run if it is still going
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Subscribers are called on the collector thread, in order; add them before start().
  void subscribe(Subscriber subscriber);
  void start();
  // Stops issuing, fails what is queued or in service with reason `cancelled`, and ends the
  // run with a final snapshot. Safe from any thread, any number of times.
  void request_stop();
  bool wait_for(std::chrono::milliseconds timeout);  // true once the run is over
  void wait();
  bool finished() const;
  RunReport report() const;  // complete once finished()

  const Scenario& scenario() const { return scenario_; }
  std::vector<std::string> node_names() const;

  // Live control. Throws std::invalid_argument (naming the value) for a node index out of
  // range or a value that validate() would reject.
  void set_weight(std::size_t node, double weight);
  void set_weights(const std::vector<double>& weights);
  std::vector<double> weights() const;
  // What theory expects each node's share to be under the current weights.
  std::vector<double> expected_shares_now() const;
  void set_speed(std::size_t node, double speed);
  void set_cache_capacity(std::size_t node, std::size_t objects);
  void set_rate(double requests_per_second);

  // Pause stops issuing; requests already sent are still served (the queues drain) and
  // snapshots keep coming. Resume continues the arrival schedule shifted by the pause, so
  // no burst of "late" arrivals follows and latency is still measured from intended times.
  // Faults, from any thread. A killed node fails what it holds and what it is sent with
  // reason node_down until revived; the balancer keeps picking it until health checking
  // (scenario.health) notices. Revived nodes start with an empty cache.
  void kill(std::size_t node);
  void revive(std::size_t node);
  void set_spikes(std::size_t node, double probability, double extra_us);
  bool node_up(std::size_t node) const;
  bool node_available(std::size_t node) const;  // what health checking believes

  void pause();
  void resume();
  bool paused() const { return paused_.load(std::memory_order_acquire); }
  // The figures so far, while the run goes on (report() is the final one).
  RunReport report_now() const;

 private:
  class Load;
  void dispatch_loop();
  void collect_loop();
  Snapshot take_snapshot(bool final);
  RunReport build_report(std::int64_t elapsed_ns) const;
  void client_done(std::uint32_t client);
  void wake_dispatcher();
  std::uint64_t total_in_flight() const;
  void check_node(std::size_t node) const;
  std::vector<double> compute_expected(const std::vector<double>& weights);
  double load_per_weight(double requests, double weight) const;
  void apply_due_faults(std::int64_t now_ns);
  bool retry_elsewhere(const Request& failed, std::size_t from);  // on the failing node's thread
  void set_replica_weights(const std::vector<double>& weights);
  std::vector<double> expected_for_availability(const std::vector<double>& weights);

  Scenario scenario_;
  EngineClock clock_;
  std::vector<std::unique_ptr<Node>> nodes_;
  std::unique_ptr<Balancer> balancer_;
  ShareModel share_model_;
  // With partitioning: where keys live, and one balancer per replica set for reads.
  std::optional<Placement> placement_;
  std::vector<std::unique_ptr<Balancer>> set_balancers_;
  std::vector<std::uint64_t> partitions_held_;  // per node, primary or copy
  std::vector<double> key_share_held_;          // popularity of the keys it holds
  // A second instance of a key-affine balancer, for theory: which node owns which key.
  std::unique_ptr<Balancer> theory_balancer_;
  std::mutex theory_mutex_;
  std::vector<Subscriber> subscribers_;
  std::thread dispatcher_;
  std::thread collector_;
  bool started_ = false;

  // Control: written by any thread, read by the dispatcher when the version moves.
  mutable std::mutex control_mutex_;
  std::vector<double> weights_;
  std::vector<double> expected_;  // theory's shares for weights_
  double rate_;
  std::atomic<std::uint64_t> control_version_{0};

  // Waking the dispatcher early: stop, control, closed-loop answers.
  std::mutex wake_mutex_;
  std::condition_variable wake_cv_;
  bool wake_ = false;
  std::vector<std::uint32_t> done_clients_;

  std::atomic<bool> stop_{false};
  std::atomic<bool> paused_{false};
  std::atomic<bool> dispatch_done_{false};
  std::atomic<std::uint64_t> issued_{0};          // dispatcher's own count of issued requests
  std::atomic<std::uint64_t> failed_no_node_{0};
  std::atomic<std::uint64_t> peak_in_flight_{0};  // written by the dispatcher
  std::atomic<std::uint64_t> writes_issued_{0};   // dispatcher: writes (each sent to R replicas)
  std::atomic<std::uint64_t> retries_{0};         // node threads: requests retried on another node
  std::atomic<std::uint64_t> retries_denied_{0};  // node threads: retries the budget refused

  std::unique_ptr<std::atomic<bool>[]> available_;    // health checking's view; written by the dispatcher
  std::unique_ptr<std::atomic<bool>[]> in_rotation_;  // effective weight > 0; written by the dispatcher
  std::vector<FaultEvent> faults_;                   // by time; applied by the collector
  std::size_t next_fault_ = 0;

  // Collector state.
  std::vector<double> masked_weights_, masked_expected_;
  std::vector<Histogram> previous_, current_;
  Histogram interval_, merged_;
  std::vector<NodeSample> previous_samples_;
  std::int64_t previous_ns_ = 0;

  mutable std::mutex finish_mutex_;
  std::condition_variable finish_cv_;
  bool finished_ = false;
  RunReport report_;
};

}  // namespace loadlab
