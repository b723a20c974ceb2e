#include "engine/engine.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <queue>
#include <stdexcept>

#include "caches/cache_registry.h"
#include "engine/engine_clock.h"
#include "engine/node.h"
#include "engine/timer_slack.h"
#include "metrics/counters_reader.h"
#include "model/dispatcher.h"
#include "model/fault_schedule.h"
#include "model/health_monitor.h"
#include "model/random_streams.h"
#include "model/retry_router.h"
#include "run/live_settings.h"
#include "run/run_outcome.h"
#include "run/run_readout.h"
#include "theory/share_prediction.h"

namespace loadlab {
namespace {

constexpr std::size_t kMaxBatch = 1024;  // requests issued between two looks at control/stop
constexpr std::int64_t kFailedClientBackoffNs = 1'000'000;

}  // namespace

struct Engine::State final : NodeControl, Dispatcher::Sink {
  explicit State(Scenario s);
  ~State() override;

  // NodeControl: the fault schedule and live control.
  void kill(std::size_t node) override { nodes[node]->kill(); }
  void revive(std::size_t node) override { nodes[node]->revive(); }
  void set_speed(std::size_t node, double speed) override { nodes[node]->set_speed(speed); }
  void set_spikes(std::size_t node, double p, double us) override { nodes[node]->set_spikes(p, us); }
  // Dispatcher::Sink: batched per node until the next flush.
  void send(std::size_t node, const Request& request) override {
    batches[node].push_back(request);
    if (request.write) ++write_batch[node];
  }

  void dispatch_loop();
  void collect_loop();
  void flush();
  // On the failing node's thread.
  NodeModel::RetryOutcome retry_elsewhere(const Request& failed, std::size_t from);
  void client_done(std::uint32_t client);
  void wake_dispatcher();
  std::uint64_t total_in_flight() const;
  std::vector<NodeState> node_states(const std::vector<double>& shares) const;
  ClusterCounts cluster_counts() const;
  Snapshot take_snapshot(bool final);
  // The final report leaves out the warm-up; report_now() (any thread) is of the whole run so far.
  RunReport build(std::int64_t elapsed_ns, const CountersBaseline* baseline = nullptr) const;
  std::vector<double> shares_now() const { return live->shares(); }
  std::vector<double> weights_now() const { return live->weights(); }

  Scenario scenario;
  EngineClock clock;
  std::vector<std::unique_ptr<Node>> nodes;
  std::shared_ptr<FlowTap> flow_tap;  // kept alive while the nodes write to it
  std::vector<const NodeCounters*> counters;
  // Model pieces. The dispatcher and health monitor are touched only by the dispatcher thread
  // (health's available/in_rotation flags are read anywhere).
  std::unique_ptr<Dispatcher> dispatcher;
  std::unique_ptr<HealthMonitor> health;
  std::unique_ptr<RetryRouter> retry;
  std::unique_ptr<CircuitBreakers> breakers;  // null when the scenario sets none; shared by the node threads
  std::unique_ptr<SharePrediction> prediction;
  FaultSchedule faults;  // applied by the collector
  ReportContext report_context;

  std::vector<Run::Subscriber> subscribers;
  std::thread dispatcher_thread, collector_thread;
  bool started = false;

  // Control: written by any thread, read by the dispatcher when the version moves.
  std::unique_ptr<LiveSettings> live;
  std::atomic<std::uint64_t> control_version{0};

  // Waking the dispatcher early: stop, control, closed-loop answers.
  std::mutex wake_mutex;
  std::condition_variable wake_cv;
  bool wake = false;
  std::vector<std::uint32_t> done_clients;

  std::atomic<bool> stop{false};
  std::atomic<bool> paused{false};
  std::atomic<bool> dispatch_done{false};
  // Published by the dispatcher at each flush, before the requests they count.
  std::atomic<std::uint64_t> issued{0}, failed_no_node{0}, writes_issued{0}, peak_in_flight{0}, issued_in_panic{0};
  std::atomic<std::uint64_t> concurrency_limited{0};  // blocked by the adaptive concurrency limiter

  // Dispatcher thread: per-node batches since the last flush.
  std::vector<std::vector<Request>> batches;
  std::vector<std::uint64_t> write_batch;  // replica copies of writes in the batch
  std::uint64_t peak = 0;

  // Collector state.
  SnapshotBuilder snapshots;
  std::optional<CountersBaseline> baseline;  // the counters at the end of the warm-up
  SharePrediction* masked_prediction = nullptr;

  RunOutcome outcome;
};

Engine::State::State(Scenario s)
    : scenario(std::move(s)), faults(scenario.faults), snapshots(scenario.nodes.size(), scenario.deadline_ms) {
  validate(scenario);
  const std::size_t n = scenario.nodes.size();
  std::vector<double> weights;
  for (const NodeSpec& spec : scenario.nodes) weights.push_back(spec.weight);
  for (std::size_t i = 0; i < n; ++i) {
    auto cache =
        caches().make(scenario.cache_policy, CacheOptions{scenario.cache_capacity_of(i), scenario.cache_params});
    nodes.push_back(std::make_unique<Node>(
        scenario.nodes[i], scenario.queue_of(i), scenario.deadline_ms, std::move(cache), scenario.service,
        derive_seed(scenario.seed, node_stream + i), clock, [this](std::uint32_t client) { client_done(client); },
        [this, i](const Request& r) { return retry_elsewhere(r, i); }));
    counters.push_back(&nodes.back()->counters());
  }
  dispatcher = std::make_unique<Dispatcher>(scenario, counters, *this);
  health = std::make_unique<HealthMonitor>(scenario.health, weights);
  retry = std::make_unique<RetryRouter>(scenario, dispatcher->placement(), counters);
  if (scenario.circuit_breakers.any()) {
    breakers = std::make_unique<CircuitBreakers>(scenario.circuit_breakers);
    for (auto& node : nodes) node->set_circuit_breakers(breakers.get());
    retry->set_circuit_breakers(breakers.get());
  }
  for (auto& node : nodes) node->set_concurrency_limiter(dispatcher->limiter());
  prediction = std::make_unique<SharePrediction>(scenario, dispatcher->placement());
  live = std::make_unique<LiveSettings>(LiveSettings::Values{
      weights, prediction->shares(weights),
      scenario.workload.mode == Workload::Mode::open ? scenario.workload.rate : 0.0, scenario.workload.think_ms});
  batches.resize(n);
  write_batch.assign(n, 0);

  report_context = report_context_for(scenario, *dispatcher, *prediction);
}

Engine::State::~State() {
  stop.store(true, std::memory_order_release);
  wake_dispatcher();
  if (dispatcher_thread.joinable()) dispatcher_thread.join();
  if (collector_thread.joinable()) collector_thread.join();
  for (auto& node : nodes) node->shutdown();
}

Engine::Engine(Scenario scenario) : state_(std::make_unique<State>(std::move(scenario))) {}
Engine::~Engine() = default;

void Engine::subscribe(Subscriber subscriber) {
  if (state_->started) throw std::logic_error("Engine::subscribe after start");
  state_->subscribers.push_back(std::move(subscriber));
}

void Engine::attach_flow_tap(std::shared_ptr<FlowTap> tap) {
  State& s = *state_;
  if (s.started) throw std::logic_error("Engine::attach_flow_tap after start");
  if (!tap || tap->nodes() != s.nodes.size())
    throw std::invalid_argument("a flow tap needs one ring per node (" + std::to_string(s.nodes.size()) + ")");
  for (std::size_t i = 0; i < s.nodes.size(); ++i) s.nodes[i]->set_flow_tap(tap.get(), static_cast<std::uint32_t>(i));
  s.flow_tap = std::move(tap);
}

void Engine::start() {
  State& s = *state_;
  if (s.started) throw std::logic_error("Engine::start called twice");
  s.started = true;
  s.clock.restart();
  for (auto& node : s.nodes) node->start();
  s.dispatcher_thread = std::thread([&s] { s.dispatch_loop(); });
  s.collector_thread = std::thread([&s] { s.collect_loop(); });
}

void Engine::request_stop() {
  state_->stop.store(true, std::memory_order_release);
  state_->wake_dispatcher();
}

bool Engine::wait_for(std::chrono::milliseconds timeout) { return state_->outcome.wait_for(timeout); }
void Engine::wait() { state_->outcome.wait(); }
bool Engine::finished() const { return state_->outcome.finished(); }
RunReport Engine::report() const { return state_->outcome.report(); }

RunReport Engine::report_now() const { return state_->build(state_->clock.now_ns()); }
const Scenario& Engine::scenario() const { return state_->scenario; }

void Engine::set_weights(const std::vector<double>& weights) {
  State& s = *state_;
  check_weights(weights, s.scenario);
  s.live->set_weights(weights, s.prediction->shares(weights));
  s.control_version.fetch_add(1, std::memory_order_release);
  s.wake_dispatcher();
}

std::vector<double> Engine::weights() const { return state_->weights_now(); }
std::vector<double> Engine::expected_shares_now() const { return state_->shares_now(); }

void Engine::set_speed(std::size_t node, double speed) {
  check_node_index(node, state_->nodes.size());
  check_speed(speed);
  state_->set_speed(node, speed);
}

void Engine::set_cache_capacity(std::size_t node, std::size_t objects) {
  check_node_index(node, state_->nodes.size());
  check_cache_capacity(objects);
  state_->nodes[node]->set_cache_capacity(objects);
}

void Engine::set_rate(double rate) {
  check_rate(rate);
  state_->live->set_rate(rate);
  state_->control_version.fetch_add(1, std::memory_order_release);
  state_->wake_dispatcher();
}

void Engine::set_think_time(double milliseconds) {
  check_think_time(milliseconds);
  state_->live->set_think_ms(milliseconds);
  state_->control_version.fetch_add(1, std::memory_order_release);
  state_->wake_dispatcher();
}

void Engine::kill(std::size_t node) {
  check_node_index(node, state_->nodes.size());
  state_->kill(node);
}

void Engine::revive(std::size_t node) {
  check_node_index(node, state_->nodes.size());
  state_->revive(node);
}

void Engine::set_spikes(std::size_t node, double probability, double extra_us) {
  check_node_index(node, state_->nodes.size());
  check_spikes(probability, extra_us);
  state_->set_spikes(node, probability, extra_us);
}

bool Engine::node_up(std::size_t node) const {
  check_node_index(node, state_->nodes.size());
  return state_->nodes[node]->up();
}

Histogram Engine::node_latency_histogram(std::size_t node) const {
  check_node_index(node, state_->nodes.size());
  Histogram h;
  state_->counters[node]->latency.read_into(h);
  return h;
}

bool Engine::node_available(std::size_t node) const {
  check_node_index(node, state_->nodes.size());
  return state_->health->available(node);
}

void Engine::pause() {
  state_->paused.store(true, std::memory_order_release);
  state_->wake_dispatcher();
}

void Engine::resume() {
  state_->paused.store(false, std::memory_order_release);
  state_->wake_dispatcher();
}

bool Engine::paused() const { return state_->paused.load(std::memory_order_acquire); }

void Engine::State::wake_dispatcher() {
  {
    std::lock_guard lock(wake_mutex);
    wake = true;
  }
  wake_cv.notify_one();
}

void Engine::State::client_done(std::uint32_t client) {
  bool notify;
  {
    std::lock_guard lock(wake_mutex);
    notify = done_clients.empty();
    done_clients.push_back(client);
    wake = true;
  }
  if (notify) wake_cv.notify_one();
}

// Publishes the counts before the requests: a reader that sees a request completed must also
// see it issued.
void Engine::State::flush() {
  failed_no_node.store(dispatcher->no_node(), std::memory_order_release);
  concurrency_limited.store(dispatcher->concurrency_limited(), std::memory_order_release);
  issued.store(dispatcher->issued(), std::memory_order_release);
  writes_issued.store(dispatcher->writes(), std::memory_order_release);
  issued_in_panic.store(dispatcher->issued_in_panic(), std::memory_order_relaxed);
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (batches[i].empty()) continue;
    const std::uint64_t reads = batches[i].size() - write_batch[i];
    if (write_batch[i]) bump(nodes[i]->counters().write_attempts, write_batch[i], std::memory_order_release);
    write_batch[i] = 0;
    if (reads) bump(nodes[i]->counters().issued, reads, std::memory_order_release);
    nodes[i]->submit(batches[i]);
    batches[i].clear();
  }
  const std::uint64_t outstanding = dispatcher->outstanding();
  dispatcher->set_total_in_flight(outstanding);
  if (outstanding > peak) {
    peak = outstanding;
    peak_in_flight.store(peak, std::memory_order_relaxed);
  }
}

void Engine::State::dispatch_loop() {
  use_precise_timers();
  const Workload& w = scenario.workload;
  Rng arrival_rng(derive_seed(scenario.seed, arrivals_stream));
  std::optional<ArrivalProcess> arrivals;  // open loop
  if (w.mode == Workload::Mode::open) arrivals.emplace(make_arrival_process(w));
  const std::uint64_t limit = w.requests == 0 ? std::numeric_limits<std::uint64_t>::max() : w.requests;
  std::int64_t end_ns =
      w.duration_s > 0 ? static_cast<std::int64_t>(w.duration_s * 1e9) : std::numeric_limits<std::int64_t>::max();
  std::uint64_t seen_version = ~0ULL;
  double current_rate = live->rate();
  double think_ms = w.think_ms;  // closed loop; live control may change it
  if (arrivals && current_rate != w.rate) arrivals->set_rate(current_rate, 0);  // set before the start
  double next_ns = 0;  // open loop: intended time of the next arrival
  double last_ns = 0;

  using Ready = std::pair<std::int64_t, std::uint32_t>;  // closed loop: (ready time, client)
  std::priority_queue<Ready, std::vector<Ready>, std::greater<>> ready;
  if (w.mode == Workload::Mode::closed)
    for (std::uint32_t c = 0; c < w.clients; ++c) ready.emplace(0, c);
  std::vector<std::uint32_t> done;
  const auto up = [this](std::size_t i) { return nodes[i]->up(); };

  auto apply_control = [&] {
    const std::uint64_t version = control_version.load(std::memory_order_acquire);
    if (version == seen_version) return false;
    seen_version = version;
    LiveSettings::Values now_set = live->get();
    const std::vector<double> configured = std::move(now_set.weights);
    const bool rate_changed = now_set.rate != current_rate;
    current_rate = now_set.rate;
    think_ms = now_set.think_ms;
    const std::int64_t at = clock.now_ns();
    health->set_configured(configured, at);
    dispatcher->set_weights(health->effective());
    dispatcher->set_panic(health->panic());
    retry->set_weights(health->effective());
    if (rate_changed && arrivals) arrivals->set_rate(current_rate, static_cast<double>(at));
    return rate_changed;
  };
  auto issued_count = [&] { return dispatcher->issued(); };

  auto sleep_until = [&](std::int64_t ns) {
    std::unique_lock lock(wake_mutex);
    if (ns == std::numeric_limits<std::int64_t>::max())
      wake_cv.wait(lock, [&] { return wake; });
    else
      wake_cv.wait_until(lock, clock.at(ns), [&] { return wake; });
    wake = false;
  };

  apply_control();

  // Waits out a pause and shifts every pending intended time (and the end) by its length.
  auto wait_while_paused = [&] {
    const std::int64_t began = clock.now_ns();
    {
      std::unique_lock lock(wake_mutex);
      wake_cv.wait(lock,
                   [&] { return !paused.load(std::memory_order_acquire) || stop.load(std::memory_order_acquire); });
      wake = false;
    }
    const std::int64_t paused_for = clock.now_ns() - began;
    next_ns += static_cast<double>(paused_for);
    last_ns += static_cast<double>(paused_for);
    if (end_ns != std::numeric_limits<std::int64_t>::max()) end_ns += paused_for;
    std::vector<Ready> shifted;
    while (!ready.empty()) shifted.push_back(ready.top()), ready.pop();
    for (auto [at, client] : shifted) ready.emplace(at + paused_for, client);
  };

  while (!stop.load(std::memory_order_acquire) && issued_count() < limit) {
    if (paused.load(std::memory_order_acquire)) {
      flush();
      wait_while_paused();
      continue;
    }
    const bool rate_changed = apply_control();
    const std::int64_t now = clock.now_ns();
    if (health->step(now, counters, up)) {
      dispatcher->set_weights(health->effective());
      dispatcher->set_panic(health->panic());
      retry->set_weights(health->effective());
    }
    if (now >= end_ns) break;

    if (w.mode == Workload::Mode::open) {
      // A new rate applies from now on, not after the old, longer gap.
      if (rate_changed && issued_count() > 0) next_ns = arrivals->next_ns(last_ns, arrival_rng);
      if (next_ns >= static_cast<double>(end_ns)) break;
      std::size_t count = 0;
      while (next_ns <= static_cast<double>(now) && count < kMaxBatch && issued_count() < limit) {
        dispatcher->issue(static_cast<std::int64_t>(next_ns), kNoClient, now);
        last_ns = next_ns;
        next_ns = arrivals->next_ns(last_ns, arrival_rng);
        ++count;
      }
      flush();
      if (count == kMaxBatch) continue;
      if (issued_count() < limit)
        sleep_until(static_cast<std::int64_t>(std::min(next_ns, static_cast<double>(end_ns))));
    } else if (w.mode == Workload::Mode::max) {
      const std::uint64_t busy = dispatcher->outstanding();
      if (busy >= w.window) {
        // Nodes are working through a full window: give them the core.
        std::this_thread::sleep_for(std::chrono::microseconds(20));
        continue;
      }
      const std::uint64_t count = std::min<std::uint64_t>({w.window - busy, kMaxBatch, limit - issued_count()});
      for (std::uint64_t k = 0; k < count; ++k) dispatcher->issue(now, kNoClient, now);
      flush();
    } else {
      {
        std::lock_guard lock(wake_mutex);
        done.swap(done_clients);
      }
      for (std::uint32_t c : done) ready.emplace(now + static_cast<std::int64_t>(think_ms * 1e6), c);
      done.clear();
      std::size_t count = 0;
      while (!ready.empty() && ready.top().first <= now && count < kMaxBatch && issued_count() < limit) {
        const auto [at, client] = ready.top();
        ready.pop();
        if (!dispatcher->issue(at, client, now))
          ready.emplace(now + std::max<std::int64_t>(static_cast<std::int64_t>(think_ms * 1e6), kFailedClientBackoffNs),
                        client);
        ++count;
      }
      flush();
      if (count == kMaxBatch) continue;
      if (issued_count() < limit) sleep_until(ready.empty() ? end_ns : std::min(ready.top().first, end_ns));
    }
  }
  flush();
  dispatch_done.store(true, std::memory_order_release);
}

NodeModel::RetryOutcome Engine::State::retry_elsewhere(const Request& failed, std::size_t from) {
  const std::size_t target = retry->choose(failed, from, issued.load(std::memory_order_acquire), clock.now_ns());
  if (target == RetryRouter::kOverflow) return NodeModel::RetryOutcome::overflow;
  if (target == kNoNode) return NodeModel::RetryOutcome::not_retried;
  const Request again = RetryRouter::retried(failed, from);
  nodes[target]->counters().retried_in.fetch_add(1, std::memory_order_release);
  nodes[target]->submit(std::span<const Request>(&again, 1));
  return NodeModel::RetryOutcome::retried;
}

std::uint64_t Engine::State::total_in_flight() const {
  std::uint64_t in_flight = 0;
  for (const auto& node : nodes) {
    const NodeCounters& c = node->counters();
    const std::uint64_t finished = c.finished();
    in_flight += c.arrived() - finished;
  }
  return in_flight;
}

void Engine::State::collect_loop() {
  const auto interval_ns = static_cast<std::int64_t>(scenario.interval_ms * 1e6);
  std::int64_t next_tick = interval_ns;
  const auto warmup_ns = static_cast<std::int64_t>(scenario.warmup_s * 1e9);
  bool cancelled = false;
  std::int64_t dispatched_at = -1;  // when the dispatcher was seen done
  const std::int64_t drain_cancel_after = scenario.drain_cancel_after_ns();
  while (true) {
    const bool dispatched_all = dispatch_done.load(std::memory_order_acquire);
    if (dispatched_all && dispatched_at < 0) dispatched_at = clock.now_ns();
    // --drain cancel or TIMEOUT_S: the backlog is cancelled, as an early stop cancels it.
    const bool drain_over =
        dispatched_all && drain_cancel_after >= 0 && clock.now_ns() >= dispatched_at + drain_cancel_after;
    if (dispatched_all && (stop.load(std::memory_order_acquire) || drain_over) && !cancelled) {
      for (auto& node : nodes) node->cancel_all();
      cancelled = true;
    }
    const bool over = dispatched_all && total_in_flight() == 0;
    const std::int64_t now = clock.now_ns();
    if (warmup_ns > 0 && !baseline && (now >= warmup_ns || over))
      baseline = capture_baseline(now, node_states(shares_now()), cluster_counts());
    faults.apply_due(now, *this);
    if (over || now >= next_tick) {
      const Snapshot snapshot = take_snapshot(over);
      for (const auto& subscriber : subscribers) subscriber(snapshot);
      if (over) break;
      next_tick += interval_ns;
      if (next_tick <= now) next_tick = now + interval_ns;  // fell behind: skip, don't burst
      continue;
    }
    // Poll briefly once the dispatcher is done so the end of the run is noticed promptly;
    // otherwise sleep to the next tick.
    std::int64_t until = dispatched_all ? std::min(next_tick, now + 2'000'000) : std::min(next_tick, now + 10'000'000);
    if (warmup_ns > 0 && !baseline) until = std::min(until, warmup_ns);
    std::this_thread::sleep_until(clock.at(until));
  }
  const std::int64_t elapsed = clock.now_ns();
  for (auto& node : nodes) node->shutdown();
  outcome.publish(build(elapsed, baseline ? &*baseline : nullptr));
}

std::vector<NodeState> Engine::State::node_states(const std::vector<double>& shares) const {
  return loadlab::node_states(
      counters, weights_now(), shares, [this](std::size_t i) { return nodes[i]->up(); }, *health);
}

ClusterCounts Engine::State::cluster_counts() const {
  ClusterCounts c;
  c.issued = issued.load(std::memory_order_acquire);
  c.no_node = failed_no_node.load(std::memory_order_acquire);
  c.concurrency_limited = concurrency_limited.load(std::memory_order_acquire);
  if (const GradientController* l = dispatcher->limiter()) c.concurrency_limit = l->concurrency_limit();
  c.writes = writes_issued.load(std::memory_order_acquire);
  c.retries = retry->retries();
  c.peak_in_flight = peak_in_flight.load(std::memory_order_relaxed);
  c.panic = health->panic();
  c.panic_ns = health->panic_ns(clock.now_ns());
  c.issued_in_panic = issued_in_panic.load(std::memory_order_relaxed);
  return c;
}

Snapshot Engine::State::take_snapshot(bool final) {
  const std::int64_t now = clock.now_ns();
  std::vector<bool> available(nodes.size());
  for (std::size_t i = 0; i < nodes.size(); ++i) available[i] = health->available(i);
  const std::vector<double> shares = prediction->shares_among_available(weights_now(), available, shares_now());
  const double target_rate = scenario.workload.mode == Workload::Mode::open ? live->rate() : 0.0;
  return snapshots.take(
      now, final, node_states(shares), [this] { return cluster_counts(); }, target_rate,
      report_context.honours_weights);
}

RunReport Engine::State::build(std::int64_t elapsed_ns, const CountersBaseline* baseline) const {
  ReportContext context = report_context;
  context.stopped_early = stop.load();
  context.target_rate = scenario.workload.mode == Workload::Mode::open ? live->rate() : 0.0;
  return build_report(context, elapsed_ns, node_states(shares_now()), cluster_counts(), baseline);
}

}  // namespace loadlab
