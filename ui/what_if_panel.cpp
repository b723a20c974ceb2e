#include "what_if_panel.h"

#include <fmt/format.h>

#include <QComboBox>
#include <QFile>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <fstream>

#include "sweep/run_metrics.h"
#include "sweep/scenario_parameter.h"
#include "sweep/sweep_csv.h"
#include "sweep/sweep_curves.h"
#include "sweep/sweep_table.h"
#include "sweep_chart.h"
#include "theory/offered_load.h"

namespace loadlab::ui {
namespace {

// The metrics offered first: what the questions in the README ask about.
constexpr const char* kFirstMetrics[] = {"p99_us",       "mean_us",          "hit_ratio",          "throughput_rps",
                                         "availability", "goodput_fraction", "imbalance_max_mean", "max_queue"};

// A number for a range's end, rounded to 2 significant digits so the spec reads well.
std::string round2(double v) {
  if (!(v > 0)) return "0";
  const double scale = std::pow(10.0, std::floor(std::log10(v)) - 1);
  return fmt::format("{:g}", std::round(v / scale) * scale);
}

}  // namespace

WhatIfPanel::WhatIfPanel(QWidget* parent) : QWidget(parent) {
  preset_box_ = new QComboBox;
  preset_box_->setObjectName(QStringLiteral("what_if_preset"));
  preset_box_->addItem(tr("Your model (the window's)"), QString());
  for (const std::string& name : sweep_preset_names()) {
    try {
      preset_box_->addItem(QString::fromStdString(load_sweep_preset(name).title), QString::fromStdString(name));
    } catch (const std::exception&) {
      // a broken built-in preset is a test failure (SweepPreset tests), not the window's
    }
  }
  preset_box_->setToolTip(tr("A question with its lesson and formula, or your own model with the controls below."));
  parameter_ = new QComboBox;
  parameter_->setObjectName(QStringLiteral("what_if_parameter"));
  values_ = new QLineEdit;
  values_->setObjectName(QStringLiteral("what_if_values"));
  values_->setToolTip(
      tr("A list (a,b,c), a linear range (lo:hi:step) or a log range (lo:hi:xN for N points), "
         "as `loadlab-cli sweep --vary` takes it."));
  by_ = new QComboBox;
  by_->setObjectName(QStringLiteral("what_if_by"));
  by_->addItem(tr("one curve"), QString());
  for (const char* name : {"balancer", "cache", "service"})
    by_->addItem(QString::fromLatin1(name), QString::fromLatin1(name));
  by_values_ = new QLineEdit;
  by_values_->setObjectName(QStringLiteral("what_if_by_values"));
  by_values_->setEnabled(false);
  seeds_ = new QSpinBox;
  seeds_->setRange(1, 100);
  seeds_->setValue(5);
  seeds_->setToolTip(
      tr("Runs per point, each with its own seed (the same seeds at every point). Two or more give "
         "the 95% band."));
  requests_ = new QSpinBox;
  requests_->setRange(100, 10'000'000);
  requests_->setSingleStep(10'000);
  requests_->setValue(20'000);
  requests_->setGroupSeparatorShown(true);
  requests_->setToolTip(tr("Requests per run. Each run is the virtual clock's: the live run is not disturbed."));
  metric_ = new QComboBox;
  metric_->setObjectName(QStringLiteral("what_if_metric"));
  for (const char* first : kFirstMetrics) metric_->addItem(QString::fromLatin1(first));
  for (const MetricInfo& m : kRunMetrics) {
    const QString name = QString::fromUtf8(m.name.data(), static_cast<int>(m.name.size()));
    if (metric_->findText(name) < 0) metric_->addItem(name);
  }
  for (int i = 0; i < metric_->count(); ++i) {
    const std::size_t m = run_metric_index(metric_->itemText(i).toStdString());
    if (m < kRunMetricCount)
      metric_->setItemData(
          i, QString::fromUtf8(kRunMetrics[m].summary.data(), static_cast<int>(kRunMetrics[m].summary.size())),
          Qt::ToolTipRole);
  }
  target_ = new QLineEdit;
  target_->setObjectName(QStringLiteral("what_if_target"));
  target_->setPlaceholderText(tr("none"));
  target_->setToolTip(tr("A horizontal line; the caption says where each curve crosses it."));
  target_unit_ = new QLabel;
  run_button_ = new QPushButton(tr("Run sweep"));
  run_button_->setObjectName(QStringLiteral("what_if_run"));
  cancel_button_ = new QPushButton(tr("Cancel"));
  csv_button_ = new QPushButton(tr("Export CSV…"));
  chart_button_ = new QPushButton(tr("Export chart…"));
  progress_ = new QProgressBar;
  progress_->setRange(0, 1);
  progress_->setValue(0);
  progress_->setFormat(tr("%v of %m runs"));
  status_ = new QLabel;
  status_->setObjectName(QStringLiteral("what_if_status"));
  status_->setWordWrap(true);
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  chart_ = new SweepChart;

  auto* form = new QFormLayout;
  form->addRow(tr("Sweep"), preset_box_);
  form->addRow(tr("Vary"), parameter_);
  form->addRow(tr("over"), values_);
  form->addRow(tr("Curves"), by_);
  form->addRow(tr("for"), by_values_);
  form->addRow(tr("Seeds"), seeds_);
  form->addRow(tr("Requests"), requests_);
  form->addRow(tr("Metric"), metric_);
  auto* target_row = new QHBoxLayout;
  target_row->addWidget(target_, 1);
  target_row->addWidget(target_unit_);
  form->addRow(tr("Target"), target_row);
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(run_button_);
  buttons->addWidget(cancel_button_);
  auto* exports = new QHBoxLayout;
  exports->addWidget(csv_button_);
  exports->addWidget(chart_button_);
  auto* side = new QVBoxLayout;
  side->addLayout(form);
  side->addLayout(buttons);
  side->addWidget(progress_);
  side->addLayout(exports);
  side->addWidget(status_);
  side->addStretch(1);
  auto* side_widget = new QWidget;
  side_widget->setLayout(side);
  side_widget->setMinimumWidth(320);
  side_widget->setMaximumWidth(380);
  auto* layout = new QHBoxLayout(this);
  layout->addWidget(side_widget);
  layout->addWidget(chart_, 1);

  connect(parameter_, &QComboBox::currentIndexChanged, this, [this] { suggest_values(); });
  connect(preset_box_, &QComboBox::currentIndexChanged, this, [this] { preset_chosen(); });
  connect(by_, &QComboBox::currentIndexChanged, this, [this] { suggest_by_values(); });
  connect(metric_, &QComboBox::currentIndexChanged, this, [this] {
    const std::string m = metric_->currentText().toStdString();
    target_unit_->setText(m.ends_with("_us") ? tr("ms") : QString());
    redraw();
  });
  connect(target_, &QLineEdit::editingFinished, this, [this] { redraw(); });
  connect(run_button_, &QPushButton::clicked, this, [this] { run(); });
  connect(cancel_button_, &QPushButton::clicked, this, [this] { cancel(); });
  // The files are chosen by the window (it owns the dialogs and remembers directories).
  connect(csv_button_, &QPushButton::clicked, this, [this] { Q_EMIT export_csv_requested(); });
  connect(chart_button_, &QPushButton::clicked, this, [this] { Q_EMIT export_chart_requested(); });
  target_unit_->setText(tr("ms"));
  update_buttons();
}

WhatIfPanel::~WhatIfPanel() {
  if (runner_) runner_->cancel();
  if (worker_.joinable()) worker_.join();
}

void WhatIfPanel::set_scenario(const Scenario& scenario) {
  const bool nodes_changed = scenario.nodes.size() != scenario_.nodes.size() ||
                             !std::equal(scenario.nodes.begin(), scenario.nodes.end(), scenario_.nodes.begin(),
                                         [](const NodeSpec& a, const NodeSpec& b) { return a.name == b.name; });
  scenario_ = scenario;
  if (parameter_->count() == 0 || nodes_changed) {
    const QString current = parameter_->currentText();
    QSignalBlocker block(parameter_);
    parameter_->clear();
    for (const ParameterInfo& p : sweep_parameters()) {
      if (p.kind == ParameterKind::categorical) continue;  // those make curves, not an axis
      if (p.name.ends_with(":NODE")) {
        const std::string prefix = p.name.substr(0, p.name.size() - 4);
        for (const NodeSpec& n : scenario.nodes) {
          parameter_->addItem(QString::fromStdString(prefix + n.name));
          parameter_->setItemData(parameter_->count() - 1, QString::fromStdString(p.summary), Qt::ToolTipRole);
        }
        continue;
      }
      parameter_->addItem(QString::fromStdString(p.name));
      parameter_->setItemData(parameter_->count() - 1, QString::fromStdString(p.summary), Qt::ToolTipRole);
    }
    const int keep = parameter_->findText(current);
    parameter_->setCurrentIndex(keep >= 0 ? keep : 0);
    suggest_values();
  }
  if (!running()) redraw();  // the "now" marker follows the live model
}

// A range around today's value that answers the usual question for the parameter.
void WhatIfPanel::suggest_values() {
  const std::string name = parameter_->currentText().toStdString();
  const std::optional<double> now = sweep_parameter_value(scenario_, name);
  std::string spec;
  if (name == "rate") {
    const OfferedLoad load = predict_offered_load(scenario_);
    const double top = load.applicable && load.capacity_rps > 0 ? load.capacity_rps : (now ? 2 * *now : 1000);
    // From light load to just past the capacity: where the hockey stick turns.
    const double lo = std::stod(round2(top * 0.1));
    const double step = std::stod(round2(top * 0.1));
    spec = fmt::format("{:g}:{:g}:{:g}", lo, lo + step * 10, step);
  } else if (name == "nodes") {
    spec = "1,2,4,8,16,32";
  } else if (name == "zipf") {
    spec = "0.5:1.3:0.1";
  } else if (name == "keys") {
    spec = "100:1000000:x9";
  } else if (name == "cache-capacity") {
    spec = fmt::format("10:{}:x9", std::max<std::size_t>(100, scenario_.workload.keys.keys));
  } else if (name == "slots" || name == "clients" || name == "choices") {
    spec = "1,2,4,8,16";
  } else if (name.starts_with("weight:") || name.starts_with("speed:")) {
    spec = "0.25:2:0.25";
  } else if (now && *now > 0) {
    spec = fmt::format("{}:{}:x7", round2(*now / 4), round2(*now * 4));
  }
  values_->setText(QString::fromStdString(spec));
}

void WhatIfPanel::suggest_by_values() {
  const QString by = by_->currentData().toString();
  by_values_->setEnabled(!by.isEmpty());
  if (by == QLatin1String("balancer"))
    by_values_->setText(QStringLiteral("round-robin,least-connections,p2c"));
  else if (by == QLatin1String("cache"))
    by_values_->setText(QStringLiteral("lru,fifo,s3fifo,sieve"));
  else if (by == QLatin1String("service"))
    by_values_->setText(QStringLiteral("fixed,exponential,lognormal"));
  else
    by_values_->clear();
}

bool WhatIfPanel::choose_preset(const QString& name) {
  const int index = preset_box_->findData(name);
  if (index < 0) return false;
  preset_box_->setCurrentIndex(index);
  preset_chosen();
  return true;
}

void WhatIfPanel::preset_chosen() {
  const QString name = preset_box_->currentData().toString();
  preset_.reset();
  if (!name.isEmpty()) {
    try {
      preset_ = load_sweep_preset(name.toStdString());
    } catch (const std::exception& e) {
      show_status(QString::fromStdString(e.what()), true);
    }
  }
  if (preset_) {
    const SweepChartHints& h = preset_->chart;
    const int metric = metric_->findText(QString::fromStdString(h.y));
    if (metric >= 0) metric_->setCurrentIndex(metric);
    const bool latency = h.y.ends_with("_us");
    target_->setText(h.target ? QString::number(latency ? *h.target / 1000 : *h.target) : QString());
    seeds_->setValue(static_cast<int>(std::min<unsigned>(preset_->definition.seeds, 100)));
    QString vary;
    for (const SweepParameter& p : preset_->definition.parameters)
      vary += (vary.isEmpty() ? "" : "  ") + QString::fromStdString(p.name + "=" + p.spec);
    show_status(QString::fromStdString(preset_->lesson) + tr("\n\nVaries %1.").arg(vary), false);
  } else {
    show_status(QString(), false);
  }
  update_buttons();
}

bool WhatIfPanel::configure(const QString& vary, const QString& by, const QString& metric, const QString& target,
                            int seeds, QString* error) {
  auto fail = [&](const QString& why) {
    if (error) *error = why;
    return false;
  };
  choose_preset(QString());  // the window's model, with these controls
  const qsizetype eq = vary.indexOf(QLatin1Char('='));
  const int parameter = parameter_->findText(vary.left(eq));
  if (eq <= 0 || parameter < 0)
    return fail(
        tr("--what-if: '%1' is not PARAM=SPEC with a numeric parameter of this scenario (e.g. rate=100:900:100)")
            .arg(vary));
  parameter_->setCurrentIndex(parameter);
  values_->setText(vary.mid(eq + 1));
  if (by.isEmpty()) {
    by_->setCurrentIndex(0);
  } else {
    const qsizetype by_eq = by.indexOf(QLatin1Char('='));
    const int index = by_->findData(by.left(by_eq));
    if (by_eq <= 0 || index < 0)
      return fail(tr("--what-if-by: '%1' is not balancer=..., cache=... or service=...").arg(by));
    by_->setCurrentIndex(index);
    by_values_->setText(by.mid(by_eq + 1));
  }
  if (!metric.isEmpty()) {
    const int index = metric_->findText(metric);
    if (index < 0) return fail(tr("--what-if-metric: unknown metric '%1'").arg(metric));
    metric_->setCurrentIndex(index);
  }
  target_->setText(target);
  if (seeds < seeds_->minimum() || seeds > seeds_->maximum())
    return fail(tr("--what-if-seeds: %1 is not between 1 and %2").arg(seeds).arg(seeds_->maximum()));
  seeds_->setValue(seeds);
  return true;
}

bool WhatIfPanel::run() {
  if (running()) return false;
  SweepDefinition d;
  Scenario base = preset_ ? preset_->scenario : scenario_;
  std::vector<SweepPoint> points;
  try {
    if (preset_) {
      d = preset_->definition;  // its grid, and its requests per run
      d.seeds = static_cast<unsigned>(seeds_->value());
      base.clock = Scenario::Clock::virtual_time;
      points = plan_sweep(base, d);
    } else {
      d.seeds = static_cast<unsigned>(seeds_->value());
      d.parameters.push_back(parse_sweep_parameter(parameter_->currentText().toStdString() + "=" +
                                                   values_->text().trimmed().toStdString()));
      const QString by = by_->currentData().toString();
      if (!by.isEmpty())
        d.parameters.push_back(
            parse_sweep_parameter(by.toStdString() + "=" + by_values_->text().trimmed().toStdString()));
      check_definition(d);
      // The virtual clock, whatever the live run uses: the sweep must not take the live
      // run's cores for its own real threads, and its points must be exactly repeatable.
      base.clock = Scenario::Clock::virtual_time;
      base.workload.requests = static_cast<std::uint64_t>(requests_->value());
      points = plan_sweep(base, d);
    }
  } catch (const std::exception& e) {
    show_status(QString::fromStdString(e.what()), true);
    return false;
  }
  definition_ = d;
  hints_ = preset_ ? std::optional<SweepChartHints>(preset_->chart) : std::nullopt;
  results_.clear();
  runs_total_ = points.size() * d.seeds;
  progress_->setRange(0, static_cast<int>(std::min<std::size_t>(runs_total_, 1'000'000'000)));
  progress_->setValue(0);
  // One core stays with the live run and the window.
  const unsigned threads = std::max(1u, std::thread::hardware_concurrency() - 1);
  runner_ = std::make_unique<SweepRunner>(base, d, std::move(points), threads);
  // The runner calls back on its threads; the panel's state is touched only on the GUI thread.
  // A queued call whose panel is gone is dropped by Qt (the panel is its context object).
  runner_->on_point([this](const PointResult& r) {
    QMetaObject::invokeMethod(
        this, [this, r] { point_done(r); }, Qt::QueuedConnection);
  });
  runner_->on_progress([this](const SweepProgress& p) {
    QMetaObject::invokeMethod(
        this, [this, p] { progress_made(p); }, Qt::QueuedConnection);
  });
  SweepRunner* runner = runner_.get();
  worker_ = std::thread([this, runner] {
    runner->run();
    QMetaObject::invokeMethod(
        this, [this] { sweep_ended(); }, Qt::QueuedConnection);
  });
  show_status(tr("Sweeping %1 points × %2 seeds on the virtual clock (%3 threads)…")
                  .arg(runs_total_ / d.seeds)
                  .arg(d.seeds)
                  .arg(threads),
              false);
  chart_->clear();
  update_buttons();
  return true;
}

void WhatIfPanel::cancel() {
  if (runner_) runner_->cancel();
}

void WhatIfPanel::point_done(PointResult point) {
  results_.push_back(std::move(point));
  redraw();
}

void WhatIfPanel::progress_made(SweepProgress p) { progress_->setValue(static_cast<int>(p.runs_done)); }

void WhatIfPanel::sweep_ended() {
  if (worker_.joinable()) worker_.join();
  const bool cancelled = runner_ && runner_->cancelled();
  runner_.reset();
  redraw();
  if (cancelled)
    show_status(
        tr("Cancelled: %1 of %2 points finished (kept).").arg(results_.size()).arg(runs_total_ / definition_.seeds),
        false);
  else if (chart_->crossings().isEmpty())
    show_status(tr("Done: %1 points.").arg(results_.size()), false);
  else
    show_status(chart_->crossings(), false);
  update_buttons();
  Q_EMIT finished(cancelled);
}

void WhatIfPanel::redraw() {
  if (results_.empty() || definition_.parameters.empty()) {
    chart_->clear();
    return;
  }
  std::optional<double> target;
  const QString target_text = target_->text().trimmed();
  if (!target_text.isEmpty()) {
    bool ok = false;
    const double v = target_text.toDouble(&ok);
    if (ok && std::isfinite(v)) {
      // Latency targets are typed in ms, the figures are µs.
      target = metric_->currentText().endsWith(QLatin1String("_us")) ? v * 1000 : v;
    } else {
      show_status(tr("Target '%1' is not a number.").arg(target_text), true);
    }
  }
  SweepCurveRequest request;
  request.y = metric_->currentText().toStdString();
  if (hints_) {  // a preset says how its answer is drawn
    request.x = hints_->x;
    request.by = hints_->by.value_or("");
    if (hints_->theory && request.y == hints_->y) request.theory = *hints_->theory;
  } else {
    request.x = definition_.parameters[0].name;
    if (definition_.parameters.size() > 1) request.by = definition_.parameters[1].name;
  }
  try {
    SweepCurves curves = build_sweep_curves(sweep_table(definition_, results_), request);
    if (hints_ && hints_->log_x) curves.log_x = true;
    // "Now" is the window's own setting: it has none in a preset's model.
    chart_->show_curves(curves, target, hints_ ? std::nullopt : sweep_parameter_value(scenario_, request.x));
  } catch (const std::exception& e) {
    show_status(QString::fromStdString(e.what()), true);
  }
}

bool WhatIfPanel::export_csv(const QString& file) {
  if (results_.empty()) {
    show_status(tr("Nothing to export yet: run a sweep first."), true);
    return false;
  }
  std::vector<PointResult> ordered = results_;
  std::sort(ordered.begin(), ordered.end(),
            [](const PointResult& a, const PointResult& b) { return a.point.index < b.point.index; });
  try {
    write_sweep_csv(file.toStdString(), definition_, ordered);
  } catch (const std::exception& e) {
    show_status(QString::fromStdString(e.what()), true);
    return false;
  }
  show_status(tr("Saved the sweep to %1.").arg(file), false);
  return true;
}

bool WhatIfPanel::export_chart(const QString& file) {
  QString error;
  if (!chart_->save(file, &error)) {
    show_status(error, true);
    return false;
  }
  show_status(tr("Saved the chart to %1.").arg(file), false);
  return true;
}

void WhatIfPanel::set_dark(bool dark) { chart_->set_dark(dark); }
void WhatIfPanel::set_fonts(const QFont& font) { chart_->set_fonts(font); }

void WhatIfPanel::show_status(const QString& text, bool error) {
  status_->setText(text);
  status_->setStyleSheet(error ? QStringLiteral("QLabel { color: #D55E00; font-weight: bold; }") : QString());
}

void WhatIfPanel::update_buttons() {
  run_button_->setEnabled(!running());
  cancel_button_->setEnabled(running());
  csv_button_->setEnabled(!running() && !results_.empty());
  chart_button_->setEnabled(!results_.empty());
  // A preset brings its own grid and requests; the seeds, the metric and the target stay the user's.
  const bool own = !preset_;
  for (QWidget* w : std::initializer_list<QWidget*>{parameter_, values_, by_, requests_})
    w->setEnabled(!running() && own);
  for (QWidget* w : std::initializer_list<QWidget*>{preset_box_, seeds_}) w->setEnabled(!running());
  by_values_->setEnabled(!running() && own && !by_->currentData().toString().isEmpty());
}

}  // namespace loadlab::ui
