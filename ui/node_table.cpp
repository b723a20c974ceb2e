#include "node_table.h"

#include <QMenu>

#include <QDoubleSpinBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QIcon>
#include <QPixmap>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>
#include <QStyle>
#include <QStyleOptionSpinBox>
#include <algorithm>
#include <cmath>

#include "node_palette.h"

namespace loadlab::ui {

NodeTable::NodeTable(QWidget* parent) : QTableWidget(parent) {
  setColumnCount(kColumns);
  setHorizontalHeaderLabels(
      {tr("Node"), tr("Weight"), tr("Speed"), tr("Cache"), tr("Fault"), tr("Spikes"), tr("Share")});
  // Fixed-size controls take what they need; the weight column (its slider) takes the rest and
  // is the one that gives way when the dock is narrow.
  horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  horizontalHeader()->setSectionResizeMode(weight_column, QHeaderView::Stretch);
  // Sized for the widest share ("100.0 / 100.0%") so the columns do not shift every tick.
  horizontalHeader()->setSectionResizeMode(share_column, QHeaderView::Fixed);
  fit_share_column();
  horizontalHeader()->setHighlightSections(false);
  verticalHeader()->setVisible(false);
  setSelectionMode(QAbstractItemView::NoSelection);
  setEditTriggers(QAbstractItemView::NoEditTriggers);
  setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
  setContextMenuPolicy(Qt::CustomContextMenu);
  connect(this, &QWidget::customContextMenuRequested, this, &NodeTable::show_context_menu);
  horizontalHeaderItem(name_column)->setToolTip(tr("The node, in its colour in every chart"));
  horizontalHeaderItem(weight_column)
      ->setToolTip(tr("How much traffic a weighted balancer sends here; 0 takes the node out"));
  horizontalHeaderItem(speed_column)->setToolTip(tr("Service speed: 0.5 serves every request twice as slowly"));
  horizontalHeaderItem(cache_column)->setToolTip(tr("Objects this node's cache holds"));
  horizontalHeaderItem(fault_column)
      ->setToolTip(tr("Kill the node (its requests fail until health checks notice) or revive it"));
  horizontalHeaderItem(sick_column)->setToolTip(tr("Make the node sick: 5% of its requests take 20 ms longer"));
  horizontalHeaderItem(share_column)
      ->setToolTip(tr("Share of the requests in the last second: measured / what theory predicts"));
}

namespace {
// The node's colour as a square swatch beside its name.
QIcon swatch(const QColor& color, int size) {
  QPixmap pixmap(size, size);
  pixmap.fill(color);
  return QIcon(pixmap);
}

// Spin boxes size themselves for their largest value (a cache of 100,000,000 objects); the
// table sizes them for the values a lesson uses, which still show whole, and typing a larger
// one still works (the text scrolls).
void fit_to(QAbstractSpinBox* box, const QString& widest) {
  QStyleOptionSpinBox option;
  option.initFrom(box);
  option.buttonSymbols = box->buttonSymbols();
  option.frame = box->hasFrame();
  const int text = box->fontMetrics().horizontalAdvance(widest) + 8;
  const QSize full =
      box->style()->sizeFromContents(QStyle::CT_SpinBox, &option, QSize(text, box->fontMetrics().height()), box);
  box->setMaximumWidth(full.width());
}

// A push button as narrow as its longest text: styles pad text buttons to 80 px for dialogs.
void fit_to(QPushButton* button, const QStringList& texts) {
  int widest = 0;
  for (const QString& t : texts) widest = std::max(widest, button->fontMetrics().horizontalAdvance(t));
  button->setMaximumWidth(widest + 2 * button->fontMetrics().averageCharWidth() + 8);
}
}  // namespace

void NodeTable::show_context_menu(const QPoint& at) {
  const int row = rowAt(at.y());
  if (row < 0) return;
  const auto node = static_cast<std::size_t>(row);
  const QString name = item(row, name_column) ? item(row, name_column)->text() : QString();
  QMenu menu(this);
  menu.addSection(tr("Demo timeline: node %1").arg(name));
  menu.addAction(tr("Kill at..."), this,
                 [this, node] { Q_EMIT schedule_requested(node, FaultEvent::Action::kill, 1); });
  menu.addAction(tr("Revive at..."), this,
                 [this, node] { Q_EMIT schedule_requested(node, FaultEvent::Action::revive, 1); });
  menu.addAction(tr("Half speed at..."), this,
                 [this, node] { Q_EMIT schedule_requested(node, FaultEvent::Action::speed, 0.5); });
  menu.addAction(tr("Full speed at..."), this,
                 [this, node] { Q_EMIT schedule_requested(node, FaultEvent::Action::speed, 1); });
  menu.addSeparator();
  menu.addAction(tr("Remove this node's scheduled events"), this,
                 [this, node] { Q_EMIT clear_schedule_requested(node); });
  menu.exec(viewport()->mapToGlobal(at));
}

void NodeTable::fit_share_column() {
  const QFontMetrics fm = fontMetrics();
  const int text =
      std::max(fm.horizontalAdvance(QStringLiteral("100.0 / 100.0%")),
               horizontalHeader()->fontMetrics().horizontalAdvance(horizontalHeaderItem(share_column)->text()));
  setColumnWidth(share_column, text + 2 * style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, this) + 4);
}

void NodeTable::changeEvent(QEvent* event) {
  QTableWidget::changeEvent(event);
  if (event->type() == QEvent::FontChange) fit_share_column();  // larger text, projector size
}

void NodeTable::set_nodes(const std::vector<NodeSpec>& nodes, std::size_t default_cache) {
  setRowCount(0);
  setRowCount(static_cast<int>(nodes.size()));
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const int row = static_cast<int>(i);
    const NodeSpec& n = nodes[i];
    auto* name = new QTableWidgetItem(QString::fromStdString(n.name));
    name->setIcon(swatch(node_color(i), fontMetrics().height()));
    setItem(row, name_column, name);

    auto* slider = new QSlider(Qt::Horizontal);
    slider->setObjectName(QStringLiteral("weight_slider"));
    slider->setRange(0, 10 * kSliderSteps);
    slider->setValue(static_cast<int>(std::lround(std::min(n.weight, 10.0) * kSliderSteps)));
    slider->setToolTip(tr("Drag to change node %1's weight while the run goes on").arg(QString::fromStdString(n.name)));
    slider->setMinimumWidth(40);
    auto* weight = new QDoubleSpinBox;
    weight->setObjectName(QStringLiteral("weight_box"));
    weight->setRange(0, 1e6);
    weight->setDecimals(1);
    weight->setSingleStep(0.5);
    weight->setValue(n.weight);
    weight->setToolTip(slider->toolTip());
    // The slider beside it is the stepping control; arrow keys and the wheel still step the box.
    weight->setButtonSymbols(QAbstractSpinBox::NoButtons);
    weight->setAlignment(Qt::AlignRight);
    fit_to(weight, QStringLiteral("100.0"));
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
    auto* weight_cell = new QWidget;
    auto* weight_layout = new QHBoxLayout(weight_cell);
    weight_layout->setContentsMargins(4, 0, 0, 0);
    weight_layout->setSpacing(4);
    weight_layout->addWidget(slider, 1);
    weight_layout->addWidget(weight);
    setCellWidget(row, weight_column, weight_cell);

    auto* speed = new QDoubleSpinBox;
    speed->setRange(0.01, 1000);
    speed->setDecimals(2);
    speed->setSingleStep(0.1);
    speed->setValue(n.speed);
    speed->setToolTip(tr("1 is normal; 0.5 serves twice as slowly, 2 twice as fast"));
    fit_to(speed, QStringLiteral("10.00"));
    connect(speed, &QDoubleSpinBox::valueChanged, this, [this, i](double v) { Q_EMIT speed_changed(i, v); });
    setCellWidget(row, speed_column, speed);

    auto* cache = new QSpinBox;
    cache->setRange(0, 100'000'000);
    cache->setSingleStep(10);
    cache->setValue(static_cast<int>(n.cache_capacity.value_or(default_cache)));
    cache->setToolTip(tr("Objects this node's cache holds; resized live"));
    fit_to(cache, QStringLiteral("100000"));
    connect(cache, &QSpinBox::valueChanged, this,
            [this, i](int v) { Q_EMIT cache_changed(i, static_cast<std::size_t>(v)); });
    setCellWidget(row, cache_column, cache);

    auto* fault = new QPushButton(tr("Kill"));
    fault->setCheckable(true);
    fit_to(fault, {tr("Kill"), tr("Revive")});
    fault->setToolTip(tr("Kill node %1: it stops serving and comes back with an empty cache when revived")
                          .arg(QString::fromStdString(n.name)));
    connect(fault, &QPushButton::toggled, this, [this, i, fault](bool killed) {
      fault->setText(killed ? tr("Revive") : tr("Kill"));
      Q_EMIT kill_requested(i, killed);
    });
    setCellWidget(row, fault_column, fault);

    auto* sick = new QPushButton(tr("Sick"));
    sick->setCheckable(true);
    fit_to(sick, {tr("Sick")});
    sick->setToolTip(tr("Make node %1 sick: 5% of its requests take 20 ms longer (latency spikes)")
                         .arg(QString::fromStdString(n.name)));
    connect(sick, &QPushButton::toggled, this, [this, i](bool on) { Q_EMIT sick_requested(i, on); });
    setCellWidget(row, sick_column, sick);
    auto* share = new QTableWidgetItem(QStringLiteral("-"));
    share->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    setItem(row, share_column, share);
  }
  resizeColumnsToContents();
  fit_share_column();  // resizeColumnsToContents sizes the fixed column too
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
                             ? QStringLiteral("%1 / %2%").arg(100 * measured[i], 0, 'f', 1).arg(100 * e, 0, 'f', 1)
                             : QStringLiteral("%1%").arg(100 * measured[i], 0, 'f', 1);
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
  QWidget* cell = cellWidget(static_cast<int>(node), weight_column);
  return cell ? cell->findChild<QSlider*>(QStringLiteral("weight_slider")) : nullptr;
}
QDoubleSpinBox* NodeTable::weight_box(std::size_t node) const {
  QWidget* cell = cellWidget(static_cast<int>(node), weight_column);
  return cell ? cell->findChild<QDoubleSpinBox*>(QStringLiteral("weight_box")) : nullptr;
}
QDoubleSpinBox* NodeTable::speed_box(std::size_t node) const {
  return qobject_cast<QDoubleSpinBox*>(cellWidget(static_cast<int>(node), speed_column));
}
QSpinBox* NodeTable::cache_box(std::size_t node) const {
  return qobject_cast<QSpinBox*>(cellWidget(static_cast<int>(node), cache_column));
}

}  // namespace loadlab::ui
