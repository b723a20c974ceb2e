#pragma once
// The per-node controls: weight (slider and spin box), speed and cache capacity, with each
// node's colour and its measured share. Edits are emitted as signals; the window applies
// them to the running engine (and refuses, with a message, what the engine would reject).
#include <QTableWidget>
#include <vector>

#include "scenario/scenario.h"

class QSlider;
class QDoubleSpinBox;
class QSpinBox;
class QPushButton;

namespace loadlab::ui {

class NodeTable : public QTableWidget {
  Q_OBJECT
 public:
  // Every column has a short header (the long explanation is its tooltip), so the table fits
  // the dock at the window's default size without a horizontal scroll bar. The node's colour
  // is the swatch beside its name; the weight's slider and spin box share one column.
  enum Column { name_column, weight_column, speed_column, cache_column, fault_column, sick_column, share_column };
  static constexpr int kColumns = share_column + 1;
  static constexpr int kSliderSteps = 10;  // slider positions per unit of weight

  explicit NodeTable(QWidget* parent = nullptr);
  void set_nodes(const std::vector<NodeSpec>& nodes, std::size_t default_cache);
  // Shows a node's weight without emitting weight_changed (e.g. after a refused edit).
  void show_weight(std::size_t node, double weight);
  void show_shares(const std::vector<double>& measured, const std::vector<double>& expected);
  // Node health: killed (by the user or a scheduled fault) and whether checks have noticed.
  void show_health(std::size_t node, bool up, bool available);
  QPushButton* fault_button(std::size_t node) const;
  QPushButton* sick_button(std::size_t node) const;
  QSlider* weight_slider(std::size_t node) const;
  QDoubleSpinBox* weight_box(std::size_t node) const;
  QDoubleSpinBox* speed_box(std::size_t node) const;
  QSpinBox* cache_box(std::size_t node) const;

 Q_SIGNALS:
  void weight_changed(std::size_t node, double weight);
  void speed_changed(std::size_t node, double speed);
  void cache_changed(std::size_t node, std::size_t objects);
  void kill_requested(std::size_t node, bool kill);
  void sick_requested(std::size_t node, bool sick);
  // Right-click on a node: put an event on the scenario's timeline (the time is asked next).
  void schedule_requested(std::size_t node, FaultEvent::Action action, double speed);
  void clear_schedule_requested(std::size_t node);

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void fit_share_column();
  void show_context_menu(const QPoint& at);
};

}  // namespace loadlab::ui
