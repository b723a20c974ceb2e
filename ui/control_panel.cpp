#include "control_panel.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QStyle>
#include <QVBoxLayout>

#include "balancers/balancer_registry.h"
#include "caches/cache_registry.h"
#include "model/queue_policy.h"
#include "node_table.h"

namespace loadlab::ui {

namespace {
QString to_q(const std::string& s) { return QString::fromStdString(s); }
}  // namespace

ControlPanel::ControlPanel(QWidget* parent) : QWidget(parent) {
  auto* v = new QVBoxLayout(this);
  auto* form = new QFormLayout;
  balancer_box_ = new QComboBox;
  balancer_box_->setObjectName(QStringLiteral("balancer_box"));
  for (const auto& e : balancers().entries()) {
    balancer_box_->addItem(to_q(e.name));
    balancer_box_->setItemData(balancer_box_->count() - 1, to_q(e.summary), Qt::ToolTipRole);
  }
  balancer_box_->setToolTip(tr("How the balancer chooses a node; switching restarts the run with the same seed"));
  cache_box_ = new QComboBox;
  cache_box_->setObjectName(QStringLiteral("cache_box"));
  for (const auto& e : caches().entries()) {
    cache_box_->addItem(to_q(e.name));
    cache_box_->setItemData(cache_box_->count() - 1, to_q(e.summary), Qt::ToolTipRole);
  }
  cache_box_->setToolTip(tr("Eviction policy of every node's cache; switching restarts the run"));
  rate_box_ = new QDoubleSpinBox;
  rate_box_->setObjectName(QStringLiteral("rate_box"));
  rate_box_->setRange(1, kMaxRate);
  rate_box_->setDecimals(0);
  rate_box_->setSingleStep(100);
  rate_box_->setSuffix(tr(" req/s"));
  rate_box_->setToolTip(tr("Open-loop arrival rate: requests are sent at this rate whether or not nodes keep up"));
  skew_box_ = new QDoubleSpinBox;
  skew_box_->setObjectName(QStringLiteral("skew_box"));
  skew_box_->setRange(0, 3);
  skew_box_->setDecimals(2);
  skew_box_->setSingleStep(0.1);
  skew_box_->setToolTip(tr("Key skew: Zipf exponent s (0 = every key equally popular); changing it restarts the run"));
  speed_box_ = new QComboBox;
  speed_box_->setObjectName(QStringLiteral("speed_box"));
  speed_box_->addItems({tr("Normal"), tr("Slow motion (x10)")});
  speed_box_->setToolTip(
      tr("Slow motion stretches time tenfold: arrivals, think times and service all ten times slower"));
  clock_box_ = new QComboBox;
  clock_box_->setObjectName(QStringLiteral("clock_box"));
  clock_box_->addItems({tr("Real threads"), tr("Virtual, 1\u00d7"), tr("Virtual, 10\u00d7"), tr("Virtual, 100\u00d7"),
                        tr("Virtual, as fast as possible")});
  clock_box_->setToolTip(
      tr("Real threads serve real requests on this machine's clock. The virtual clock runs the same "
         "model as a simulation: exactly repeatable, and it can fast-forward (100\u00d7 shows an "
         "hour in 36 s)"));
  form->addRow(tr("Balancer"), balancer_box_);
  form->addRow(tr("Cache"), cache_box_);
  form->addRow(tr("Rate"), rate_box_);
  form->addRow(tr("Key skew"), skew_box_);
  queue_box_ = new QSpinBox;
  queue_box_->setObjectName(QStringLiteral("queue_box"));
  // 0 shows as "unlimited": a bound of no requests at all is not a queue anyone wants.
  queue_box_->setRange(0, static_cast<int>(std::min<std::uint64_t>(kMaxQueueLimit, 100'000'000)));
  queue_box_->setSpecialValueText(tr("unlimited"));
  queue_box_->setSingleStep(1000);
  queue_box_->setSuffix(tr(" waiting"));
  queue_box_->setToolTip(
      tr("Per-node queue bound (HAProxy maxqueue): at most this many requests wait for a slot and the next "
         "fails at once as queue_full. The window's default, 10000, changes nothing below saturation and keeps "
         "memory flat past it; 0 is unlimited. Changing it restarts the run"));
  connect(queue_box_, &QSpinBox::editingFinished, this, [this] {
    const int v = queue_box_->value();
    Q_EMIT queue_limit_chosen(v == 0 ? QueuePolicy::kUnlimited : static_cast<std::uint64_t>(v));
  });
  form->addRow(tr("Queue limit"), queue_box_);
  form->addRow(tr("Speed"), speed_box_);
  form->addRow(tr("Clock"), clock_box_);
  v->addLayout(form);
  table_ = new NodeTable;
  v->addWidget(table_, 1);
  auto* node_buttons = new QHBoxLayout;
  auto* add = new QPushButton(tr("Add node"));
  auto* remove = new QPushButton(tr("Remove node"));
  add->setObjectName(QStringLiteral("add_node"));
  remove->setObjectName(QStringLiteral("remove_node"));
  add->setToolTip(tr("Add a node with weight 1 (restarts the run)"));
  remove->setToolTip(tr("Remove the last node (restarts the run)"));
  node_buttons->addWidget(add);
  node_buttons->addWidget(remove);
  v->addLayout(node_buttons);
  // The node table fits without a horizontal scroll bar, also beside a vertical one (with
  // more nodes than rows on screen).
  setMinimumWidth(490 + style()->pixelMetric(QStyle::PM_ScrollBarExtent));

  connect(balancer_box_, &QComboBox::currentTextChanged, this, &ControlPanel::balancer_chosen);
  connect(cache_box_, &QComboBox::currentTextChanged, this, &ControlPanel::cache_chosen);
  connect(rate_box_, &QDoubleSpinBox::valueChanged, this, &ControlPanel::rate_chosen);
  connect(skew_box_, &QDoubleSpinBox::valueChanged, this, &ControlPanel::skew_chosen);
  connect(speed_box_, &QComboBox::currentIndexChanged, this,
          [this](int index) { Q_EMIT slow_motion_chosen(index == 1); });
  connect(clock_box_, &QComboBox::currentIndexChanged, this, &ControlPanel::clock_chosen);
  connect(add, &QPushButton::clicked, this, &ControlPanel::add_node_clicked);
  connect(remove, &QPushButton::clicked, this, &ControlPanel::remove_node_clicked);
}

void ControlPanel::show_scenario(const Scenario& scenario) {
  const QSignalBlocker b1(balancer_box_), b2(cache_box_), b3(rate_box_), b4(skew_box_), b5(clock_box_);
  if (scenario.clock == Scenario::Clock::real)
    clock_box_->setCurrentIndex(0);
  else if (clock_box_->currentIndex() == 0)
    clock_box_->setCurrentIndex(1);
  balancer_box_->setCurrentText(to_q(scenario.balancer));
  cache_box_->setCurrentText(to_q(scenario.cache_policy));
  rate_box_->setValue(scenario.workload.rate);
  rate_box_->setEnabled(scenario.workload.mode == Workload::Mode::open);
  const KeyPopularity& keys = scenario.workload.keys;
  skew_box_->setValue(keys.kind == KeyPopularity::Kind::zipf ? keys.zipf_s : 0.0);
  table_->set_nodes(scenario.nodes, scenario.cache_capacity);
}

void ControlPanel::show_queue_limit(std::uint64_t limit) {
  const QSignalBlocker block(queue_box_);
  queue_box_->setValue(
      limit == QueuePolicy::kUnlimited ? 0 : static_cast<int>(std::min<std::uint64_t>(limit, 100'000'000)));
}

void ControlPanel::show_slow_motion(bool slow) {
  const QSignalBlocker block(speed_box_);
  speed_box_->setCurrentIndex(slow ? 1 : 0);
}

void ControlPanel::show_clock_choice(int index) {
  const QSignalBlocker block(clock_box_);
  clock_box_->setCurrentIndex(index);
}

int ControlPanel::clock_choice() const { return clock_box_->currentIndex(); }
QString ControlPanel::clock_choice_text() const { return clock_box_->currentText(); }

}  // namespace loadlab::ui
