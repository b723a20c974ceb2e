#include "node_table.h"

#include <QDoubleSpinBox>
#include <QHeaderView>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>
#include <cmath>

#include "node_palette.h"

namespace loadlab::ui {

NodeTable::NodeTable(QWidget* parent) : QTableWidget(parent) {
  setColumnCount(9);
  setHorizontalHeaderLabels(
      {"", tr("Node"), tr("Weight"), "", tr("Speed"), tr("Cache"), tr("Fault"), "", tr("Share (meas. / theory)")});
  horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  horizontalHeader()->setSectionResizeMode(weight_slider_column, QHeaderView::Stretch);
  verticalHeader()->setVisible(false);
  setSelectionMode(QAbstractItemView::NoSelection);
  setEditTriggers(QAbstractItemView::NoEditTriggers);
  horizontalHeaderItem(weight_slider_column)
      ->setToolTip(tr("How much traffic a weighted balancer sends here; 0 takes the node out"));
  horizontalHeaderItem(speed_column)->setToolTip(tr("Service speed: 0.5 serves every request twice as slowly"));
  horizontalHeaderItem(cache_column)->setToolTip(tr("Objects this node's cache holds"));
  horizontalHeaderItem(fault_column)
      ->setToolTip(tr("Kill the node (its requests fail until health checks notice) or revive it"));
  horizontalHeaderItem(share_column)
      ->setToolTip(tr("Share of the requests in the last second, and what theory predicts"));
}

void NodeTable::set_nodes(const std::vector<NodeSpec>& nodes, std::size_t default_cache) {
  setRowCount(0);
  setRowCount(static_cast<int>(nodes.size()));
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const int row = static_cast<int>(i);
    const NodeSpec& n = nodes[i];
    auto* swatch = new QTableWidgetItem;
    swatch->setBackground(node_color(i));
    setItem(row, color_column, swatch);
    setItem(row, name_column, new QTableWidgetItem(QString::fromStdString(n.name)));

    auto* slider = new QSlider(Qt::Horizontal);
    slider->setRange(0, 10 * kSliderSteps);
    slider->setValue(static_cast<int>(std::lround(std::min(n.weight, 10.0) * kSliderSteps)));
    slider->setToolTip(tr("Drag to change node %1's weight while the run goes on").arg(QString::fromStdString(n.name)));
    slider->setMinimumWidth(120);
    auto* weight = new QDoubleSpinBox;
    weight->setRange(0, 1e6);
    weight->setDecimals(1);
    weight->setSingleStep(0.5);
    weight->setValue(n.weight);
    weight->setToolTip(slider->toolTip());
    connect(slider, &QSlider::valueChanged, this, [this, i, weight](int v) {
      const double w = static_cast<double>(v) / kSliderSteps;
      {
        const QSignalBlocker block(weight);
        weight->setValue(w);
      }
      Q_EMIT weight_changed(i, w);
    });
    connect(weight, &QDoubleSpinBox::valueChanged, this, [this, i, slider](double w) {
      {
        const QSignalBlocker block(slider);
        slider->setValue(static_cast<int>(std::lround(std::min(w, 10.0) * kSliderSteps)));
      }
      Q_EMIT weight_changed(i, w);
    });
    setCellWidget(row, weight_slider_column, slider);
    setCellWidget(row, weight_column, weight);

    auto* speed = new QDoubleSpinBox;
    speed->setRange(0.01, 1000);
    speed->setDecimals(2);
    speed->setSingleStep(0.1);
    speed->setValue(n.speed);
    speed->setToolTip(tr("1 is normal; 0.5 serves twice as slowly, 2 twice as fast"));
    connect(speed, &QDoubleSpinBox::valueChanged, this, [this, i](double v) { Q_EMIT speed_changed(i, v); });
    setCellWidget(row, speed_column, speed);

    auto* cache = new QSpinBox;
    cache->setRange(0, 100'000'000);
    cache->setSingleStep(10);
    cache->setValue(static_cast<int>(n.cache_capacity.value_or(default_cache)));
    cache->setToolTip(tr("Objects this node's cache holds; resized live"));
    connect(cache, &QSpinBox::valueChanged, this,
            [this, i](int v) { Q_EMIT cache_changed(i, static_cast<std::size_t>(v)); });
    setCellWidget(row, cache_column, cache);

    auto* fault = new QPushButton(tr("Kill"));
    fault->setCheckable(true);
    fault->setToolTip(tr("Kill node %1: it stops serving and comes back with an empty cache when revived")
                          .arg(QString::fromStdString(n.name)));
    connect(fault, &QPushButton::toggled, this, [this, i, fault](bool killed) {
      fault->setText(killed ? tr("Revive") : tr("Kill"));
      Q_EMIT kill_requested(i, killed);
    });
    setCellWidget(row, fault_column, fault);

    auto* sick = new QPushButton(tr("Sick"));
    sick->setCheckable(true);
    sick->setToolTip(tr("Make node %1 sick: 5% of its requests take 20 ms longer (latency spikes)")
                         .arg(QString::fromStdString(n.name)));
    connect(sick, &QPushButton::toggled, this, [this, i](bool on) { Q_EMIT sick_requested(i, on); });
    setCellWidget(row, sick_column, sick);
    setItem(row, share_column, new QTableWidgetItem(QStringLiteral("-")));
  }
  resizeColumnsToContents();
}

void NodeTable::show_weight(std::size_t node, double weight) {
  if (QDoubleSpinBox* box = weight_box(node)) {
    const QSignalBlocker block(box);
    box->setValue(weight);
  }
  if (QSlider* slider = weight_slider(node)) {
    const QSignalBlocker block(slider);
    slider->setValue(static_cast<int>(std::lround(std::min(weight, 10.0) * kSliderSteps)));
  }
}

void NodeTable::show_shares(const std::vector<double>& measured, const std::vector<double>& expected) {
  for (std::size_t i = 0; i < measured.size() && static_cast<int>(i) < rowCount(); ++i) {
    const double e = i < expected.size() ? expected[i] : -1;
    const QString text = std::isfinite(e) && e >= 0
                             ? QStringLiteral("%1% / %2%").arg(100 * measured[i], 5, 'f', 1).arg(100 * e, 5, 'f', 1)
                             : QStringLiteral("%1%").arg(100 * measured[i], 5, 'f', 1);
    item(static_cast<int>(i), share_column)->setText(text);
  }
}

void NodeTable::show_health(std::size_t node, bool up, bool available) {
  QTableWidgetItem* name = item(static_cast<int>(node), name_column);
  if (!name) return;
  QFont f = name->font();
  f.setStrikeOut(!available);
  name->setFont(f);
  name->setToolTip(up ? (available ? tr("serving") : tr("serving, but health checks still hold it out"))
                      : (available ? tr("down, and health checks have not noticed yet: its requests fail")
                                   : tr("down, and out of rotation")));
  name->setForeground(up ? palette().color(QPalette::Text) : QColor(0xD55E00));
  if (QPushButton* b = fault_button(node)) {
    const QSignalBlocker block(b);
    b->setChecked(!up);
    b->setText(up ? tr("Kill") : tr("Revive"));
  }
}

QPushButton* NodeTable::fault_button(std::size_t node) const {
  return qobject_cast<QPushButton*>(cellWidget(static_cast<int>(node), fault_column));
}

QPushButton* NodeTable::sick_button(std::size_t node) const {
  return qobject_cast<QPushButton*>(cellWidget(static_cast<int>(node), sick_column));
}

QSlider* NodeTable::weight_slider(std::size_t node) const {
  return qobject_cast<QSlider*>(cellWidget(static_cast<int>(node), weight_slider_column));
}
QDoubleSpinBox* NodeTable::weight_box(std::size_t node) const {
  return qobject_cast<QDoubleSpinBox*>(cellWidget(static_cast<int>(node), weight_column));
}
QDoubleSpinBox* NodeTable::speed_box(std::size_t node) const {
  return qobject_cast<QDoubleSpinBox*>(cellWidget(static_cast<int>(node), speed_column));
}
QSpinBox* NodeTable::cache_box(std::size_t node) const {
  return qobject_cast<QSpinBox*>(cellWidget(static_cast<int>(node), cache_column));
}

}  // namespace loadlab::ui
