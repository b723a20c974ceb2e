#include "engine/engine.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/hash.h"
#include "model/health.h"
#include <cmath>
#include <limits>
#include <queue>
#include <stdexcept>

#include "balancers/balancer_registry.h"
#include "caches/cache_registry.h"
#include "workload/key_distribution.h"
#include "theory/theory.h"
#include "engine/timer_slack.h"
#include "model/write_quorum.h"

namespace loadlab {
namespace {

constexpr std::size_t kMaxBatch = 1024;  // requests issued between two looks at control/stop
constexpr std::int64_t kFailedClientBackoffNs = 1'000'000;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Random streams of a run, derived from its one seed so each stays the same when another
// consumer of randomness is added.
enum Stream : std::uint64_t {
  keys_stream = 1, arrivals_stream = 2, balancer_stream = 3, writes_stream = 4, node_stream = 100
};

double us(double ns) { return ns / 1000.0; }

}  // namespace

// What load-aware balancers read, as the dispatcher sees it: its own count of requests sent
// minus what the node has finished. Read only on the dispatcher thread.
class Engine::Load final : public LoadView {
 public:
  Load(const std::vector<std::unique_ptr<Node>>& nodes, const std::vector<std::uint64_t>& dispatched,
       const std::uint64_t& total, const EngineClock& clock)
      : nodes_(nodes), dispatched_(dispatched), total_(total), clock_(clock) {}
  std::size_t node_count() const override { return nodes_.size(); }
  std::uint64_t in_flight(std::size_t node) const override {
    const NodeCounters& c = nodes_[node]->counters();
    return dispatched_[node] + c.retried_in.load(std::memory_order_acquire) - c.finished();
  }
  std::uint64_t total_in_flight() const override { return total_; }
  std::uint64_t completed(std::size_t node) const override {
    return nodes_[node]->counters().completed.load(std::memory_order_acquire);
  }
  std::uint64_t latency_sum_ns(std::size_t node) const override {
    return nodes_[node]->counters().latency_sum_ns.load(std::memory_order_relaxed);
  }
  std::int64_t now_ns() const override { return clock_.now_ns(); }

 private:
  const std::vector<std::unique_ptr<Node>>& nodes_;
  const std::vector<std::uint64_t>& dispatched_;
  const std::uint64_t& total_;  // outstanding at the last flush plus sent since
  const EngineClock& clock_;
};

Engine::Engine(Scenario scenario) : scenario_(std::move(scenario)) {
  validate(scenario_);
  const BalancerOptions options{derive_seed(scenario_.seed, balancer_stream), scenario_.balancer_params};
  balancer_ = balancers().make(scenario_.balancer, options);
  share_model_ = balancer_->share_model();
  if (scenario_.partitioning.kind != Partitioning::Kind::none) {
    placement_.emplace(scenario_.partitioning, scenario_.nodes.size(), scenario_.workload.keys.keys);
    // One balancer per replica set: a read may only go to a node holding its partition.
    for (std::size_t set = 0; set < placement_->replica_set_count(); ++set)
      set_balancers_.push_back(balancers().make(
          scenario_.balancer, BalancerOptions{derive_seed(scenario_.seed, balancer_stream + 1000 + set), scenario_.balancer_params}));
    share_model_ = ShareModel::other;  // shares depend on placement and key popularity
    // What each node holds: partitions, and the share of key popularity they carry.
    const std::size_t n = scenario_.nodes.size();
    partitions_held_.assign(n, 0);
    key_share_held_.assign(n, std::numeric_limits<double>::quiet_NaN());
    for (std::uint32_t q = 0; q < placement_->partition_count(); ++q)
      for (std::uint32_t node : placement_->replicas(q)) ++partitions_held_[node];
    if (scenario_.workload.keys.keys <= kMaxKeyTheoryKeys) {
      std::fill(key_share_held_.begin(), key_share_held_.end(), 0.0);
      const KeyDistribution popularity(scenario_.workload.keys);
      for (std::uint64_t k = 0; k < scenario_.workload.keys.keys; ++k)
        for (std::uint32_t node : placement_->replicas(placement_->partition_of(k)))
          key_share_held_[node] += popularity.probability(k);
    }
  }
  if (balancer_->key_affine()) theory_balancer_ = balancers().make(scenario_.balancer, options);
  for (const NodeSpec& n : scenario_.nodes) weights_.push_back(n.weight);
  balancer_->set_weights(weights_);
  set_replica_weights(weights_);
  expected_ = compute_expected(weights_);
  rate_ = scenario_.workload.mode == Workload::Mode::open ? scenario_.workload.rate : 0.0;
  const std::size_t n = scenario_.nodes.size();
  for (std::size_t i = 0; i < n; ++i) {
    auto cache = caches().make(scenario_.cache_policy, CacheOptions{scenario_.cache_capacity_of(i)});
    nodes_.push_back(std::make_unique<Node>(
        scenario_.nodes[i], std::move(cache), scenario_.service, derive_seed(scenario_.seed, node_stream + i), clock_,
        [this](std::uint32_t client) { client_done(client); },
        [this, i](const Request& r) { return retry_elsewhere(r, i); }));
  }
  available_ = std::make_unique<std::atomic<bool>[]>(n);
  in_rotation_ = std::make_unique<std::atomic<bool>[]>(n);
  for (std::size_t i = 0; i < n; ++i) available_[i].store(true), in_rotation_[i].store(scenario_.nodes[i].weight > 0);
  faults_ = scenario_.faults;
  std::stable_sort(faults_.begin(), faults_.end(), [](const FaultEvent& a, const FaultEvent& b) { return a.at_s < b.at_s; });
  previous_.assign(n, Histogram{});
  current_.assign(n, Histogram{});
  previous_samples_.assign(n, NodeSample{});
}

Engine::~Engine() {
  request_stop();
  if (dispatcher_.joinable()) dispatcher_.join();
  if (collector_.joinable()) collector_.join();
  for (auto& node : nodes_) node->shutdown();
}

void Engine::subscribe(Subscriber subscriber) {
  if (started_) throw std::logic_error("Engine::subscribe after start");
  subscribers_.push_back(std::move(subscriber));
}

void Engine::start() {
  if (started_) throw std::logic_error("Engine::start called twice");
  started_ = true;
  clock_.restart();
  for (auto& node : nodes_) node->start();
  dispatcher_ = std::thread([this] { dispatch_loop(); });
  collector_ = std::thread([this] { collect_loop(); });
}

void Engine::request_stop() {
  stop_.store(true, std::memory_order_release);
  wake_dispatcher();
}

bool Engine::wait_for(std::chrono::milliseconds timeout) {
  std::unique_lock lock(finish_mutex_);
  return finish_cv_.wait_for(lock, timeout, [this] { return finished_; });
}

void Engine::wait() {
  std::unique_lock lock(finish_mutex_);
  finish_cv_.wait(lock, [this] { return finished_; });
}

bool Engine::finished() const {
  std::lock_guard lock(finish_mutex_);
  return finished_;
}

RunReport Engine::report() const {
  std::lock_guard lock(finish_mutex_);
  return report_;
}

std::vector<std::string> Engine::node_names() const {
  std::vector<std::string> names;
  for (const NodeSpec& n : scenario_.nodes) names.push_back(n.name);
  return names;
}

void Engine::check_node(std::size_t node) const {
  if (node >= nodes_.size())
    throw std::invalid_argument(fmt::format("node index {} out of range (the run has {} nodes)", node, nodes_.size()));
}

void Engine::set_weight(std::size_t node, double weight) {
  check_node(node);
  std::vector<double> w = weights();
  w[node] = weight;
  set_weights(w);
}

void Engine::set_weights(const std::vector<double>& weights) {
  if (weights.size() != nodes_.size())
    throw std::invalid_argument(fmt::format("{} weights given for {} nodes", weights.size(), nodes_.size()));
  for (std::size_t i = 0; i < weights.size(); ++i)
    if (!std::isfinite(weights[i]) || weights[i] < 0 || weights[i] > 1e6)
      throw std::invalid_argument(
          fmt::format("weight of node {} must be a finite number from 0 to 1000000 (got {})", scenario_.nodes[i].name, weights[i]));
  std::vector<double> expected = compute_expected(weights);
  {
    std::lock_guard lock(control_mutex_);
    weights_ = weights;
    expected_ = std::move(expected);
  }
  control_version_.fetch_add(1, std::memory_order_release);
  wake_dispatcher();
}

std::vector<double> Engine::compute_expected(const std::vector<double>& weights) {
  if (placement_) {
    // One replica per partition and reads only: each node serves exactly the keys it holds.
    if (placement_->replication() == 1 && scenario_.workload.write_fraction == 0) return key_share_held_;
    return std::vector<double>(weights.size(), std::numeric_limits<double>::quiet_NaN());
  }
  if (!theory_balancer_) return expected_shares(share_model_, weights);
  std::lock_guard lock(theory_mutex_);  // two threads may change weights at once
  theory_balancer_->set_weights(weights);
  return key_owned_shares(*theory_balancer_, KeyDistribution(scenario_.workload.keys), weights.size());
}

std::vector<double> Engine::expected_shares_now() const {
  std::lock_guard lock(control_mutex_);
  return expected_;
}

std::vector<double> Engine::weights() const {
  std::lock_guard lock(control_mutex_);
  return weights_;
}

void Engine::set_speed(std::size_t node, double speed) {
  check_node(node);
  if (!std::isfinite(speed) || speed <= 0 || speed > 1000)
    throw std::invalid_argument(fmt::format("speed must be a number > 0 and <= 1000 (got {})", speed));
  nodes_[node]->set_speed(speed);
}

void Engine::set_cache_capacity(std::size_t node, std::size_t objects) {
  check_node(node);
  if (objects > kMaxCacheCapacity)
    throw std::invalid_argument(fmt::format("cache capacity at most {} objects (got {})", kMaxCacheCapacity, objects));
  nodes_[node]->set_cache_capacity(objects);
}

void Engine::set_rate(double rate) {
  if (!std::isfinite(rate) || rate <= 0 || rate > kMaxRate)
    throw std::invalid_argument(fmt::format("rate must be > 0 and <= {} requests/s (got {})", kMaxRate, rate));
  {
    std::lock_guard lock(control_mutex_);
    rate_ = rate;
  }
  control_version_.fetch_add(1, std::memory_order_release);
  wake_dispatcher();
}

void Engine::pause() {
  paused_.store(true, std::memory_order_release);
  wake_dispatcher();
}

void Engine::resume() {
  paused_.store(false, std::memory_order_release);
  wake_dispatcher();
}

RunReport Engine::report_now() const { return build_report(clock_.now_ns()); }

void Engine::wake_dispatcher() {
  {
    std::lock_guard lock(wake_mutex_);
    wake_ = true;
  }
  wake_cv_.notify_one();
}

void Engine::client_done(std::uint32_t client) {
  bool notify;
  {
    std::lock_guard lock(wake_mutex_);
    notify = done_clients_.empty();
    done_clients_.push_back(client);
    wake_ = true;
  }
  if (notify) wake_cv_.notify_one();
}

void Engine::dispatch_loop() {
  use_precise_timers();
  const Workload& w = scenario_.workload;
  const std::size_t n = nodes_.size();
  Rng key_rng(derive_seed(scenario_.seed, keys_stream));
  Rng arrival_rng(derive_seed(scenario_.seed, arrivals_stream));
  const KeyDistribution keys(w.keys);
  std::vector<std::vector<Request>> batches(n);
  std::vector<std::uint64_t> dispatched(n, 0);
  std::uint64_t total_in_flight = 0;
  const Load load(nodes_, dispatched, total_in_flight, clock_);
  std::uint64_t issued = 0;
  std::uint64_t unflushed_no_node = 0;
  const std::uint64_t limit = w.requests == 0 ? std::numeric_limits<std::uint64_t>::max() : w.requests;
  std::int64_t end_ns = w.duration_s > 0 ? static_cast<std::int64_t>(w.duration_s * 1e9)
                                               : std::numeric_limits<std::int64_t>::max();
  std::uint64_t seen_version = ~0ULL;
  double rate = rate_;
  double next_ns = 0;  // open loop: intended time of the next arrival
  double last_ns = 0;

  using Ready = std::pair<std::int64_t, std::uint32_t>;  // closed loop: (ready time, client)
  std::priority_queue<Ready, std::vector<Ready>, std::greater<>> ready;
  if (w.mode == Workload::Mode::closed)
    for (std::uint32_t c = 0; c < w.clients; ++c) ready.emplace(0, c);
  std::vector<std::uint32_t> done;

  // Health checking decides which nodes the balancer may pick; slow start scales weights.
  HealthTracker health(scenario_.health, n);
  std::vector<double> configured = weights(), effective(n);
  std::vector<std::uint64_t> seen_failed(n, 0), seen_completed(n, 0);
  std::int64_t last_ramp_ns = 0;
  auto apply_weights = [&](std::int64_t now) {
    for (std::size_t i = 0; i < n; ++i) {
      effective[i] = configured[i] * health.weight_factor(i, now);
      in_rotation_[i].store(effective[i] > 0, std::memory_order_release);
    }
    balancer_->set_weights(effective);
    set_replica_weights(effective);
  };
  auto health_step = [&](std::int64_t now) {
    bool changed = false;
    for (std::size_t i = 0; i < n; ++i) {
      const NodeCounters& c = nodes_[i]->counters();
      const std::uint64_t failed =
          c.failed_down.load(std::memory_order_acquire) + c.retried_out.load(std::memory_order_acquire);
      const std::uint64_t completed = c.completed.load(std::memory_order_acquire);
      changed = health.observe(i, failed - seen_failed[i], completed - seen_completed[i], now) || changed;
      seen_failed[i] = failed;
      seen_completed[i] = completed;
    }
    if (health.probe_due(now))
      for (std::size_t i = 0; i < n; ++i) changed = health.probe(i, nodes_[i]->up(), now) || changed;
    changed = health.expire(now) || changed;
    if (changed)
      for (std::size_t i = 0; i < n; ++i) available_[i].store(health.available(i), std::memory_order_release);
    if (!changed && health.ramping(now) && now - last_ramp_ns > 50'000'000) changed = true;
    if (changed) {
      last_ramp_ns = now;
      apply_weights(now);
    }
  };

  auto apply_control = [&] {
    const std::uint64_t version = control_version_.load(std::memory_order_acquire);
    if (version == seen_version) return false;
    bool rate_changed;
    {
      std::lock_guard lock(control_mutex_);
      seen_version = version;
      configured = weights_;
      rate_changed = rate_ != rate;
      rate = rate_;
    }
    apply_weights(clock_.now_ns());
    return rate_changed;
  };

  // Issues one request; returns false when the balancer had no node for it.
  Rng write_rng(derive_seed(scenario_.seed, writes_stream));
  std::vector<std::uint64_t> write_batch(n, 0);  // replica copies of writes in this batch, per node
  std::uint64_t writes = 0;
  const unsigned quorum = effective_write_quorum(scenario_);
  auto issue = [&](std::int64_t intended_ns, std::uint32_t client) {
    ++issued;
    const std::uint64_t key = keys.next(key_rng);
    std::size_t node;
    if (placement_) {
      const std::uint32_t partition = placement_->partition_of(key);
      if (w.write_fraction > 0 && write_rng.uniform() < w.write_fraction) {
        const auto replicas = placement_->replicas(partition);
        auto* state = new WriteState(intended_ns, client, static_cast<unsigned>(replicas.size()), quorum);
        for (std::uint32_t r : replicas) {
          batches[r].push_back(Request{key, intended_ns, client, 0, state});
          ++dispatched[r];
          ++write_batch[r];
          ++total_in_flight;
        }
        ++writes;
        return true;
      }
      node = set_balancers_[placement_->replica_set(partition)]->pick(PickContext{key, &load});
    } else {
      node = balancer_->pick(PickContext{key, &load});
    }
    if (node == kNoNode) {
      ++unflushed_no_node;
      return false;
    }
    batches[node].push_back(Request{key, intended_ns, client});
    ++dispatched[node];
    ++total_in_flight;
    return true;
  };

  auto outstanding = [&] {
    std::uint64_t finished = 0;
    for (const auto& node : nodes_)
      finished += node->counters().finished();
    std::uint64_t sent = 0;
    for (std::uint64_t d : dispatched) sent += d;
    for (const auto& node : nodes_) sent += node->counters().retried_in.load(std::memory_order_acquire);
    return sent - finished;
  };

  std::uint64_t peak = 0;
  // Publishes the counts before the requests: a reader that sees a request completed must
  // also see it issued.
  auto flush = [&] {
    if (unflushed_no_node) {
      bump(failed_no_node_, unflushed_no_node, std::memory_order_release);
      unflushed_no_node = 0;
    }
    issued_.store(issued, std::memory_order_release);
    writes_issued_.store(writes, std::memory_order_release);
    for (std::size_t i = 0; i < n; ++i) {
      if (batches[i].empty()) continue;
      const std::uint64_t reads = batches[i].size() - write_batch[i];
      if (write_batch[i]) bump(nodes_[i]->counters().write_attempts, write_batch[i], std::memory_order_release);
      write_batch[i] = 0;
      if (reads) bump(nodes_[i]->counters().issued, reads, std::memory_order_release);
      nodes_[i]->submit(batches[i]);
      batches[i].clear();
    }
    total_in_flight = outstanding();
    if (total_in_flight > peak) {
      peak = total_in_flight;
      peak_in_flight_.store(peak, std::memory_order_relaxed);
    }
  };

  auto sleep_until = [&](std::int64_t ns) {
    std::unique_lock lock(wake_mutex_);
    if (ns == std::numeric_limits<std::int64_t>::max()) wake_cv_.wait(lock, [&] { return wake_; });
    else wake_cv_.wait_until(lock, clock_.at(ns), [&] { return wake_; });
    wake_ = false;
  };


  apply_control();
  auto gap_ns = [&] {
    const double mean = 1e9 / rate;
    return w.arrival == Workload::Arrival::poisson ? arrival_rng.exponential(mean) : mean;
  };

  // Waits out a pause and shifts every pending intended time (and the end) by its length.
  auto wait_while_paused = [&] {
    const std::int64_t began = clock_.now_ns();
    {
      std::unique_lock lock(wake_mutex_);
      wake_cv_.wait(lock, [&] { return !paused_.load(std::memory_order_acquire) || stop_.load(std::memory_order_acquire); });
      wake_ = false;
    }
    const std::int64_t paused_for = clock_.now_ns() - began;
    next_ns += static_cast<double>(paused_for);
    last_ns += static_cast<double>(paused_for);
    if (end_ns != std::numeric_limits<std::int64_t>::max()) end_ns += paused_for;
    std::vector<Ready> shifted;
    while (!ready.empty()) shifted.push_back(ready.top()), ready.pop();
    for (auto [at, client] : shifted) ready.emplace(at + paused_for, client);
  };

  while (!stop_.load(std::memory_order_acquire) && issued < limit) {
    if (paused_.load(std::memory_order_acquire)) {
      flush();
      wait_while_paused();
      continue;
    }
    const bool rate_changed = apply_control();
    std::int64_t now = clock_.now_ns();
    health_step(now);
    if (now >= end_ns) break;

    if (w.mode == Workload::Mode::open) {
      // A new rate applies from the last arrival on, not after the old, longer gap.
      if (rate_changed && issued > 0) next_ns = last_ns + gap_ns();
      if (next_ns >= static_cast<double>(end_ns)) break;
      std::size_t count = 0;
      while (next_ns <= static_cast<double>(now) && count < kMaxBatch && issued < limit) {
        issue(static_cast<std::int64_t>(next_ns), kNoClient);
        last_ns = next_ns;
        next_ns += gap_ns();
        ++count;
      }
      flush();
      if (count == kMaxBatch) continue;
      if (issued < limit) sleep_until(static_cast<std::int64_t>(std::min(next_ns, static_cast<double>(end_ns))));
    } else if (w.mode == Workload::Mode::max) {
      const std::uint64_t busy = outstanding();
      if (busy >= w.window) {
        // Nodes are working through a full window: give them the core.
        std::this_thread::sleep_for(std::chrono::microseconds(20));
        continue;
      }
      const std::uint64_t count = std::min<std::uint64_t>({w.window - busy, kMaxBatch, limit - issued});
      for (std::uint64_t k = 0; k < count; ++k) issue(now, kNoClient);
      flush();
    } else {
      {
        std::lock_guard lock(wake_mutex_);
        done.swap(done_clients_);
      }
      for (std::uint32_t c : done) ready.emplace(now + static_cast<std::int64_t>(w.think_ms * 1e6), c);
      done.clear();
      std::size_t count = 0;
      while (!ready.empty() && ready.top().first <= now && count < kMaxBatch && issued < limit) {
        const auto [at, client] = ready.top();
        ready.pop();
        if (!issue(at, client)) ready.emplace(now + std::max<std::int64_t>(static_cast<std::int64_t>(w.think_ms * 1e6), kFailedClientBackoffNs), client);
        ++count;
      }
      flush();
      if (count == kMaxBatch) continue;
      if (issued < limit)
        sleep_until(ready.empty() ? end_ns : std::min(ready.top().first, end_ns));
    }
  }
  flush();
  dispatch_done_.store(true, std::memory_order_release);
}

std::uint64_t Engine::total_in_flight() const {
  std::uint64_t in_flight = 0;
  for (const auto& node : nodes_) {
    const NodeCounters& c = node->counters();
    const std::uint64_t finished = c.finished();
    in_flight += c.arrived() - finished;
  }
  return in_flight;
}

void Engine::collect_loop() {
  const auto interval_ns = static_cast<std::int64_t>(scenario_.interval_ms * 1e6);
  std::int64_t next_tick = interval_ns;
  bool cancelled = false;
  while (true) {
    const bool dispatched_all = dispatch_done_.load(std::memory_order_acquire);
    if (dispatched_all && stop_.load(std::memory_order_acquire) && !cancelled) {
      for (auto& node : nodes_) node->cancel_all();
      cancelled = true;
    }
    const bool over = dispatched_all && total_in_flight() == 0;
    const std::int64_t now = clock_.now_ns();
    apply_due_faults(now);
    if (over || now >= next_tick) {
      const Snapshot snapshot = take_snapshot(over);
      for (const auto& subscriber : subscribers_) subscriber(snapshot);
      if (over) break;
      next_tick += interval_ns;
      if (next_tick <= now) next_tick = now + interval_ns;  // fell behind: skip, don't burst
      continue;
    }
    // Poll briefly once the dispatcher is done so the end of the run is noticed promptly;
    // otherwise sleep to the next tick (a stop request shortens the sleep).
    const std::int64_t until = dispatched_all ? std::min(next_tick, now + 2'000'000) : std::min(next_tick, now + 10'000'000);
    std::this_thread::sleep_until(clock_.at(until));
  }
  const std::int64_t elapsed = clock_.now_ns();
  for (auto& node : nodes_) node->shutdown();
  RunReport report = build_report(elapsed);
  {
    std::lock_guard lock(finish_mutex_);
    report_ = std::move(report);
    finished_ = true;
  }
  finish_cv_.notify_all();
}

void Engine::set_replica_weights(const std::vector<double>& weights) {
  for (std::size_t set = 0; set < set_balancers_.size(); ++set) {
    std::vector<double> masked(weights.size(), 0.0);
    for (std::uint32_t node : placement_->set_members(static_cast<std::uint32_t>(set))) masked[node] = weights[node];
    set_balancers_[set]->set_weights(masked);
  }
}

void Engine::apply_due_faults(std::int64_t now_ns) {
  for (; next_fault_ < faults_.size() && static_cast<std::int64_t>(faults_[next_fault_].at_s * 1e9) <= now_ns; ++next_fault_) {
    const FaultEvent& f = faults_[next_fault_];
    switch (f.action) {
      case FaultEvent::Action::kill: nodes_[f.node]->kill(); break;
      case FaultEvent::Action::revive: nodes_[f.node]->revive(); break;
      case FaultEvent::Action::speed: nodes_[f.node]->set_speed(f.speed); break;
      case FaultEvent::Action::spikes: nodes_[f.node]->set_spikes(f.probability, f.extra_us); break;
    }
  }
}

bool Engine::retry_elsewhere(const Request& failed, std::size_t from) {
  const RetryPolicy& policy = scenario_.retry;
  if (failed.retries >= policy.max_retries) return false;
  // A node other than the one that failed, that health checking lets the balancer pick; the
  // start of the search is a hash, so concurrent node threads need no shared random state.
  const std::size_t n = nodes_.size();
  const std::size_t start = static_cast<std::size_t>(mix64(failed.key, failed.retries * 1'000'003ULL + from) % n);
  std::size_t target = n;
  const std::uint32_t partition = placement_ ? placement_->partition_of(failed.key) : 0;
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t i = (start + k) % n;
    if (i != from && in_rotation_[i].load(std::memory_order_acquire) &&
        (!placement_ || placement_->holds(static_cast<std::uint32_t>(i), partition))) {
      target = i;
      break;
    }
  }
  if (target == n) return false;
  // The budget: retries so far < budget × issued so far + floor.
  const double allowed = policy.budget * static_cast<double>(issued_.load(std::memory_order_acquire)) + policy.min_retries;
  std::uint64_t done = retries_.load(std::memory_order_relaxed);
  do {
    if (static_cast<double>(done + 1) > allowed) {
      retries_denied_.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
  } while (!retries_.compare_exchange_weak(done, done + 1, std::memory_order_relaxed));
  Request again = failed;
  ++again.retries;
  nodes_[target]->counters().retried_in.fetch_add(1, std::memory_order_release);
  nodes_[target]->submit(std::span<const Request>(&again, 1));
  return true;
}

void Engine::kill(std::size_t node) {
  check_node(node);
  nodes_[node]->kill();
}

void Engine::revive(std::size_t node) {
  check_node(node);
  nodes_[node]->revive();
}

void Engine::set_spikes(std::size_t node, double probability, double extra_us) {
  check_node(node);
  if (!std::isfinite(probability) || probability < 0 || probability > 1)
    throw std::invalid_argument(fmt::format("spike probability must be from 0 to 1 (got {})", probability));
  if (!std::isfinite(extra_us) || extra_us < 0 || extra_us > 60e6)
    throw std::invalid_argument(fmt::format("spike duration must be from 0 to 60000000 us (got {})", extra_us));
  nodes_[node]->set_spikes(probability, extra_us);
}

bool Engine::node_up(std::size_t node) const { return nodes_.at(node)->up(); }
bool Engine::node_available(std::size_t node) const { return available_[node].load(std::memory_order_acquire); }

std::vector<double> Engine::expected_for_availability(const std::vector<double>& weights) {
  std::vector<double> masked = weights;
  bool all = true;
  for (std::size_t i = 0; i < masked.size(); ++i)
    if (!available_[i].load(std::memory_order_acquire)) masked[i] = 0, all = false;
  if (all) return expected_shares_now();
  if (masked == masked_weights_) return masked_expected_;  // key ownership is costly to recompute
  masked_weights_ = masked;
  bool any = false;
  for (double w : masked) any = any || w > 0;
  masked_expected_ = any ? compute_expected(masked) : std::vector<double>(masked.size(), 0.0);
  return masked_expected_;
}

double Engine::load_per_weight(double requests, double weight) const {
  return balancer_->honours_weights() ? requests / weight : requests;
}

Snapshot Engine::take_snapshot(bool final) {
  const std::int64_t now = clock_.now_ns();
  Snapshot s;
  s.t_ms = now / 1'000'000;
  s.interval_s = static_cast<double>(now - previous_ns_) / 1e9;
  s.final = final;
  const std::vector<double> weights = this->weights();
  {
    std::lock_guard lock(control_mutex_);
    s.target_rate = scenario_.workload.mode == Workload::Mode::open ? rate_ : 0.0;
  }
  const std::vector<double> shares = expected_for_availability(weights);
  merged_.clear();
  s.nodes.resize(nodes_.size());
  // Two passes: every node's finished counts first, then every node's arrivals (see
  // node_counters.h). A request that moves between nodes (a retry) is counted in at its new
  // node before it is counted out at the old one, so reading all the "out" side first means
  // no request is ever missing from the snapshot, whichever nodes it moved between.
  struct Finished {
    std::uint64_t reads_completed, cancelled, writes_no_quorum, writes_cancelled, write_copies_done;
  };
  std::vector<Finished> finished(nodes_.size());
  std::uint64_t interval_sum_ns = 0;
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    const NodeCounters& c = nodes_[i]->counters();
    NodeSample& n = s.nodes[i];
    Finished& f = finished[i];
    f.reads_completed = c.completed.load(std::memory_order_acquire);
    f.cancelled = c.failed_cancelled.load(std::memory_order_acquire);
    n.failed_down = c.failed_down.load(std::memory_order_acquire);
    n.failed = f.cancelled + n.failed_down;
    n.writes_completed = c.writes_completed.load(std::memory_order_acquire);
    f.writes_no_quorum = c.writes_failed_quorum.load(std::memory_order_acquire);
    f.writes_cancelled = c.writes_failed_cancelled.load(std::memory_order_acquire);
    f.write_copies_done = c.write_acks.load(std::memory_order_acquire) +
                          c.write_attempts_down.load(std::memory_order_acquire) +
                          c.write_attempts_cancelled.load(std::memory_order_acquire);
    n.retried_out = c.retried_out.load(std::memory_order_acquire);
  }
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    const NodeCounters& c = nodes_[i]->counters();
    NodeSample& n = s.nodes[i];
    const Finished& f = finished[i];
    n.hits = c.hits.load(std::memory_order_relaxed);
    n.misses = c.misses.load(std::memory_order_relaxed);
    n.queue_length = c.queue_length.load(std::memory_order_relaxed);
    n.in_service = c.in_service.load(std::memory_order_relaxed);
    n.issued = c.issued.load(std::memory_order_acquire);
    n.retried_in = c.retried_in.load(std::memory_order_acquire);
    const std::uint64_t write_copies = c.write_attempts.load(std::memory_order_acquire);
    // A retry counted in here may not yet be counted out at its old node: for that moment it
    // is in flight at both, which the cluster figures below do not double count.
    n.in_flight = n.issued + n.retried_in + write_copies - f.reads_completed - n.failed - n.retried_out -
                  f.write_copies_done;
    n.completed = f.reads_completed + n.writes_completed;  // reads served here, and writes it decided
    n.weight = weights[i];
    n.expected_share = shares[i];
    n.up = nodes_[i]->up();
    n.available = available_[i].load(std::memory_order_acquire);
    const NodeSample& prev = previous_samples_[i];
    n.interval_completed = n.completed - prev.completed;
    n.interval_hits = n.hits - prev.hits;
    n.interval_misses = n.misses - prev.misses;
    n.rps = s.interval_s > 0 ? static_cast<double>(n.interval_completed) / s.interval_s : 0.0;
    // Sum and histogram are read one after the other without a lock: at the interval's edge
    // the mean may count a request or two in one interval that the histogram puts in the next.
    n.latency_sum_ns = c.latency_sum_ns.load(std::memory_order_relaxed);
    c.latency.read_into(current_[i]);
    interval_.assign_difference(current_[i], previous_[i]);
    std::swap(current_[i], previous_[i]);
    merged_.merge(interval_);
    const std::uint64_t interval_sum = n.latency_sum_ns - prev.latency_sum_ns;
    interval_sum_ns += interval_sum;
    if (interval_.count() > 0) {
      const auto q = interval_.quantiles({0.5, 0.95, 0.99});
      n.p50_us = us(q[0]), n.p95_us = us(q[1]), n.p99_us = us(q[2]);
      n.mean_us = us(static_cast<double>(interval_sum) / static_cast<double>(interval_.count()));
    } else {
      n.p50_us = n.p95_us = n.p99_us = n.mean_us = kNaN;
    }
    s.completed += n.completed;
    s.failed.cancelled += f.cancelled + f.writes_cancelled;
    s.failed.node_down += n.failed_down;
    s.failed.no_quorum += f.writes_no_quorum;
    s.issued += n.issued;
    s.rps += n.rps;
  }
  s.failed.no_node = failed_no_node_.load(std::memory_order_acquire);
  s.issued += s.failed.no_node + writes_issued_.load(std::memory_order_acquire);
  s.retries = retries_.load(std::memory_order_relaxed);
  // Every request issued is completed, failed for good, or in flight (counted once, even
  // while a retry moves between nodes).
  s.in_flight = s.issued - s.completed - s.failed.total();
  std::vector<double> loads;
  for (std::size_t i = 0; i < nodes_.size(); ++i)
    if (weights[i] > 0) loads.push_back(load_per_weight(static_cast<double>(s.nodes[i].interval_completed), weights[i]));
  s.imbalance = imbalance(loads);
  if (merged_.count() > 0) {
    const auto q = merged_.quantiles({0.5, 0.95, 0.99});
    s.p50_us = us(q[0]), s.p95_us = us(q[1]), s.p99_us = us(q[2]);
    s.mean_us = us(static_cast<double>(interval_sum_ns) / static_cast<double>(merged_.count()));
  } else {
    s.p50_us = s.p95_us = s.p99_us = s.mean_us = kNaN;
  }
  previous_samples_ = s.nodes;
  previous_ns_ = now;
  return s;
}

RunReport Engine::build_report(std::int64_t elapsed_ns) const {
  RunReport r;
  r.scenario = scenario_.name;
  r.balancer = scenario_.balancer;
  r.cache_policy = scenario_.cache_policy;
  if (placement_)
    r.placement = fmt::format("{} partitions ({}), R={}, W={}, {:.0f}% writes", to_string(scenario_.partitioning.kind),
                              placement_->partition_count(), effective_replication(scenario_),
                              effective_write_quorum(scenario_), 100 * scenario_.workload.write_fraction);
  r.seed = scenario_.seed;
  r.elapsed_s = static_cast<double>(elapsed_ns) / 1e9;
  r.stopped_early = stop_.load();
  r.issued = issued_.load(std::memory_order_acquire);
  r.failed.no_node = failed_no_node_.load(std::memory_order_acquire);
  r.peak_in_flight = peak_in_flight_.load(std::memory_order_relaxed);
  r.retries = retries_.load(std::memory_order_relaxed);
  const std::vector<double> weights = this->weights();
  const std::vector<double> shares = expected_shares_now();
  Histogram all, one;
  std::uint64_t max_ns = 0, sum_ns = 0;
  auto fill_latency = [](NodeSummary& s, const Histogram& h, std::uint64_t sum, std::uint64_t max) {
    if (h.count() == 0) {
      s.mean_us = s.p50_us = s.p95_us = s.p99_us = s.max_us = kNaN;
      return;
    }
    const auto q = h.quantiles({0.5, 0.95, 0.99});
    s.mean_us = us(static_cast<double>(sum) / static_cast<double>(h.count()));
    s.p50_us = us(q[0]), s.p95_us = us(q[1]), s.p99_us = us(q[2]);
    s.max_us = us(static_cast<double>(max));
  };
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    const NodeCounters& c = nodes_[i]->counters();
    NodeSummary s;
    s.name = scenario_.nodes[i].name;
    s.weight = weights[i];
    s.expected_share = shares[i];
    s.requests = c.completed.load() + c.writes_completed.load();
    const std::uint64_t cancelled = c.failed_cancelled.load() + c.writes_failed_cancelled.load();
    const std::uint64_t no_quorum = c.writes_failed_quorum.load();
    s.failed_down = c.failed_down.load();
    s.failed = cancelled + s.failed_down + no_quorum;
    s.failed_cancelled = cancelled;
    s.failed_no_quorum = no_quorum;
    s.hits = c.hits.load();
    s.misses = c.misses.load();
    if (placement_) {
      s.partitions = partitions_held_[i];
      s.key_share = key_share_held_[i];
    }
    s.hit_ratio = s.hits + s.misses > 0 ? static_cast<double>(s.hits) / static_cast<double>(s.hits + s.misses) : kNaN;
    c.latency.read_into(one);
    const std::uint64_t node_max = c.latency_max_ns.load();
    const std::uint64_t node_sum = c.latency_sum_ns.load();
    fill_latency(s, one, node_sum, node_max);
    all.merge(one);
    max_ns = std::max(max_ns, node_max);
    sum_ns += node_sum;
    r.completed += s.requests;
    r.failed.cancelled += cancelled;
    r.failed.node_down += s.failed_down;
    r.failed.no_quorum += no_quorum;
    r.total.hits += s.hits;
    r.total.misses += s.misses;
    r.nodes.push_back(std::move(s));
  }
  // Every request issued is completed or failed for good once the run is over.
  r.in_flight = r.issued - std::min(r.issued, r.completed + r.failed.total());
  for (NodeSummary& s : r.nodes)
    s.share = r.completed > 0 ? static_cast<double>(s.requests) / static_cast<double>(r.completed) : 0.0;
  r.total.name = "total";
  r.total.weight = 0;
  for (double w : weights) r.total.weight += w;
  std::vector<double> loads;
  for (std::size_t i = 0; i < nodes_.size(); ++i)
    if (weights[i] > 0) loads.push_back(load_per_weight(static_cast<double>(r.nodes[i].requests), weights[i]));
  r.imbalance = imbalance(loads);
  r.honours_weights = balancer_->honours_weights();
  r.total.expected_share = std::isnan(shares.empty() ? kNaN : shares[0]) ? kNaN : 1.0;
  r.total.requests = r.completed;
  r.total.share = r.completed > 0 ? 1.0 : 0.0;
  r.total.failed = r.failed.total();
  r.total.failed_down = r.failed.node_down;
  r.total.failed_cancelled = r.failed.cancelled;
  r.total.failed_no_quorum = r.failed.no_quorum;
  r.total.failed_no_node = r.failed.no_node;
  const std::uint64_t accesses = r.total.hits + r.total.misses;
  r.total.hit_ratio = accesses > 0 ? static_cast<double>(r.total.hits) / static_cast<double>(accesses) : kNaN;
  fill_latency(r.total, all, sum_ns, max_ns);
  {
    std::lock_guard lock(control_mutex_);
    r.target_rate = scenario_.workload.mode == Workload::Mode::open ? rate_ : 0.0;
  }
  r.achieved_rps = r.elapsed_s > 0 ? static_cast<double>(r.completed) / r.elapsed_s : 0.0;
  return r;
}

}  // namespace loadlab
