#pragma once
// The cluster's controls in the left dock: balancer, cache policy, rate, key skew, slow
// motion and clock, the node table, and buttons to add or remove a node. It shows a scenario
// and emits what the user chose; the window decides what a choice does to the run.
#include <QWidget>

#include "scenario/scenario.h"

class QComboBox;
class QDoubleSpinBox;
class QSpinBox;

namespace loadlab::ui {

class NodeTable;

class ControlPanel : public QWidget {
  Q_OBJECT
 public:
  // The Clock choices: index 0 is real threads; the others the virtual clock played at this
  // many virtual seconds per real second (0: as fast as possible).
  static constexpr double kClockPaces[] = {0, 1, 10, 100, 0};
  static constexpr int kClockChoices = static_cast<int>(std::size(kClockPaces));

  explicit ControlPanel(QWidget* parent = nullptr);
  // Shows the scenario without emitting anything. A scenario on the virtual clock opens at
  // 1× (or at the virtual pace already chosen).
  void show_scenario(const Scenario& scenario);
  void show_slow_motion(bool slow);
  void show_clock_choice(int index);
  int clock_choice() const;
  QString clock_choice_text() const;
  // The per-node queue bound shown (QueuePolicy::kUnlimited: unlimited).
  void show_queue_limit(std::uint64_t limit);
  NodeTable* table() const { return table_; }

 Q_SIGNALS:
  void balancer_chosen(const QString& name);
  void cache_chosen(const QString& name);
  void rate_chosen(double rate);
  void skew_chosen(double zipf_s);  // 0: every key equally popular
  void slow_motion_chosen(bool slow);
  void clock_chosen(int index);
  void queue_limit_chosen(std::uint64_t limit);  // QueuePolicy::kUnlimited for unlimited
  void add_node_clicked();
  void remove_node_clicked();

 private:
  QComboBox* balancer_box_;
  QComboBox* cache_box_;
  QComboBox* speed_box_;
  QComboBox* clock_box_;
  QDoubleSpinBox* rate_box_;
  QDoubleSpinBox* skew_box_;
  QSpinBox* queue_box_;
  NodeTable* table_;
};

}  // namespace loadlab::ui
