#pragma once
// Requests in motion: clients on the left, the balancer in the middle, one box per node on
// the right with its queue (squares) and slots (circles), and the backing store beyond. Each
// dot is a real request the run sampled (model/flow_tap.h) on the path the engine gave it:
// to its node, waiting, served (a hit flashes green; a miss goes on to the backing store and
// back), back to the client, or red where it failed; a killed node is grey. The sampling is
// tuned live to keep a few dozen new dots a second on screen whatever the rate (slow motion
// shows every request of a slow run). Beyond 16 nodes the dots give way to arrows whose
// thickness follows each node's rate.
#include <QElapsedTimer>
#include <QWidget>
#include <deque>
#include <vector>

#include "flow_state.h"
#include "metrics/snapshot.h"
#include "model/flow_tap.h"

namespace loadlab::ui {

class FlowView : public QWidget {
  Q_OBJECT
 public:
  static constexpr std::size_t kDotNodes = 16;   // above: aggregate arrows
  static constexpr double kTargetArrivals = 30;  // new dots a second

  explicit FlowView(QWidget* parent = nullptr);

  void set_cluster(const std::vector<QString>& names, const std::vector<QColor>& colors, const QString& balancer,
                   const QString& cache);
  // The balancer's name in its box (it changes without the cluster changing).
  void set_balancer(const QString& balancer) { balancer_ = balancer; }
  // Shown or hidden: a hidden view samples nothing, so it costs the run nothing.
  void set_active(bool active) { active_ = active; }
  bool active() const { return active_; }
  // One tick: the run's tap (null without a run) and the kept snapshots.
  void update_from(FlowTap* tap, const std::deque<Snapshot>& snapshots);
  // What the run should sample: one request in sampling(), 0 while the view is hidden (or
  // shows arrows only). The window hands it to the run.
  std::uint64_t sampling() const { return active_ && !aggregate() ? every_ : 0; }
  // A fixed one in `every` (tests, and a lecturer who wants every request); 0: tuned live.
  void set_fixed_sampling(std::uint64_t every) { fixed_every_ = every, every_ = every ? every : every_; }
  void set_fonts(const QFont& font);

  const FlowState& state() const { return state_; }
  bool aggregate() const { return names_.size() > kDotNodes; }

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  double now_s() const { return static_cast<double>(clock_.nsecsElapsed()) / 1e9; }
  void tune();

  std::vector<QString> names_;
  std::vector<QColor> colors_;
  QString balancer_, cache_;
  FlowState state_;
  FlowTap* tap_ = nullptr;  // the tap the state was built from; a new run brings a new one
  std::uint64_t every_ = 16;
  double tuned_s_ = 0;  // when the sampling was last tuned
  std::uint64_t fixed_every_ = 0;
  bool active_ = false;
  Snapshot latest_;
  double offered_rps_ = 0;
  QElapsedTimer clock_;
};

}  // namespace loadlab::ui
