#pragma once
// A backend node as a model: its FIFO queue and the queue's bound, its slots, its cache, the
// service time of each request and its counters. It knows nothing of who drives time: every
// call carries `now`, and a request that starts service asks the driver (ServiceTimers) to
// call finish() when its service time is over; with a queue timeout, the node also asks to be
// woken when the oldest waiting request's time is up. The real-thread engine answers with Asio
// timers on the node's own thread (engine/node.h); the virtual-time simulator with events on
// its queue (sim/).
//
// The queue bound (model/queue_policy.h, HAProxy's maxqueue and timeout queue): a request
// that finds `limit` others waiting fails at once (queue_full); one that has waited
// `timeout_ms` for a slot fails at that moment (queue_timeout), counted when the driver's
// wake-up comes, not later when a slot would have been free. Neither is retried on another
// node: shedding is what the bound is for, and sending the excess elsewhere would carry an
// overload from node to node (Envoy does not retry its own overflow answers unless told to).
//
// Threading: a NodeModel is touched by one thread at a time — the node's thread in the real
// engine, the simulator's only thread on the virtual clock. Its counters are atomics so other
// threads can read them (metrics/node_counters.h).
#include <cstdint>
#include <deque>
#include <functional>
#include <limits>
#include <memory>
#include <vector>

#include "base/random.h"
#include "caches/cache.h"
#include "metrics/node_counters.h"
#include "model/circuit_breakers.h"
#include "model/flow_tap.h"
#include "model/gradient_controller.h"
#include "model/queue_discipline.h"
#include "model/queue_policy.h"
#include "model/request.h"
#include "scenario/scenario.h"
#include "workload/service_time.h"

namespace loadlab {

// What the driver does for a node's slots: call finish(slot, generation, due_ns) at `due_ns`,
// the moment the slot's service ends. The generation tells a completion that was already on
// its way when the slot was emptied (kill, cancel) from the slot's next request. And for the
// queue timeout: call wake(due_ns) at `due_ns` (the node asks for one wake-up at a time).
class ServiceTimers {
 public:
  virtual ~ServiceTimers() = default;
  virtual void start(std::size_t slot, std::uint64_t generation, std::int64_t due_ns) = 0;
  virtual void cancel(std::size_t slot) = 0;
  virtual void wake(std::int64_t due_ns) = 0;
};

class NodeModel {
 public:
  static constexpr std::int64_t kNoWake = std::numeric_limits<std::int64_t>::max();
  // A closed-loop client's request is done (completed or failed for good).
  using ClientDone = std::function<void(std::uint32_t client)>;
  // A request failed because the node is down: retried when it was handed to another node
  // (and counted in there); overflow when the circuit breakers' max_retries refused the retry.
  enum class RetryOutcome { retried, not_retried, overflow };
  using Retry = std::function<RetryOutcome(const Request& request)>;

  // `deadline_ms`: what counts as goodput (Scenario::deadline_ms; infinite: none).
  NodeModel(const NodeSpec& spec, const QueuePolicy& queue, double deadline_ms, std::unique_ptr<Cache> cache,
            const ServiceModel& service, std::uint64_t seed, ServiceTimers& timers, ClientDone client_done,
            Retry retry = {});

  // A request reaches the node: it starts service in a free slot, waits in the queue, or fails
  // at once if the node is down (or the run is ending) or its queue is full. Call pump() after
  // a batch of arrivals (it also publishes the queue and slot gauges).
  void arrive(const Request& request, std::int64_t now_ns);
  // Moves queued requests into free slots and starts their service.
  void pump(std::int64_t now_ns);
  // The slot's service time is over (ignored when the generation is stale). `due_ns` is the
  // time it was due, not when a late timer got round to it: the next request's service starts
  // from there, so a driver's timer lag never adds up from one request to the next.
  void finish(std::size_t slot, std::uint64_t generation, std::int64_t due_ns);
  // The wake-up asked for with ServiceTimers::wake(due_ns): requests that have waited their
  // queue timeout fail now. A wake-up the node no longer waits for is ignored.
  void wake(std::int64_t due_ns);

  // Kill: what is queued or in service fails with reason node_down, and so does everything
  // that arrives until revive(); the cache is lost (a restarted process is cold).
  void kill(std::int64_t now_ns);
  void revive();
  // The run is ending: fail everything queued or in service, and what still arrives, with
  // reason `cancelled`.
  void cancel_all(std::int64_t now_ns);
  void set_speed(double speed) { speed_ = speed; }
  void set_cache_capacity(std::size_t objects) { cache_->set_capacity(objects); }
  // The cluster's circuit breakers (model/circuit_breakers.h), shared by every node; null
  // (the default): none. Set before the first request.
  void set_circuit_breakers(CircuitBreakers* breakers) { breakers_ = breakers; }
  // The adaptive concurrency limiter in front of the cluster (model/gradient_controller.h):
  // told when a request it let through ends here, with its latency when it was answered.
  void set_concurrency_limiter(GradientController* limiter) { limiter_ = limiter; }
  // A sick node: each request, with this probability, takes `extra_us` longer.
  void set_spikes(double probability, double extra_us) { spike_probability_ = probability, spike_us_ = extra_us; }

  // Whether a completion for this slot and generation would still finish a request.
  bool serving(std::size_t slot, std::uint64_t generation) const {
    return slots_[slot].busy && slots_[slot].generation == generation;
  }
  // The flow view's sample of requests (model/flow_tap.h); set before the run starts. This
  // node writes its events as node `index`. Null: nothing is recorded.
  void set_flow_tap(FlowTap* tap, std::uint32_t index) { flow_tap_ = tap, flow_index_ = index; }
  bool down() const { return down_; }
  std::size_t queue_length() const { return queue_.size(); }
  std::size_t slot_count() const { return slots_.size(); }
  NodeCounters& counters() { return counters_; }
  const NodeCounters& counters() const { return counters_; }

 private:
  struct Slot {
    Request request;
    std::uint64_t generation = 0;
    bool busy = false;
  };
  // How a replica's copy of a write ended.
  enum class CopyOutcome { acknowledged, down, shed, cancelled };
  enum class Shed { queue_full, queue_timeout, codel_drop, overflow };
  void serve(const Request& request, std::int64_t start_ns);
  void complete(const Request& request, std::int64_t now_ns);
  void fail(const Request& request);
  void cancel(const Request& request);
  void shed(const Request& request, Shed why);
  void expire(std::int64_t now_ns);  // fails the requests whose queue timeout is up
  void ask_for_wake();               // for the oldest waiting request's timeout, unless already asked
  template <class Drop>
  void drop_everything(Drop drop);
  void write_reported(const Request& request, CopyOutcome outcome, std::int64_t now_ns);
  void record_latency(std::int64_t intended_ns, std::int64_t now_ns);
  void publish_gauges();
  // Circuit breakers: admits a request into the node (max_requests), and into its queue
  // (max_pending); sync gives back what the node no longer holds; a retried request that
  // leaves gives back its retry.
  bool admit(const Request& request);
  bool admit_to_queue();
  void sync_breakers();
  void release_retry(const Request& request);
  // A read ended for good here (not handed to a retry); answered_ns < 0: without an answer.
  void ended(const Request& request, std::int64_t answered_ns);
  void flow(const Request& r, FlowEvent::Kind kind, std::int64_t t_ns) {
    if (!flow_tap_ || r.write) return;
    if (const std::uint64_t id = flow_tap_->sampled(r)) flow_tap_->record(flow_index_, id, kind, t_ns);
  }

  FlowTap* flow_tap_ = nullptr;  // the flow view's sample; null: none
  std::uint32_t flow_index_ = 0;
  std::deque<WaitingRequest> queue_;  // oldest first
  std::uint64_t queue_limit_;
  std::int64_t queue_timeout_ns_;  // kNoWake: none
  std::int64_t wake_due_ns_;       // the wake-up asked for; kNoWake: none
  std::int64_t deadline_ns_;       // kNoWake: no deadline
  std::unique_ptr<QueueDiscipline> discipline_;
  QueueDiscipline::Drop drop_;  // what the discipline sheds: counted as codel_drop
  std::vector<Slot> slots_;
  std::vector<std::size_t> free_slots_;
  std::uint64_t busy_slots_ = 0;
  std::unique_ptr<Cache> cache_;
  ServiceTime service_;
  double speed_;
  Rng rng_;
  ServiceTimers& timers_;
  ClientDone client_done_;
  Retry retry_;
  bool down_ = false;
  bool cancelled_ = false;
  double spike_probability_ = 0, spike_us_ = 0;
  CircuitBreakers* breakers_ = nullptr;
  GradientController* limiter_ = nullptr;
  std::uint64_t held_requests_ = 0, held_pending_ = 0;  // units of the breakers this node holds
  NodeCounters counters_;
};

}  // namespace loadlab
