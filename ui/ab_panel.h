#pragma once
// A/B: the window's model (A) and the same model with one thing changed (B: another balancer
// or cache policy) run side by side on the virtual clock from the same seed, so both sides
// see exactly the same requests (the same arrival times and keys: the workload's random
// streams do not depend on the balancer or the cache). Mirrored bars and latency charts on a
// shared scale, and below them the difference interval by interval: p99 A − B and hit ratio
// A − B. Each side is a RunController of its own; the live tab's run is not touched.
#include <QWidget>

#include "run_controller.h"
#include "scenario/scenario.h"

class QComboBox;
class QLabel;
class QPushButton;
class QTimer;

namespace loadlab::ui {

class ShareBars;
class TimeChart;

class AbPanel : public QWidget {
  Q_OBJECT
 public:
  static constexpr int kTickMs = 100;
  explicit AbPanel(QWidget* parent = nullptr);

  // A's model (the window's, with its live edits). Stops a comparison that is running.
  void set_scenario(const Scenario& scenario);
  // Starts both sides from the same seed (or resumes them); false, with the reason shown, when
  // B's choice makes an invalid scenario. `pace`: virtual seconds per real second.
  bool start();
  // B's choice as text: "balancer=p2c", "cache=s3fifo" or both, comma-separated. False, with
  // the reason in `error`, for an unknown setting or name.
  bool configure(const QString& spec, QString* error);
  void pause();
  void reset();
  bool running() const { return a_->state() == RunController::State::running; }
  void set_pace(double pace);
  void tick();  // draws what both sides published (the timer calls it every kTickMs)

  void set_dark(bool dark);
  void set_fonts(const QFont& font);

  // For tests.
  const RunController& side_a() const { return *a_; }
  const RunController& side_b() const { return *b_; }
  QComboBox* balancer_b() const { return balancer_b_; }
  QComboBox* cache_b() const { return cache_b_; }
  QPushButton* start_button() const { return start_; }
  QLabel* status_label() const { return status_; }
  TimeChart* difference_chart() const { return difference_; }
  ShareBars* bars_a() const { return bars_a_; }
  ShareBars* bars_b() const { return bars_b_; }

 private:
  Scenario scenario_b() const;
  void describe_sides();
  void show_status(const QString& text, bool error);

  Scenario scenario_;
  RunController* a_;
  RunController* b_;
  double pace_ = 10;
  QTimer* timer_;
  QLabel* title_a_;
  QLabel* title_b_;
  QComboBox* balancer_b_;
  QComboBox* cache_b_;
  QComboBox* pace_box_;
  QPushButton* start_;
  QPushButton* reset_;
  QLabel* status_;
  ShareBars* bars_a_;
  ShareBars* bars_b_;
  TimeChart* latency_a_;
  TimeChart* latency_b_;
  TimeChart* difference_;
};

}  // namespace loadlab::ui
