#include "sim/simulator.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <limits>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

#include "caches/cache_registry.h"
#include "metrics/counters_reader.h"
#include "model/dispatcher.h"
#include "model/fault_schedule.h"
#include "model/health_monitor.h"
#include "model/node_model.h"
#include "model/random_streams.h"
#include "model/retry_router.h"
#include "run/live_settings.h"
#include "run/run_outcome.h"
#include "run/run_readout.h"
#include "sim/event_queue.h"
#include "theory/share_prediction.h"

namespace loadlab {
namespace {

constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kFailedClientBackoffNs = 1'000'000;  // as the real engine
// Health checking looks at the counters this often (the real engine looks before every
// dispatch batch, about as often at the rates a class uses).
constexpr std::int64_t kHealthPassNs = 1'000'000;
// With a pace, the simulation runs ahead of the wall clock by at most this much before it
// waits, so a paced run does not wake for every event.
constexpr auto kPaceSlack = std::chrono::milliseconds(2);
// Events handled between two looks at the live controls when the run is not paced.
constexpr int kBatch = 256;

using WallClock = std::chrono::steady_clock;

}  // namespace

struct Simulator::Model final : NodeControl, Dispatcher::Sink {
  // A node on the virtual clock: its service timers are completion events.
  struct SimNode final : ServiceTimers {
    SimNode(Model& m, std::uint32_t i, std::unique_ptr<Cache> cache)
        : model(m),
          index(i),
          node(
              m.scenario.nodes[i], m.scenario.queue_of(i), m.scenario.deadline_ms, std::move(cache), m.scenario.service,
              derive_seed(m.scenario.seed, node_stream + i), *this,
              [&m](std::uint32_t client) { m.client_done(client); },
              [&m, i](const Request& r) { return m.retry_elsewhere(r, i); }) {}
    void start(std::size_t slot, std::uint64_t generation, std::int64_t due_ns) override {
      model.schedule({due_ns, 0, SimEvent::Kind::completion, index, static_cast<std::uint32_t>(slot), generation});
      ++model.pending_completions;
    }
    // The completion event stays in the queue and arrives stale (ignored); it no longer counts.
    void cancel(std::size_t) override { --model.pending_completions; }
    // No count: a request waits in a queue only while slots are busy, so the run is not over
    // while a wake-up matters, and one left behind at the end is never handled.
    void wake(std::int64_t due_ns) override { model.schedule({due_ns, 0, SimEvent::Kind::queue_wake, index, 0, 0}); }
    Model& model;
    std::uint32_t index;
    std::atomic<bool> up{true};
    NodeModel node;
  };

  explicit Model(Scenario s);

  void schedule(SimEvent e) { queue.push(e); }
  // NodeControl, at the current virtual time.
  void kill(std::size_t i) override {
    if (nodes[i]->up.exchange(false)) ++down_count;
    nodes[i]->node.kill(now);
    dispatcher->load_changed(i);
  }
  void revive(std::size_t i) override {
    if (!nodes[i]->up.exchange(true)) --down_count;
    nodes[i]->node.revive();
  }
  void set_speed(std::size_t i, double speed) override { nodes[i]->node.set_speed(speed); }
  void set_spikes(std::size_t i, double p, double us) override { nodes[i]->node.set_spikes(p, us); }
  // Dispatcher::Sink: the request reaches its node now.
  void send(std::size_t i, const Request& r) override {
    NodeModel& n = nodes[i]->node;
    bump(r.write ? n.counters().write_attempts : n.counters().issued, 1, std::memory_order_release);
    n.arrive(r, now);
    n.pump(now);
  }

  NodeModel::RetryOutcome retry_elsewhere(const Request& failed, std::size_t from);
  void client_done(std::uint32_t client);
  void issue(std::int64_t intended_ns, std::uint32_t client);
  double next_arrival_ns();
  void schedule_arrival(double at_ns);
  void begin();
  void handle(const SimEvent& e);
  void health_pass();
  void wake_health();  // something happened that health checking must look at
  void apply_commands();
  void run();  // the loop, on whichever thread runs the model
  void finish_run();
  bool over() const { return dispatch_done && pending_completions == 0; }
  std::vector<NodeState> node_states(const std::vector<double>& shares) const;
  ClusterCounts cluster_counts() const;
  Snapshot take_snapshot(bool final);
  RunReport build(std::int64_t elapsed_ns) const;
  std::vector<double> shares_now() const { return live->shares(); }
  std::vector<double> weights_now() const { return live->weights(); }
  // Live control from any thread: queued for the model's thread while it runs, done at once
  // otherwise.
  template <class F>
  void control(F f);

  Scenario scenario;
  std::vector<std::unique_ptr<SimNode>> nodes;
  std::shared_ptr<FlowTap> flow_tap;  // kept alive while the nodes write to it
  std::vector<const NodeCounters*> counters;
  std::unique_ptr<Dispatcher> dispatcher;
  std::unique_ptr<HealthMonitor> health;
  std::unique_ptr<RetryRouter> retry;
  std::unique_ptr<CircuitBreakers> breakers;  // null when the scenario sets none
  std::unique_ptr<SharePrediction> prediction;
  FaultSchedule faults;
  SnapshotBuilder snapshots;
  std::optional<CountersBaseline> baseline;  // the counters at the end of the warm-up
  ReportContext report_context;
  std::vector<Run::Subscriber> subscribers;

  // The simulation (model thread only).
  EventQueue queue;
  std::int64_t now = 0;
  std::atomic<std::int64_t> published_now{0};
  std::atomic<std::uint64_t> events{0};
  std::uint64_t handled = 0;
  std::uint64_t pending_completions = 0;  // service in progress: nothing is in flight when 0
  std::size_t down_count = 0;
  bool health_active = false;  // a node is down or unavailable, or something changed lately
  bool health_scheduled = false;
  Rng arrival_rng;
  std::optional<ArrivalProcess> arrivals;  // open loop
  double current_rate = 0;
  double think_ms = 0;            // closed loop; live control may change it
  double pending_arrival_ns = 0;  // the next arrival's intended time
  double last_issued_ns = 0;
  std::uint64_t limit = 0;
  std::int64_t end_ns = kNever;
  bool dispatch_done = false;
  bool drain_armed = false;  // the end of the drain is scheduled (or there is none)
  std::uint64_t peak = 0;
  std::int64_t interval_ns = 0;

  // Control.
  std::unique_ptr<LiveSettings> live;
  mutable std::mutex control_mutex;  // the command queue, and the sleeps of a paced run
  std::vector<std::function<void()>> commands;
  std::atomic<bool> has_commands{false};
  std::atomic<double> pace{0};
  std::condition_variable wake_cv;  // with control_mutex: commands, stop, pause, pace

  std::atomic<bool> stop{false}, paused{false}, running{false};
  bool started = false;
  std::thread thread;

  RunOutcome outcome;
};

Simulator::Model::Model(Scenario s)
    : scenario(std::move(s)),
      faults(scenario.faults),
      snapshots(scenario.nodes.size(), scenario.deadline_ms),
      arrival_rng(derive_seed(scenario.seed, arrivals_stream)) {
  scenario.clock = Scenario::Clock::virtual_time;  // whatever the file said, this run is virtual
  validate(scenario);
  const std::size_t n = scenario.nodes.size();
  std::vector<double> weights;
  for (const NodeSpec& spec : scenario.nodes) weights.push_back(spec.weight);
  for (std::size_t i = 0; i < n; ++i) {
    nodes.push_back(std::make_unique<SimNode>(
        *this, static_cast<std::uint32_t>(i),
        caches().make(scenario.cache_policy, CacheOptions{scenario.cache_capacity_of(i), scenario.cache_params})));
    counters.push_back(&nodes.back()->node.counters());
  }
  // Every change of a node's counters happens on this thread and is reported to the
  // dispatcher (completions, kills, cancels, retries): least-connections picks in O(log n).
  dispatcher = std::make_unique<Dispatcher>(scenario, counters, *this, /*reports_load_changes=*/true);
  health = std::make_unique<HealthMonitor>(scenario.health, weights);
  retry = std::make_unique<RetryRouter>(scenario, dispatcher->placement(), counters);
  if (scenario.circuit_breakers.any()) {
    breakers = std::make_unique<CircuitBreakers>(scenario.circuit_breakers);
    for (auto& node : nodes) node->node.set_circuit_breakers(breakers.get());
    retry->set_circuit_breakers(breakers.get());
  }
  for (auto& node : nodes) node->node.set_concurrency_limiter(dispatcher->limiter());
  prediction = std::make_unique<SharePrediction>(scenario, dispatcher->placement());
  live = std::make_unique<LiveSettings>(LiveSettings::Values{
      weights, prediction->shares(weights),
      scenario.workload.mode == Workload::Mode::open ? scenario.workload.rate : 0.0, scenario.workload.think_ms});

  report_context = report_context_for(scenario, *dispatcher, *prediction);
}

template <class F>
void Simulator::Model::control(F f) {
  std::unique_lock lock(control_mutex);
  if (running.load(std::memory_order_acquire)) {
    commands.emplace_back(std::move(f));
    has_commands.store(true, std::memory_order_release);
    lock.unlock();
    wake_cv.notify_all();
  } else if (!outcome.finished()) {
    lock.unlock();
    f();
  }
}

void Simulator::Model::apply_commands() {
  std::vector<std::function<void()>> todo;
  {
    std::lock_guard lock(control_mutex);
    todo.swap(commands);
    has_commands.store(false, std::memory_order_release);
  }
  for (auto& f : todo) f();
}

NodeModel::RetryOutcome Simulator::Model::retry_elsewhere(const Request& failed, std::size_t from) {
  const std::size_t target = retry->choose(failed, from, dispatcher->issued(), now);
  if (target == RetryRouter::kOverflow) return NodeModel::RetryOutcome::overflow;
  if (target == kNoNode) return NodeModel::RetryOutcome::not_retried;
  const Request again = RetryRouter::retried(failed, from);
  NodeModel& n = nodes[target]->node;
  n.counters().retried_in.fetch_add(1, std::memory_order_release);
  n.arrive(again, now);
  n.pump(now);
  dispatcher->load_changed(target);
  dispatcher->load_changed(from);  // its retried_out moves as this returns, before any pick
  return NodeModel::RetryOutcome::retried;
}

void Simulator::Model::client_done(std::uint32_t client) {
  if (dispatch_done) return;
  const Workload& w = scenario.workload;
  const auto think = w.mode == Workload::Mode::closed ? static_cast<std::int64_t>(think_ms * 1e6) : 0;
  schedule({now + think, 0, SimEvent::Kind::client_ready, client, 0, 0});
}

double Simulator::Model::next_arrival_ns() { return arrivals->next_ns(last_issued_ns, arrival_rng); }

void Simulator::Model::schedule_arrival(double at_ns) {
  // Intended times are kept as doubles, as the real engine keeps them, and truncated the same way.
  pending_arrival_ns = at_ns;
  queue.set_next_arrival({static_cast<std::int64_t>(at_ns), 0, SimEvent::Kind::arrival, 0, 0, 0});
}

void Simulator::Model::issue(std::int64_t intended_ns, std::uint32_t client) {
  // Every counter change is reported to the dispatcher, which keeps the total in flight in
  // O(1): the balancer (bounded load reads it) and the peak see it exact at any scale.
  dispatcher->set_total_in_flight(dispatcher->tracked_outstanding());
  const bool sent = dispatcher->issue(intended_ns, client, now);
  if (!sent && client != kNoClient) {
    const auto think = static_cast<std::int64_t>(think_ms * 1e6);
    schedule({now + std::max(think, kFailedClientBackoffNs), 0, SimEvent::Kind::client_ready, client, 0, 0});
  }
  peak = std::max(peak, dispatcher->total_in_flight());  // what was out, plus what was just sent
  if (dispatcher->issued() >= limit) dispatch_done = true;
}

void Simulator::Model::begin() {
  const Workload& w = scenario.workload;
  limit = w.requests == 0 ? std::numeric_limits<std::uint64_t>::max() : w.requests;
  end_ns = w.duration_s > 0 ? static_cast<std::int64_t>(w.duration_s * 1e9) : kNever;
  interval_ns = std::max<std::int64_t>(1, static_cast<std::int64_t>(scenario.interval_ms * 1e6));
  current_rate = live->rate();
  think_ms = live->get().think_ms;
  if (w.mode == Workload::Mode::open) {
    arrivals.emplace(make_arrival_process(w));
    if (current_rate != w.rate) arrivals->set_rate(current_rate, 0);
    schedule_arrival(0);
  } else {
    // Closed loop: the clients; max: a window of requests kept outstanding, one "client" per
    // place in it, each sending again the moment its request is done.
    const std::uint32_t clients = w.mode == Workload::Mode::closed ? w.clients : w.window;
    for (std::uint32_t c = 0; c < clients; ++c) schedule({0, 0, SimEvent::Kind::client_ready, c, 0, 0});
  }
  // Metric ticks only make snapshots: with no one to read them (a benchmark, a sweep point),
  // they are not scheduled at all.
  if (!subscribers.empty()) schedule({interval_ns, 0, SimEvent::Kind::tick, 0, 0, 0});
  if (faults.next_ns() != kNever) schedule({faults.next_ns(), 0, SimEvent::Kind::fault, 0, 0, 0});
  schedule({0, 0, SimEvent::Kind::health, 0, 0, 0});
  health_scheduled = true;
  if (scenario.warmup_s > 0)
    schedule({static_cast<std::int64_t>(scenario.warmup_s * 1e9), 0, SimEvent::Kind::warmup_end, 0, 0, 0});
}

void Simulator::Model::wake_health() {
  health_active = true;
  if (health_scheduled) return;
  schedule({now, 0, SimEvent::Kind::health, 0, 0, 0});
  health_scheduled = true;
}

void Simulator::Model::health_pass() {
  // Only when something can change: active probes, a node down or marked down, slow start.
  const bool probing = health->next_probe_ns() <= now;
  if (health_active || probing || down_count > 0 || health->next_ramp_ns(now) <= now) {
    const auto up = [this](std::size_t i) { return nodes[i]->up.load(std::memory_order_relaxed); };
    const bool changed = health->step(now, counters, up);
    if (changed) {
      dispatcher->set_weights(health->effective());
      dispatcher->set_panic(health->panic());
      retry->set_weights(health->effective());
    }
    bool all_available = true;
    for (std::size_t i = 0; i < nodes.size() && all_available; ++i) all_available = health->available(i);
    health_active = changed || !all_available;
  }
}

void Simulator::Model::handle(const SimEvent& e) {
  switch (e.kind) {
    case SimEvent::Kind::arrival:
      if (dispatch_done) break;
      if (e.at_ns >= end_ns) {
        dispatch_done = true;
        break;
      }
      last_issued_ns = pending_arrival_ns;
      issue(e.at_ns, kNoClient);
      if (!dispatch_done) schedule_arrival(next_arrival_ns());
      break;
    case SimEvent::Kind::client_ready:
      if (dispatch_done) break;
      if (e.at_ns >= end_ns) {
        dispatch_done = true;
        break;
      }
      // Max mode measures latency from the moment the place in the window opened, as the
      // real engine does from the moment it sends.
      issue(e.at_ns, e.node);
      break;
    case SimEvent::Kind::completion:
      if (!nodes[e.node]->node.serving(e.slot, e.generation)) break;  // emptied by a kill or the end
      --pending_completions;
      nodes[e.node]->node.finish(e.slot, e.generation, now);
      dispatcher->load_changed(e.node);
      break;
    case SimEvent::Kind::queue_wake:
      nodes[e.node]->node.wake(now);
      dispatcher->load_changed(e.node);
      break;
    case SimEvent::Kind::fault:
      faults.apply_due(now, *this);
      wake_health();
      if (faults.next_ns() != kNever) schedule({faults.next_ns(), 0, SimEvent::Kind::fault, 0, 0, 0});
      break;
    case SimEvent::Kind::health: {
      health_scheduled = false;
      health_pass();
      // Passes go on only while there is something to watch: a node down or marked down,
      // active probes, slow start. A fault or a live kill wakes them again (wake_health).
      const bool watching = health_active || down_count > 0 ||
                            health->next_probe_ns() != std::numeric_limits<std::int64_t>::max() ||
                            health->next_ramp_ns(now) != std::numeric_limits<std::int64_t>::max();
      if (watching && (!dispatch_done || pending_completions > 0)) {
        schedule({now + kHealthPassNs, 0, SimEvent::Kind::health, 0, 0, 0});
        health_scheduled = true;
      }
      break;
    }
    case SimEvent::Kind::tick: {
      const Snapshot s = take_snapshot(false);
      for (const auto& subscriber : subscribers) subscriber(s);
      schedule({now + interval_ns, 0, SimEvent::Kind::tick, 0, 0, 0});
      break;
    }
    case SimEvent::Kind::drain_end:
      // --drain cancel or TIMEOUT_S: what is still queued or in service is cancelled.
      for (std::size_t i = 0; i < nodes.size(); ++i) {
        nodes[i]->node.cancel_all(now);
        dispatcher->load_changed(i);
      }
      break;
    case SimEvent::Kind::warmup_end:
      baseline = capture_baseline(now, node_states(shares_now()), cluster_counts());
      break;
  }
}

void Simulator::Model::run() {
  begin();
  auto anchor_wall = WallClock::now();
  std::int64_t anchor_virtual = 0;
  double anchored_pace = pace.load();
  while (true) {
    if (has_commands.load(std::memory_order_acquire)) apply_commands();
    if (stop.load(std::memory_order_acquire)) {
      dispatch_done = true;
      for (std::size_t i = 0; i < nodes.size(); ++i) {
        nodes[i]->node.cancel_all(now);
        dispatcher->load_changed(i);
      }
      break;
    }
    if (paused.load(std::memory_order_acquire)) {
      std::unique_lock lock(control_mutex);
      wake_cv.wait(lock, [&] { return !paused.load() || stop.load() || has_commands.load(); });
      anchor_wall = WallClock::now(), anchor_virtual = now;  // the virtual clock stood still
      continue;
    }
    if (over() || queue.empty()) break;
    const SimEvent& next = queue.top();
    const double p = pace.load(std::memory_order_relaxed);
    if (p != anchored_pace) anchored_pace = p, anchor_wall = WallClock::now(), anchor_virtual = now;
    if (p > 0) {
      const auto due =
          anchor_wall +
          std::chrono::nanoseconds(static_cast<std::int64_t>(static_cast<double>(next.at_ns - anchor_virtual) / p));
      if (due > WallClock::now() + kPaceSlack) {
        std::unique_lock lock(control_mutex);
        wake_cv.wait_until(lock, due,
                           [&] { return stop.load() || paused.load() || has_commands.load() || pace.load() != p; });
        continue;
      }
    }
    // Unpaced, events go in batches between looks at the controls: a command or a stop
    // waits at most kBatch events (microseconds), and the loop stays on the events.
    const int batch = p > 0 ? 1 : kBatch;
    int k = 0;
    for (; k < batch && !over() && !queue.empty(); ++k) {
      const SimEvent e = queue.pop();
      now = e.at_ns;
      handle(e);
      if (dispatch_done && !drain_armed) {
        drain_armed = true;
        if (const std::int64_t after = scenario.drain_cancel_after_ns(); after >= 0 && !over())
          schedule({now + after, 0, SimEvent::Kind::drain_end, 0, 0, 0});
      }
    }
    // Published for other threads now and then, not per event (an atomic add is not free).
    handled += static_cast<std::uint64_t>(k);
    if (batch > 1 || (handled & 1023) == 0) {
      events.store(handled, std::memory_order_relaxed);
      published_now.store(now, std::memory_order_relaxed);
    }
  }
  events.store(handled, std::memory_order_relaxed);
  published_now.store(now, std::memory_order_relaxed);
  finish_run();
}

void Simulator::Model::finish_run() {
  // A run that ended inside its warm-up has nothing to measure.
  if (scenario.warmup_s > 0 && !baseline) baseline = capture_baseline(now, node_states(shares_now()), cluster_counts());
  if (!subscribers.empty()) {
    const Snapshot s = take_snapshot(true);
    for (const auto& subscriber : subscribers) subscriber(s);
  }
  outcome.publish(build(now));
  running.store(false, std::memory_order_release);  // after: a late control is queued, never run here
}

std::vector<NodeState> Simulator::Model::node_states(const std::vector<double>& shares) const {
  return loadlab::node_states(
      counters, weights_now(), shares, [this](std::size_t i) { return nodes[i]->up.load(); }, *health);
}

ClusterCounts Simulator::Model::cluster_counts() const {
  ClusterCounts c;
  c.issued = dispatcher->issued();
  c.no_node = dispatcher->no_node();
  c.concurrency_limited = dispatcher->concurrency_limited();
  if (const GradientController* l = dispatcher->limiter()) c.concurrency_limit = l->concurrency_limit();
  c.writes = dispatcher->writes();
  c.retries = retry->retries();
  c.peak_in_flight = peak;
  c.panic = health->panic();
  c.panic_ns = health->panic_ns(now);
  c.issued_in_panic = dispatcher->issued_in_panic();
  return c;
}

Snapshot Simulator::Model::take_snapshot(bool final) {
  std::vector<bool> available(nodes.size());
  for (std::size_t i = 0; i < nodes.size(); ++i) available[i] = health->available(i);
  const std::vector<double> shares = prediction->shares_among_available(weights_now(), available, shares_now());
  const double target = scenario.workload.mode == Workload::Mode::open ? current_rate : 0.0;
  return snapshots.take(
      now, final, node_states(shares), [this] { return cluster_counts(); }, target, report_context.honours_weights);
}

RunReport Simulator::Model::build(std::int64_t elapsed_ns) const {
  ReportContext context = report_context;
  context.stopped_early = stop.load();
  context.target_rate = scenario.workload.mode == Workload::Mode::open ? current_rate : 0.0;
  return build_report(context, elapsed_ns, node_states(shares_now()), cluster_counts(),
                      baseline ? &*baseline : nullptr);
}

// ---- Simulator: the Run interface over the model ----

Simulator::Simulator(Scenario scenario) : model_(std::make_unique<Model>(std::move(scenario))) {}

Simulator::~Simulator() {
  request_stop();
  if (model_->thread.joinable()) model_->thread.join();
}

void Simulator::set_pace(double factor) {
  if (!(factor >= 0) || factor > 1e9)
    throw std::invalid_argument(
        fmt::format("pace must be 0 (as fast as possible) or a positive factor (got {})", factor));
  model_->pace.store(factor);
  model_->wake_cv.notify_all();
}
double Simulator::pace() const { return model_->pace.load(); }

std::int64_t Simulator::now_ns() const { return model_->published_now.load(std::memory_order_relaxed); }
std::uint64_t Simulator::events() const { return model_->events.load(std::memory_order_relaxed); }

void Simulator::subscribe(Subscriber subscriber) {
  if (model_->started) throw std::logic_error("Simulator::subscribe after start");
  model_->subscribers.push_back(std::move(subscriber));
}

void Simulator::attach_flow_tap(std::shared_ptr<FlowTap> tap) {
  Model& m = *model_;
  if (m.started) throw std::logic_error("Simulator::attach_flow_tap after start");
  if (!tap || tap->nodes() != m.nodes.size())
    throw std::invalid_argument("a flow tap needs one ring per node (" + std::to_string(m.nodes.size()) + ")");
  for (std::size_t i = 0; i < m.nodes.size(); ++i)
    m.nodes[i]->node.set_flow_tap(tap.get(), static_cast<std::uint32_t>(i));
  m.flow_tap = std::move(tap);
}

void Simulator::start() {
  Model& m = *model_;
  if (m.started) throw std::logic_error("Simulator::start called twice");
  m.started = true;
  m.running.store(true, std::memory_order_release);
  m.thread = std::thread([&m] { m.run(); });
}

RunReport Simulator::run_to_end() {
  Model& m = *model_;
  if (m.started) throw std::logic_error("Simulator::run_to_end after start");
  m.started = true;
  m.running.store(true, std::memory_order_release);
  m.run();
  return report();
}

void Simulator::request_stop() {
  Model& m = *model_;
  {
    std::lock_guard lock(m.control_mutex);
    m.stop.store(true, std::memory_order_release);
  }
  m.wake_cv.notify_all();
}

bool Simulator::wait_for(std::chrono::milliseconds timeout) { return model_->outcome.wait_for(timeout); }
void Simulator::wait() { model_->outcome.wait(); }
bool Simulator::finished() const { return model_->outcome.finished(); }
RunReport Simulator::report() const { return model_->outcome.report(); }

RunReport Simulator::report_now() const {
  if (finished()) return report();
  // From another thread the model's plain fields may be mid-change: read only the atomics.
  Model& m = *model_;
  ReportContext context = m.report_context;
  ClusterCounts c;
  for (const NodeCounters* n : m.counters) c.issued += n->issued.load();
  return build_report(context, m.published_now.load(), m.node_states(m.shares_now()), c);
}

const Scenario& Simulator::scenario() const { return model_->scenario; }

void Simulator::set_weights(const std::vector<double>& weights) {
  Model& m = *model_;
  check_weights(weights, m.scenario);
  m.live->set_weights(weights, m.prediction->shares(weights));
  m.control([&m, weights] {
    m.health->set_configured(weights, m.now);
    m.dispatcher->set_weights(m.health->effective());
    m.dispatcher->set_panic(m.health->panic());
    m.retry->set_weights(m.health->effective());
  });
}

std::vector<double> Simulator::weights() const { return model_->weights_now(); }
std::vector<double> Simulator::expected_shares_now() const { return model_->shares_now(); }

void Simulator::set_speed(std::size_t node, double speed) {
  check_node_index(node, model_->nodes.size());
  check_speed(speed);
  model_->control([m = model_.get(), node, speed] { m->set_speed(node, speed); });
}

void Simulator::set_cache_capacity(std::size_t node, std::size_t objects) {
  check_node_index(node, model_->nodes.size());
  check_cache_capacity(objects);
  model_->control([m = model_.get(), node, objects] { m->nodes[node]->node.set_cache_capacity(objects); });
}

void Simulator::set_think_time(double milliseconds) {
  check_think_time(milliseconds);
  Model& m = *model_;
  m.live->set_think_ms(milliseconds);
  m.control([&m, milliseconds] { m.think_ms = milliseconds; });
}

void Simulator::set_rate(double rate) {
  check_rate(rate);
  Model& m = *model_;
  m.live->set_rate(rate);
  m.control([&m, rate] {
    if (m.current_rate == rate) return;
    m.current_rate = rate;
    if (!m.arrivals) return;  // not started yet, or not open loop: begin() takes the new rate
    m.arrivals->set_rate(rate, static_cast<double>(m.now));
    // The pending arrival was drawn at the old rate: draw it again from the change on (it
    // replaces the pending one).
    if (m.dispatcher->issued() > 0 && !m.dispatch_done) m.schedule_arrival(m.next_arrival_ns());
  });
}

void Simulator::kill(std::size_t node) {
  check_node_index(node, model_->nodes.size());
  model_->control([m = model_.get(), node] {
    m->kill(node);
    m->wake_health();
  });
}

void Simulator::revive(std::size_t node) {
  check_node_index(node, model_->nodes.size());
  model_->control([m = model_.get(), node] {
    m->revive(node);
    m->wake_health();
  });
}

void Simulator::set_spikes(std::size_t node, double probability, double extra_us) {
  check_node_index(node, model_->nodes.size());
  check_spikes(probability, extra_us);
  model_->control([m = model_.get(), node, probability, extra_us] { m->set_spikes(node, probability, extra_us); });
}

bool Simulator::node_up(std::size_t node) const {
  check_node_index(node, model_->nodes.size());
  return model_->nodes[node]->up.load();
}

Histogram Simulator::node_latency_histogram(std::size_t node) const {
  check_node_index(node, model_->nodes.size());
  Histogram h;
  model_->counters[node]->latency.read_into(h);
  return h;
}

bool Simulator::node_available(std::size_t node) const {
  check_node_index(node, model_->nodes.size());
  return model_->health->available(node);
}

void Simulator::pause() {
  {
    std::lock_guard lock(model_->control_mutex);
    model_->paused.store(true);
  }
  model_->wake_cv.notify_all();
}

void Simulator::resume() {
  {
    std::lock_guard lock(model_->control_mutex);
    model_->paused.store(false);
  }
  model_->wake_cv.notify_all();
}

bool Simulator::paused() const { return model_->paused.load(); }

}  // namespace loadlab
