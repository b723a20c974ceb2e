#pragma once
// A run of a scenario, whichever clock drives it: the real-thread engine (engine/engine.h) or
// the virtual-time simulator (sim/simulator.h). The CLI and the window hold a Run and never
// need to know which one it is; make_run() picks by the scenario's clock.
//
// Subscribers receive a Snapshot every interval of the run's own clock, on the run's own
// thread; nothing ever waits for a subscriber except that thread. Live control may be called
// from any thread and takes effect at the run's current time.
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "metrics/histogram.h"
#include "metrics/run_report.h"
#include "metrics/snapshot.h"
#include "model/flow_tap.h"
#include "scenario/scenario.h"

namespace loadlab {

class Run {
 public:
  using Subscriber = std::function<void(const Snapshot&)>;
  virtual ~Run() = default;

  // Subscribers are called in order; add them before start().
  virtual void subscribe(Subscriber subscriber) = 0;
  // The flow view's sample of requests (model/flow_tap.h), one ring per node; before start().
  // Throws std::logic_error after start, std::invalid_argument for a tap of another size.
  virtual void attach_flow_tap(std::shared_ptr<FlowTap> tap) = 0;
  virtual void start() = 0;
  // Stops issuing, fails what is queued or in service with reason `cancelled`, and ends the
  // run with a final snapshot. Safe from any thread, any number of times.
  virtual void request_stop() = 0;
  virtual bool wait_for(std::chrono::milliseconds timeout) = 0;  // true once the run is over
  virtual void wait() = 0;
  virtual bool finished() const = 0;
  virtual RunReport report() const = 0;      // complete once finished()
  virtual RunReport report_now() const = 0;  // the figures so far

  virtual const Scenario& scenario() const = 0;
  std::vector<std::string> node_names() const;

  // Live control. Throws std::invalid_argument (naming the value) for a node index out of
  // range or a value that validate() would reject.
  virtual void set_weight(std::size_t node, double weight);
  virtual void set_weights(const std::vector<double>& weights) = 0;
  virtual std::vector<double> weights() const = 0;
  virtual std::vector<double> expected_shares_now() const = 0;  // theory, under the current weights
  virtual void set_speed(std::size_t node, double speed) = 0;
  virtual void set_cache_capacity(std::size_t node, std::size_t objects) = 0;
  virtual void set_rate(double requests_per_second) = 0;
  // Closed loop: each client's pause between an answer and its next request, from the next
  // answer on (slow motion stretches it with everything else).
  virtual void set_think_time(double milliseconds) = 0;
  // Faults. A killed node fails what it holds and what it is sent with reason node_down until
  // revived; the balancer keeps picking it until health checking notices. Revived nodes start
  // with an empty cache.
  virtual void kill(std::size_t node) = 0;
  virtual void revive(std::size_t node) = 0;
  virtual void set_spikes(std::size_t node, double probability, double extra_us) = 0;
  virtual bool node_up(std::size_t node) const = 0;
  virtual bool node_available(std::size_t node) const = 0;  // what health checking believes
  // The latency of every request the node completed since the run started (the warm-up
  // included), read without stopping the run: the distribution behind the percentiles.
  virtual Histogram node_latency_histogram(std::size_t node) const = 0;
  // Pause stops issuing (the queues still drain on the real clock; the virtual clock stops);
  // resume continues the arrival schedule shifted by the pause.
  virtual void pause() = 0;
  virtual void resume() = 0;
  virtual bool paused() const = 0;
};

// The checks every driver applies to live control, so both give the same errors.
void check_node_index(std::size_t node, std::size_t nodes);
void check_weights(const std::vector<double>& weights, const Scenario& scenario);
void check_speed(double speed);
void check_cache_capacity(std::size_t objects);
void check_rate(double rate);
void check_think_time(double milliseconds);
void check_spikes(double probability, double extra_us);

}  // namespace loadlab
