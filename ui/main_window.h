#pragma once
// The workbench window: the dashboard of live charts in the middle, the control panel (node
// table, balancer, cache, rate, skew, clock) and the preset's explanation in docks, menus and
// a status bar. The window is glue: the RunController owns the run and what it publishes,
// the Dashboard draws, the ControlPanel edits; this class wires them, opens and saves files
// and says what happened in its banner. The run never waits for the window: the window drains
// the run's snapshots at its own tick.
#include <QFont>
#include <QMainWindow>
#include <QStringList>
#include <vector>

#include "run_controller.h"
#include "window_settings.h"

class QAction;
class QDockWidget;
class QLabel;
class QMenu;
class QTabWidget;
class QTextBrowser;
class QTimer;

namespace loadlab::ui {

class AbPanel;
class ControlPanel;
class FlowView;
class ProxyConfigPanel;
class Dashboard;
class NodeTable;
class ShareBars;
class TimeChart;
class WhatIfPanel;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  using State = RunController::State;
  static constexpr int kTickMs = 100;

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
  // The clock of the next run: 0 real threads; else virtual, played at 1×, 10×, 100× or as
  // fast as possible (ControlPanel::kClockPaces).
  void set_clock_choice(int index);
  int clock_choice() const;

  // Puts an event on the scenario's timeline (from the next start of a run; saved with the
  // scenario). False, with the reason in the banner, when the scenario would be invalid.
  bool schedule(const FaultEvent& event);
  void clear_schedule(std::size_t node);

  bool export_csv(const QString& directory);
  bool export_png(const QString& file);
  bool save_scenario(const QString& file);

  // For tests and --stats.
  State state() const { return controller_->state(); }
  Run* engine() const { return controller_->run(); }
  const RunController& controller() const { return *controller_; }
  const Scenario& scenario() const { return controller_->scenario(); }
  const RunHistory& history() const { return controller_->history(); }
  Dashboard* dashboard() const { return dashboard_; }
  WhatIfPanel* what_if() const { return what_if_; }
  AbPanel* ab() const { return ab_; }
  FlowView* flow_view() const { return flow_; }
  QTabWidget* tabs() const { return tabs_; }
  ProxyConfigPanel* proxy_config_panel() const { return proxy_panel_; }
  QDockWidget* proxy_config_dock() const { return proxy_dock_; }
  NodeTable* node_table() const;
  ShareBars* share_bars() const;
  TimeChart* hit_chart() const;
  TimeChart* latency_chart() const;
  TimeChart* in_flight_chart() const;
  // "Press Start (Space)...": shown only while there is no run (idle), hidden once one starts.
  QLabel* start_hint() const { return start_hint_; }
  QLabel* load_badge() const { return load_badge_; }
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
  void build_docks();
  void build_status_bar();
  void build_actions();
  void connect_controls();
  void restore_settings();
  void remember_file(const QString& path);
  void rebuild_recent_menu();
  void show_message(const QString& text, bool error);
  void restart_if_running(const QString& why);
  void started();  // a fresh run began: key movement, the hit model, the tick
  void refresh_controls();
  void redraw();
  void update_actions();
  void update_hit_model();
  void apply_dark(bool dark);
  void apply_font_scale(double scale);

  void on_weight(std::size_t node, double weight);
  void on_speed(std::size_t node, double speed);
  void on_cache(std::size_t node, std::size_t objects);
  void on_kill(std::size_t node, bool kill);
  void on_sick(std::size_t node, bool sick);
  void on_add_node();
  void on_queue_limit(std::uint64_t limit);
  void on_schedule(std::size_t node, FaultEvent::Action action, double speed);
  void update_marks();
  void scenario_edited();  // the load badge and the proxy configuration follow the model
  void update_load_badge();
  Scenario exported_scenario() const;
  void on_remove_node();

  RunController* controller_;
  QString origin_;  // preset name or file the scenario came from
  bool force_repaint_ = false;
  bool hit_model_dirty_ = false;
  std::vector<double> tick_ms_;
  QString keys_moved_;  // for hashing balancers: what a node leaving would move

  QTimer* tick_timer_;
  Dashboard* dashboard_;
  WhatIfPanel* what_if_;
  AbPanel* ab_;
  FlowView* flow_;
  QTabWidget* tabs_;
  ControlPanel* panel_;
  ProxyConfigPanel* proxy_panel_;
  QDockWidget* proxy_dock_;
  QTextBrowser* about_;
  QLabel* start_hint_;
  QLabel* banner_;
  QLabel* status_rate_;
  QLabel* status_requests_;
  QLabel* status_time_;
  QLabel* status_balance_;
  QLabel* load_badge_;  // the offered load against the model's capacity
  QAction* start_action_;
  QAction* step_action_;
  QAction* reset_action_;
  QAction* dark_action_;
  QMenu* recent_menu_;
  WindowSettings settings_;
  QFont base_font_;
};

}  // namespace loadlab::ui
