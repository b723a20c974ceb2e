#include "ab_panel.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "balancers/balancer_registry.h"
#include "caches/cache_registry.h"
#include "chart_series.h"
#include "node_palette.h"
#include "share_bars.h"
#include "time_chart.h"

namespace loadlab::ui {
namespace {

constexpr std::size_t kSpan = 600;   // 60 s at the default interval, as the live charts
constexpr std::size_t kSmooth = 10;  // the difference lines average the last second

QString describe(const Scenario& s) {
  return QObject::tr("balancer %1, cache %2")
      .arg(QString::fromStdString(s.balancer), QString::fromStdString(s.cache_policy));
}

double max_y(const std::vector<QList<QPointF>>& lines) {
  double m = 0;
  for (const auto& l : lines)
    for (const QPointF& p : l) m = std::max(m, p.y());
  return m;
}

}  // namespace

AbPanel::AbPanel(QWidget* parent) : QWidget(parent), a_(new RunController(this)), b_(new RunController(this)) {
  timer_ = new QTimer(this);
  timer_->setInterval(kTickMs);
  connect(timer_, &QTimer::timeout, this, &AbPanel::tick);

  balancer_b_ = new QComboBox;
  balancer_b_->setObjectName(QStringLiteral("ab_balancer"));
  for (const auto& e : balancers().entries()) {
    balancer_b_->addItem(QString::fromStdString(e.name));
    balancer_b_->setItemData(balancer_b_->count() - 1, QString::fromStdString(e.summary), Qt::ToolTipRole);
  }
  cache_b_ = new QComboBox;
  cache_b_->setObjectName(QStringLiteral("ab_cache"));
  for (const auto& e : caches().entries()) {
    cache_b_->addItem(QString::fromStdString(e.name));
    cache_b_->setItemData(cache_b_->count() - 1, QString::fromStdString(e.summary), Qt::ToolTipRole);
  }
  pace_box_ = new QComboBox;
  for (const char* p : {"1x", "10x", "100x"}) pace_box_->addItem(QString::fromLatin1(p));
  pace_box_->setCurrentIndex(1);
  start_ = new QPushButton(tr("Start A and B"));
  start_->setObjectName(QStringLiteral("ab_start"));
  reset_ = new QPushButton(tr("Reset"));
  status_ = new QLabel;
  status_->setWordWrap(true);

  auto* controls = new QHBoxLayout;
  controls->addWidget(new QLabel(tr("B is A with balancer")));
  controls->addWidget(balancer_b_);
  controls->addWidget(new QLabel(tr("and cache")));
  controls->addWidget(cache_b_);
  controls->addSpacing(16);
  controls->addWidget(new QLabel(tr("virtual clock at")));
  controls->addWidget(pace_box_);
  controls->addWidget(start_);
  controls->addWidget(reset_);
  controls->addStretch(1);

  QFont side_font = font();
  side_font.setBold(true);
  title_a_ = new QLabel;
  title_b_ = new QLabel;
  for (QLabel* l : {title_a_, title_b_}) {
    l->setFont(side_font);
    l->setAlignment(Qt::AlignCenter);
  }
  bars_a_ = new ShareBars;
  bars_b_ = new ShareBars;
  const QStringList latency_names{tr("mean"), tr("p50"), tr("p95"), tr("p99")};
  latency_a_ = new TimeChart(tr("A: latency"), tr("ms"));
  latency_b_ = new TimeChart(tr("B: latency"), tr("ms"));
  const std::vector<QString> names{tr("mean"), tr("p50"), tr("p95"), tr("p99")};
  const std::vector<QColor> colors{node_color(0), node_color(1), node_color(2), node_color(3)};
  latency_a_->set_series(names, colors);
  latency_b_->set_series(names, colors);
  difference_ = new TimeChart(tr("A − B: above 0, A is slower / hits more"), tr("ms / points"));
  difference_->set_series({tr("p99 A − B, ms (1 s average)"), tr("hit ratio A − B, points (1 s average)")},
                          {node_color(5), node_color(2)});
  difference_->set_references({0}, tr("no difference"));

  auto* grid = new QGridLayout;
  grid->addWidget(title_a_, 0, 0);
  grid->addWidget(title_b_, 0, 1);
  grid->addWidget(bars_a_, 1, 0);
  grid->addWidget(bars_b_, 1, 1);
  grid->addWidget(latency_a_, 2, 0);
  grid->addWidget(latency_b_, 2, 1);
  grid->addWidget(difference_, 3, 0, 1, 2);
  for (int r : {1, 2, 3}) grid->setRowStretch(r, 1);

  auto* layout = new QVBoxLayout(this);
  layout->addLayout(controls);
  layout->addWidget(status_);
  layout->addLayout(grid, 1);

  connect(start_, &QPushButton::clicked, this, [this] { running() ? pause() : static_cast<void>(start()); });
  connect(reset_, &QPushButton::clicked, this, &AbPanel::reset);
  connect(pace_box_, &QComboBox::currentIndexChanged, this, [this](int i) {
    set_pace(i == 0 ? 1 : i == 1 ? 10 : 100);
  });
  for (QComboBox* box : {balancer_b_, cache_b_})
    connect(box, &QComboBox::currentIndexChanged, this, [this] {
      reset();
      describe_sides();
    });
}

void AbPanel::set_scenario(const Scenario& scenario) {
  const bool new_model = scenario.nodes.size() != scenario_.nodes.size() || scenario.name != scenario_.name;
  scenario_ = scenario;
  if (new_model) {
    // B starts as A with the other common choice, so Start compares something at once.
    QSignalBlocker b1(balancer_b_), b2(cache_b_);
    const QString other =
        scenario.balancer == "least-connections" ? QStringLiteral("round-robin") : QStringLiteral("least-connections");
    balancer_b_->setCurrentText(other);
    cache_b_->setCurrentText(QString::fromStdString(scenario.cache_policy));
  }
  reset();
  describe_sides();
}

bool AbPanel::configure(const QString& spec, QString* error) {
  for (const QString& part : spec.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
    const QString key = part.section(QLatin1Char('='), 0, 0).trimmed();
    const QString value = part.section(QLatin1Char('='), 1).trimmed();
    QComboBox* box = key == QLatin1String("balancer") ? balancer_b_
                     : key == QLatin1String("cache")  ? cache_b_
                                                      : nullptr;
    const int index = box ? box->findText(value) : -1;
    if (index < 0) {
      if (error)
        *error = box ? tr("--ab: unknown %1 '%2'").arg(key, value)
                     : tr("--ab: '%1' is not balancer=NAME or cache=NAME").arg(part);
      return false;
    }
    box->setCurrentIndex(index);
  }
  return true;
}

Scenario AbPanel::scenario_b() const {
  Scenario b = scenario_;
  b.balancer = balancer_b_->currentText().toStdString();
  b.cache_policy = cache_b_->currentText().toStdString();
  return b;
}

void AbPanel::describe_sides() {
  title_a_->setText(tr("A: %1").arg(describe(scenario_)));
  title_b_->setText(tr("B: %1").arg(describe(scenario_b())));
}

bool AbPanel::start() {
  if (a_->state() == RunController::State::paused) {
    a_->start();
    b_->start();
    timer_->start();
    start_->setText(tr("Pause"));
    return true;
  }
  Scenario b = scenario_b();
  try {
    validate(b);
  } catch (const ScenarioError& e) {
    show_status(tr("B cannot run: %1").arg(QString::fromUtf8(e.what())), true);
    return false;
  }
  a_->set_scenario(scenario_);
  b_->set_scenario(std::move(b));
  for (RunController* side : {a_, b_}) side->set_clock(true, pace_);
  try {
    a_->start();
    b_->start();
  } catch (const std::exception& e) {
    a_->reset();
    b_->reset();
    show_status(tr("Could not start: %1").arg(QString::fromUtf8(e.what())), true);
    return false;
  }
  show_status(tr("Both sides run the same requests from seed %1 on the virtual clock.").arg(scenario_.seed), false);
  timer_->start();
  start_->setText(tr("Pause"));
  return true;
}

void AbPanel::pause() {
  a_->pause();
  b_->pause();
  start_->setText(tr("Resume"));
}

void AbPanel::reset() {
  timer_->stop();
  a_->reset();
  b_->reset();
  bars_a_->set_bars({});
  bars_b_->set_bars({});
  for (TimeChart* c : {latency_a_, latency_b_}) c->set_points({{}, {}, {}, {}}, 0, 10);
  difference_->set_points({{}, {}}, 0, 10);
  start_->setText(tr("Start A and B"));
}

void AbPanel::set_pace(double pace) {
  pace_ = pace;
  for (RunController* side : {a_, b_}) side->set_clock(true, pace);
}

void AbPanel::tick() {
  const bool a_new = a_->take_snapshots();
  const bool b_new = b_->take_snapshots();
  if (!a_new && !b_new) return;
  const std::size_t n = scenario_.nodes.size();
  std::vector<QString> names;
  std::vector<QColor> colors;
  for (std::size_t i = 0; i < n; ++i) {
    names.push_back(QString::fromStdString(scenario_.nodes[i].name));
    colors.push_back(node_color(i));
  }
  const auto& ha = a_->history().all();
  const auto& hb = b_->history().all();
  if (!ha.empty()) bars_a_->set_bars(share_bars(recent_completions(ha, n, 10), ha.back(), names, colors));
  if (!hb.empty()) bars_b_->set_bars(share_bars(recent_completions(hb, n, 10), hb.back(), names, colors));
  const TimeLines la = time_lines(ha, n, kSpan, scenario_.interval_ms);
  const TimeLines lb = time_lines(hb, n, kSpan, scenario_.interval_ms);
  // One scale for both sides: a mirrored chart is read by comparing heights.
  const double y = nice_ceiling(std::max(max_y(la.latency), max_y(lb.latency)));
  const double x_from = std::min(la.x_from, lb.x_from), x_to = std::max(la.x_to, lb.x_to);
  latency_a_->set_points(la.latency, x_from, x_to, y);
  latency_b_->set_points(lb.latency, x_from, x_to, y);
  const DifferenceLines d = difference_lines(ha, hb, kSpan, scenario_.interval_ms, kSmooth);
  // Symmetric about the zero line, so "A worse" and "B worse" look the same size.
  double extent = 0;
  for (const auto* line : {&d.p99_ms, &d.hit_points})
    for (const QPointF& p : *line) extent = std::max(extent, std::abs(p.y()));
  extent = nice_ceiling(extent);
  difference_->set_points({d.p99_ms, d.hit_points}, d.x_from, d.x_to, extent, -extent);
  if (a_->run() && a_->run()->finished() && b_->run() && b_->run()->finished()) timer_->stop();
}

void AbPanel::set_dark(bool dark) {
  for (TimeChart* c : {latency_a_, latency_b_, difference_}) c->set_dark(dark);
}

void AbPanel::set_fonts(const QFont& font) {
  for (TimeChart* c : {latency_a_, latency_b_, difference_}) c->set_fonts(font);
}

void AbPanel::show_status(const QString& text, bool error) {
  status_->setText(text);
  status_->setStyleSheet(error ? QStringLiteral("QLabel { color: #D55E00; font-weight: bold; }") : QString());
}

}  // namespace loadlab::ui
