#include "run_controller.h"

#include <QTimer>
#include <algorithm>
#include <cmath>

#include "engine/engine.h"
#include "sim/simulator.h"

namespace loadlab::ui {

RunController::RunController(QObject* parent)
    : QObject(parent), feed_(std::make_shared<SnapshotFeed>()), step_pending_(std::make_shared<std::atomic<bool>>()) {}

RunController::~RunController() { stop_run(); }

void RunController::set_scenario(Scenario scenario) {
  stop_run();
  scenario_ = std::move(scenario);
  history_.clear();
  killed_.clear();
  sick_.clear();
  unlimited_chosen_ = false;
  fit_node_faults();
  state_ = State::idle;
  Q_EMIT state_changed();
}

Scenario RunController::run_scenario() const {
  Scenario s = scenario_;
  // The window runs until paused or reset, whatever end the file gives for the CLI.
  s.workload.requests = 0;
  s.workload.duration_s = 0;
  s.clock = virtual_clock_ ? Scenario::Clock::virtual_time : Scenario::Clock::real;
  s.queue.limit = queue_limit();  // nodes with their own bound keep it (NodeSpec::queue)
  if (slow_motion_) {
    // Every clock in the model ten times slower: arrivals, thinking, service, scheduled speed
    // changes and spikes, and the times a request is willing to wait (each kept within what
    // validation accepts).
    const auto stretch = [](double ms, double max) { return std::isinf(ms) ? ms : std::min(ms * kSlowMotion, max); };
    s.workload.rate /= kSlowMotion;
    s.workload.think_ms = stretch(s.workload.think_ms, 3'600'000);
    for (NodeSpec& n : s.nodes) {
      n.speed /= kSlowMotion;
      if (n.queue.timeout_ms) n.queue.timeout_ms = stretch(*n.queue.timeout_ms, kMaxQueueTimeoutMs);
    }
    s.queue.timeout_ms = stretch(s.queue.timeout_ms, kMaxQueueTimeoutMs);
    if (s.has_deadline()) s.deadline_ms = stretch(s.deadline_ms, kMaxQueueTimeoutMs);
    for (FaultEvent& f : s.faults) {
      if (f.action == FaultEvent::Action::speed) f.speed /= kSlowMotion;
      if (f.action == FaultEvent::Action::spikes) f.extra_us = std::min(f.extra_us * kSlowMotion, 60e6);
    }
  }
  return s;
}

void RunController::start() { start_run(false); }

void RunController::start_run(bool paused) {
  if (state_ == State::paused && run_) {
    step_pending_->store(false);
    real_step_ = false;
    run_->resume();
    state_ = State::running;
    Q_EMIT state_changed();
    return;
  }
  if (state_ == State::running) return;
  stop_run();
  history_.clear();
  fit_node_faults();
  if (virtual_clock_) {
    auto sim = std::make_unique<Simulator>(run_scenario());
    sim->set_pace(pace_);
    run_ = std::move(sim);
  } else {
    run_ = std::make_unique<Engine>(run_scenario());
  }
  feed_->take();
  // A fresh tap for each run, sampling from its first request: the flow view reads the new
  // run's requests, not the old one's.
  flow_tap_ = std::make_shared<FlowTap>(run_->scenario().nodes.size());
  flow_tap_->set_every(flow_every_);
  run_->attach_flow_tap(flow_tap_);
  step_pending_->store(false);
  // On the run's own thread: hand the snapshot over, and end a step on the virtual clock
  // after exactly the interval it asked for (the UI's tick could be thousands late).
  Run* run = run_.get();
  run_->subscribe([feed = feed_, step = step_pending_, run](const Snapshot& s) {
    feed->push(s);
    if (step->exchange(false)) run->pause();
  });
  // Before the run's clock starts: the user's faults from its first moment, and a restart of
  // a paused run restarts paused, not after a moment of running.
  apply_node_faults();
  if (paused) run_->pause();
  run_->start();
  state_ = paused ? State::paused : State::running;
  Q_EMIT state_changed();
}

void RunController::pause() {
  if (state_ != State::running || !run_) return;
  run_->pause();
  state_ = State::paused;
  Q_EMIT state_changed();
}

void RunController::step() {
  if (state_ != State::paused || !run_ || stepping()) return;
  stepped_ = true;
  if (virtual_clock_) {
    step_pending_->store(true);  // the subscriber pauses at the next snapshot
    run_->resume();
  } else {
    // The real clock keeps publishing while paused (the queues drain), so a snapshot cannot
    // end the step: one interval of wall time is the step.
    real_step_ = true;
    run_->resume();
    const Run* stepped_run = run_.get();
    QTimer::singleShot(static_cast<int>(scenario_.interval_ms), this, [this, stepped_run] {
      if (run_.get() != stepped_run || !real_step_) return;
      if (state_ == State::paused) run_->pause();
      real_step_ = stepped_ = false;
      Q_EMIT state_changed();
    });
  }
  Q_EMIT state_changed();
}

void RunController::reset() {
  stop_run();
  history_.clear();
  std::fill(killed_.begin(), killed_.end(), false);
  state_ = State::idle;
  Q_EMIT state_changed();
}

void RunController::restart() {
  if (state_ == State::idle) return;
  const bool was_paused = state_ == State::paused;
  stop_run();
  state_ = State::idle;
  start_run(was_paused);
}

void RunController::set_flow_sampling(std::uint64_t every) {
  flow_every_ = every;
  if (flow_tap_) flow_tap_->set_every(every);
}

void RunController::stop_run() {
  if (!run_) return;
  run_->request_stop();
  run_.reset();  // joins the run's threads
  feed_->take();
  step_pending_->store(false);
  stepped_ = real_step_ = false;
}

bool RunController::set_clock(bool virtual_clock, double pace) {
  const bool was_virtual = virtual_clock_;
  virtual_clock_ = virtual_clock;
  pace_ = pace;
  scenario_.clock = virtual_clock ? Scenario::Clock::virtual_time : Scenario::Clock::real;
  if (auto* sim = dynamic_cast<Simulator*>(run_.get()); sim && was_virtual && virtual_clock) {
    sim->set_pace(pace);
    return true;
  }
  return false;
}

void RunController::set_slow_motion(bool slow) {
  if (slow == slow_motion_) return;
  const double f = slow ? 1 / kSlowMotion : 1.0;
  const Workload& w = scenario_.workload;
  // Checked before anything changes, so a refused value leaves the run as it was.
  if (w.mode == Workload::Mode::closed) check_think_time(std::min(w.think_ms / f, 3'600'000.0));
  slow_motion_ = slow;
  if (!run_) return;
  if (w.mode == Workload::Mode::open) run_->set_rate(w.rate * f);
  if (w.mode == Workload::Mode::closed) run_->set_think_time(std::min(w.think_ms / f, 3'600'000.0));
  // Live: rate, think time, the nodes' speeds and the sick nodes' spikes. A queue timeout and
  // a deadline are the run's settings: they follow at the next start.
  for (std::size_t i = 0; i < scenario_.nodes.size(); ++i) {
    run_->set_speed(i, scenario_.nodes[i].speed * f);
    if (sick(i)) run_->set_spikes(i, kSickProbability, kSickExtraUs / f);
  }
}

std::uint64_t RunController::queue_limit() const {
  if (scenario_.queue.limited() || unlimited_chosen_) return scenario_.queue.limit;
  return kDefaultQueueLimit;
}

void RunController::set_queue_limit(std::uint64_t limit) {
  scenario_.queue.limit = limit;
  unlimited_chosen_ = limit == QueuePolicy::kUnlimited;
}

bool RunController::take_snapshots() {
  std::vector<Snapshot> fresh = feed_->take();
  for (Snapshot& s : fresh) history_.add(std::move(s));
  if (stepped_ && virtual_clock_ && !stepping()) {  // the subscriber ended the step
    stepped_ = false;
    Q_EMIT state_changed();
  }
  return !fresh.empty();
}

std::vector<Histogram> RunController::latency_histograms() const {
  std::vector<Histogram> out;
  if (!run_) return out;
  for (std::size_t i = 0; i < run_->scenario().nodes.size(); ++i) out.push_back(run_->node_latency_histogram(i));
  return out;
}

void RunController::set_weight(std::size_t node, double weight) {
  check_node_index(node, scenario_.nodes.size());
  std::vector<double> weights;
  for (const NodeSpec& n : scenario_.nodes) weights.push_back(n.weight);
  weights[node] = weight;
  check_weights(weights, scenario_);
  if (run_) run_->set_weight(node, weight);
  scenario_.nodes[node].weight = weight;
}

void RunController::set_speed(std::size_t node, double speed) {
  check_node_index(node, scenario_.nodes.size());
  check_speed(speed);
  if (run_) run_->set_speed(node, slow_motion_ ? speed / kSlowMotion : speed);
  scenario_.nodes[node].speed = speed;
}

void RunController::set_cache_capacity(std::size_t node, std::size_t objects) {
  check_node_index(node, scenario_.nodes.size());
  check_cache_capacity(objects);
  if (run_) run_->set_cache_capacity(node, objects);
  scenario_.nodes[node].cache_capacity = objects;
}

void RunController::set_rate(double rate) {
  check_rate(rate);
  if (run_) run_->set_rate(slow_motion_ ? rate / kSlowMotion : rate);
  scenario_.workload.rate = rate;
}

bool RunController::set_killed(std::size_t node, bool killed) {
  check_node_index(node, scenario_.nodes.size());
  if (!run_) return false;
  fit_node_faults();
  if (killed)
    run_->kill(node);
  else
    run_->revive(node);
  killed_[node] = killed;
  return true;
}

void RunController::set_sick(std::size_t node, bool sick) {
  check_node_index(node, scenario_.nodes.size());
  fit_node_faults();
  sick_[node] = sick;
  if (run_) run_->set_spikes(node, sick ? kSickProbability : 0.0, kSickExtraUs * (slow_motion_ ? kSlowMotion : 1.0));
}

void RunController::fit_node_faults() {
  killed_.resize(scenario_.nodes.size(), false);
  sick_.resize(scenario_.nodes.size(), false);
}

void RunController::apply_node_faults() {
  for (std::size_t i = 0; i < scenario_.nodes.size(); ++i) {
    if (sick_[i]) run_->set_spikes(i, kSickProbability, kSickExtraUs * (slow_motion_ ? kSlowMotion : 1.0));
    if (killed_[i]) run_->kill(i);
  }
}

}  // namespace loadlab::ui
