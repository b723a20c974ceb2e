#pragma once
// The workbench window: a play area of live charts (per-node rate with theory's marker, hit
// ratio, latency percentiles, in flight) beside a control panel (node table, balancer,
// cache, rate, skew) and the preset's explanation. The engine runs on its own threads and
// never waits for the window: snapshots arrive through a SnapshotFeed that the window drains
// at its own tick into a bounded RunHistory.
#include <QMainWindow>
#include <QStringList>
#include <memory>
#include <vector>

#include "run/run.h"
#include "run_history.h"
#include "scenario/scenario.h"
#include "snapshot_feed.h"

class QAction;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QMenu;
class QTextBrowser;
class QTimer;

namespace loadlab::ui {

class NodeTable;
class ShareBars;
class TimeChart;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  enum class State { idle, running, paused };
  static constexpr int kTickMs = 100;
  static constexpr std::size_t kChartSnapshots = 600;  // 60 s at the default interval

  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  // Presets shipped in the resources (file names without .json), in menu order.
  static QStringList preset_names();
  bool open_preset(const QString& name);
  // Opens a scenario file; on error shows the message in the window and keeps the current one.
  bool open_file(const QString& path);
  void set_scenario(Scenario scenario, const QString& origin);

  void start();  // from idle: a fresh run; from paused: resume
  void pause();
  void step();   // while paused: run one interval, then pause again
  void reset();  // stop and clear; the next start begins a fresh, identically seeded run
  void set_slow_motion(bool slow);

  bool export_csv(const QString& directory);
  bool export_png(const QString& file);
  bool save_scenario(const QString& file);

  // For tests and --stats.
  State state() const { return state_; }
  Run* engine() const { return engine_.get(); }
  // The clock of the next run: 0 real threads; else virtual, played at 1×, 10×, 100× or as
  // fast as possible (kClockChoices).
  void set_clock_choice(int index);
  int clock_choice() const;
  const Scenario& scenario() const { return scenario_; }
  const RunHistory& history() const { return history_; }
  NodeTable* node_table() const { return table_; }
  ShareBars* share_bars() const { return bars_; }
  TimeChart* hit_chart() const { return hit_chart_; }
  TimeChart* latency_chart() const { return latency_chart_; }
  TimeChart* in_flight_chart() const { return in_flight_chart_; }
  // "Press Start (Space)...": shown only while there is no run (idle), hidden once one starts.
  QLabel* start_hint() const { return start_hint_; }
  QString message() const;
  struct TickStats {
    std::size_t ticks = 0;
    double mean_ms = 0, max_ms = 0;
  };
  TickStats tick_stats() const;
  void set_force_repaint(bool force) { force_repaint_ = force; }
  void tick();  // drain the feed and redraw (the timer calls this every kTickMs)

 protected:
  void closeEvent(QCloseEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  void build_actions();
  void build_controls();
  void build_charts();
  void restore_settings();
  void remember_file(const QString& path);
  void rebuild_recent_menu();
  void show_message(const QString& text, bool error);
  void restart_if_running(const QString& why);
  void stop_engine();
  void refresh_controls();
  void redraw();
  void update_actions();
  void apply_dark(bool dark);
  void apply_font_scale(double scale);
  Scenario run_scenario() const;  // the scenario as the engine runs it (no end, slow motion)

  void on_weight(std::size_t node, double weight);
  void on_speed(std::size_t node, double speed);
  void on_cache(std::size_t node, std::size_t objects);
  void on_kill(std::size_t node, bool kill);
  void on_sick(std::size_t node, bool sick);

  Scenario scenario_;
  QString origin_;               // preset name or file the scenario came from
  std::unique_ptr<Run> engine_;  // the run, on whichever clock
  std::shared_ptr<SnapshotFeed> feed_;
  RunHistory history_;
  State state_ = State::idle;
  bool slow_motion_ = false;
  bool force_repaint_ = false;
  std::vector<double> tick_ms_;

  QTimer* tick_timer_;
  ShareBars* bars_;
  TimeChart* hit_chart_;
  TimeChart* latency_chart_;
  TimeChart* in_flight_chart_;
  NodeTable* table_;
  QTextBrowser* about_;
  QLabel* start_hint_;
  QLabel* banner_;
  QLabel* status_rate_;
  QLabel* status_requests_;
  QLabel* status_time_;
  QLabel* status_balance_;
  QString keys_moved_;  // for hashing balancers: what a node leaving would move
  void update_hit_model();
  void update_latency_model(std::size_t from_snapshot);
  bool hit_model_dirty_ = false;
  QComboBox* balancer_box_;
  QComboBox* cache_box_;
  QComboBox* speed_box_;
  QComboBox* clock_box_;
  QDoubleSpinBox* rate_box_;
  QDoubleSpinBox* skew_box_;
  QAction* start_action_;
  QAction* step_action_;
  QAction* reset_action_;
  QAction* dark_action_;
  QMenu* recent_menu_;
  QStringList recent_;
  double font_scale_ = 1.0;
  QFont base_font_;
};

}  // namespace loadlab::ui
