#pragma once
// The What-if tab: a question over a range, answered as a curve with its uncertainty. The
// user picks a parameter and its values (and optionally a categorical one, such as the
// balancer, for one curve each), the seeds and the metric; Run sweeps the window's model on
// the virtual clock on background threads (core/sweep's SweepRunner) while the live run goes
// on, and each point is drawn as it arrives, with its 95% band, the formula, the current
// setting and a target line whose crossings are named. Export writes the sweep's tidy CSV
// (the bytes `loadlab-cli sweep` writes) and the chart as PNG or SVG.
#include <QWidget>
#include <memory>
#include <thread>
#include <vector>

#include "scenario/scenario.h"
#include "sweep/sweep_runner.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace loadlab::ui {

class SweepChart;

class WhatIfPanel : public QWidget {
  Q_OBJECT
 public:
  explicit WhatIfPanel(QWidget* parent = nullptr);
  ~WhatIfPanel() override;  // cancels a running sweep and waits for its threads

  // The window's model: what a sweep varies, the suggested ranges and the "now" marker.
  void set_scenario(const Scenario& scenario);

  // Plans the sweep from the controls and starts it; false, with the reason shown under the
  // chart, for a bad value (a range that does not parse, a target that is not a number, a
  // point whose scenario is invalid). Nothing runs then.
  bool run();
  // Sets the controls as `loadlab-cli sweep` flags would: `vary` "rate=100:900:100", `by`
  // "balancer=round-robin,p2c" or empty, the metric's name, the target ("50", in ms for a
  // latency; empty for none) and the seeds. False, with the reason in `error`, for a
  // parameter or metric the tab does not offer.
  bool configure(const QString& vary, const QString& by, const QString& metric, const QString& target, int seeds,
                 QString* error);
  void cancel();
  bool running() const { return runner_ != nullptr; }
  bool export_csv(const QString& file);
  bool export_chart(const QString& file);

  void set_dark(bool dark);
  void set_fonts(const QFont& font);

  // For tests.
  QComboBox* parameter_box() const { return parameter_; }
  QLineEdit* values_edit() const { return values_; }
  QComboBox* by_box() const { return by_; }
  QLineEdit* by_values_edit() const { return by_values_; }
  QSpinBox* seeds_box() const { return seeds_; }
  QSpinBox* requests_box() const { return requests_; }
  QComboBox* metric_box() const { return metric_; }
  QLineEdit* target_edit() const { return target_; }
  QPushButton* run_button() const { return run_button_; }
  QPushButton* cancel_button() const { return cancel_button_; }
  QProgressBar* progress_bar() const { return progress_; }
  SweepChart* chart() const { return chart_; }
  QLabel* status_label() const { return status_; }
  const std::vector<PointResult>& results() const { return results_; }

 Q_SIGNALS:
  void finished(bool cancelled);
  // The export buttons: the window asks for the file and calls export_csv / export_chart.
  void export_csv_requested();
  void export_chart_requested();

 private:
  void suggest_values();
  void suggest_by_values();
  void redraw();
  void point_done(PointResult point);
  void progress_made(SweepProgress progress);
  void sweep_ended();
  void show_status(const QString& text, bool error);
  void update_buttons();

  Scenario scenario_;
  SweepDefinition definition_;
  std::vector<PointResult> results_;
  std::unique_ptr<SweepRunner> runner_;
  std::thread worker_;
  std::size_t runs_total_ = 0;

  QComboBox* parameter_;
  QLineEdit* values_;
  QComboBox* by_;
  QLineEdit* by_values_;
  QSpinBox* seeds_;
  QSpinBox* requests_;
  QComboBox* metric_;
  QLineEdit* target_;
  QLabel* target_unit_;
  QPushButton* run_button_;
  QPushButton* cancel_button_;
  QPushButton* csv_button_;
  QPushButton* chart_button_;
  QProgressBar* progress_;
  QLabel* status_;
  SweepChart* chart_;
};

}  // namespace loadlab::ui
