#pragma once
// The run behind the window: it owns the scenario being edited, the Run (on whichever clock),
// the feed its snapshots arrive through, the history the charts draw, pause / step / slow
// motion, and the faults the user set on nodes (killed, sick), which a restart re-applies so
// the node table never shows a state the run does not have. No widgets: the window shows
// what it holds and turns the user's gestures into its calls.
#include <QObject>
#include <atomic>
#include <memory>
#include <vector>

#include "model/flow_tap.h"
#include "run/run.h"
#include "run_history.h"
#include "scenario/scenario.h"
#include "snapshot_feed.h"

namespace loadlab::ui {

class RunController : public QObject {
  Q_OBJECT
 public:
  enum class State { idle, running, paused };
  static constexpr double kSlowMotion = 10;  // slow motion stretches time tenfold
  // A sick node: this share of its requests take this much longer.
  static constexpr double kSickProbability = 0.05, kSickExtraUs = 20'000;
  // The window's per-node queue bound where the scenario sets none: far above what a queue
  // holds below saturation (at rho = 0.95 an M/M/1 queue passes 200 with probability 3e-5),
  // so it changes nothing there, and past saturation it keeps a preset left running on a
  // projector from growing its memory without end. The excess fails as queue_full.
  static constexpr std::uint64_t kDefaultQueueLimit = 10'000;

  explicit RunController(QObject* parent = nullptr);
  ~RunController() override;

  const Scenario& scenario() const { return scenario_; }
  // For edits that take effect at the next (re)start: balancer, cache policy, key skew, the
  // node list. Live edits go through the setters below.
  Scenario& edit_scenario() { return scenario_; }
  // Stops the run and clears the history and the node faults.
  void set_scenario(Scenario scenario);

  // From idle: a fresh, identically seeded run (throws std::exception when the scenario
  // cannot run); from paused: resume.
  void start();
  void pause();
  // While paused: run exactly one interval of the run's own clock, then pause again.
  void step();
  bool stepping() const { return step_pending_->load() || real_step_; }
  // Stop and clear; the next start begins a fresh run with every node healthy (sick nodes
  // stay sick: that is a setting, shown by its button).
  void reset();
  // The same seed again after an edit of the scenario, with the node faults re-applied;
  // a paused run restarts paused. Nothing happens while idle.
  void restart();
  State state() const { return state_; }
  Run* run() const { return run_.get(); }

  // The clock of the next run: 0 real threads; else the virtual clock at this pace (virtual
  // seconds per real second, 0 as fast as possible). True when the running run took the new
  // pace live (virtual to virtual); false when a restart is needed for it to apply.
  bool set_clock(bool virtual_clock, double pace);
  bool slow_motion() const { return slow_motion_; }
  // Stretches time live: arrivals, think times and service all ten times slower (or back).
  void set_slow_motion(bool slow);

  // The cluster's queue bound as the window's runs get it: the scenario's own, or
  // kDefaultQueueLimit where the scenario has none (QueuePolicy::kUnlimited once the user
  // chose unlimited).
  std::uint64_t queue_limit() const;
  // Takes effect at the next (re)start; kUnlimited turns the window's default off.
  void set_queue_limit(std::uint64_t limit);

  // The running run's sample of requests for the flow view (null before the first run), and
  // how it samples: one request in `every`, 0 none. Kept for the runs that follow.
  FlowTap* flow_tap() const { return flow_tap_.get(); }
  void set_flow_sampling(std::uint64_t every);

  // Moves what the run published into the history; true when anything arrived.
  bool take_snapshots();
  const RunHistory& history() const { return history_; }
  // Each node's latency since the run started (empty with no run).
  std::vector<Histogram> latency_histograms() const;

  // Live edits: applied to the run (scaled for slow motion) and kept in the scenario. They
  // throw std::invalid_argument naming the value the run rejects, and then change nothing.
  void set_weight(std::size_t node, double weight);
  void set_speed(std::size_t node, double speed);
  void set_cache_capacity(std::size_t node, std::size_t objects);
  void set_rate(double rate);
  // Kill or revive a node of the running run (returns false, changing nothing, with no run).
  bool set_killed(std::size_t node, bool killed);
  bool killed(std::size_t node) const { return node < killed_.size() && killed_[node]; }
  // Sick now if running, and from the start of every run until made well.
  void set_sick(std::size_t node, bool sick);
  bool sick(std::size_t node) const { return node < sick_.size() && sick_[node]; }

 Q_SIGNALS:
  // The state changed, or a step finished.
  void state_changed();

 private:
  Scenario run_scenario() const;  // as the run gets it: no end, slowed in slow motion
  void start_run(bool paused);
  void stop_run();
  void apply_node_faults();
  void fit_node_faults();  // the fault lists follow the node count

  Scenario scenario_;
  std::unique_ptr<Run> run_;
  std::shared_ptr<SnapshotFeed> feed_;
  std::shared_ptr<FlowTap> flow_tap_;
  std::uint64_t flow_every_ = 0;
  // Shared with the run's subscriber, which pauses the run after the interval a step asked for.
  std::shared_ptr<std::atomic<bool>> step_pending_;
  bool stepped_ = false;    // a step was asked for and has not been seen to end
  bool real_step_ = false;  // a step on the real clock, ended by a timer
  RunHistory history_;
  State state_ = State::idle;
  bool slow_motion_ = false;
  bool virtual_clock_ = false;
  double pace_ = 1;
  std::vector<bool> killed_, sick_;
  bool unlimited_chosen_ = false;  // the user turned the window's default queue bound off
};

}  // namespace loadlab::ui
