#include "main_window.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QDragEnterEvent>
#include <QElapsedTimer>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QLabel>
#include <QMenuBar>
#include <QMimeData>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QTextBrowser>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <fstream>

#include "balancers/balancer_registry.h"
#include "caches/cache_registry.h"
#include "engine/engine.h"
#include "metrics/csv_export.h"
#include "node_palette.h"
#include "node_table.h"
#include "scenario/scenario_json.h"
#include "share_bars.h"
#include "sim/simulator.h"
#include "theme.h"
#include "theory/cache_theory.h"
#include "theory/key_movement.h"
#include "theory/predictions.h"
#include "theory/theory.h"
#include "time_chart.h"

namespace loadlab::ui {

namespace {

constexpr double kSlowMotion = 10;  // slow motion stretches time tenfold
// Virtual seconds per real second for each Clock choice (index 0 is real threads; 0 for the
// virtual clock means as fast as possible).
constexpr double kClockPaces[] = {0, 1, 10, 100, 0};
constexpr std::size_t kBarSnapshots = 10;  // bars average the last second

QString to_q(const std::string& s) { return QString::fromStdString(s); }

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent), feed_(std::make_shared<SnapshotFeed>()) {
  setWindowTitle(tr("LoadLab"));
  setAcceptDrops(true);
  base_font_ = QApplication::font();
  tick_timer_ = new QTimer(this);
  tick_timer_->setInterval(kTickMs);
  connect(tick_timer_, &QTimer::timeout, this, &MainWindow::tick);
  build_charts();
  build_controls();
  build_actions();
  restore_settings();
  const QStringList presets = preset_names();
  if (!open_preset(QStringLiteral("weights-5-3-1")) && !presets.isEmpty()) open_preset(presets.front());
}

MainWindow::~MainWindow() { stop_engine(); }

QStringList MainWindow::preset_names() {
  QStringList names;
  for (const QString& file :
       QDir(QStringLiteral(":/presets")).entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name))
    names << QFileInfo(file).completeBaseName();
  return names;
}

// ---------------------------------------------------------------------------------------------
// Building the window

void MainWindow::build_charts() {
  auto* central = new QWidget;
  auto* layout = new QVBoxLayout(central);
  layout->setContentsMargins(4, 4, 4, 4);
  banner_ = new QLabel;
  banner_->setWordWrap(true);
  banner_->setVisible(false);
  banner_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(banner_);
  auto* grid = new QGridLayout;
  bars_ = new ShareBars;
  hit_chart_ = new TimeChart(tr("Cache hit ratio per node"), tr("hit ratio %"));
  latency_chart_ = new TimeChart(tr("Latency, all nodes"), tr("ms"));
  in_flight_chart_ = new TimeChart(tr("In flight per node (queued + in service)"), tr("requests"));
  hit_chart_->setToolTip(tr("Share of requests served from the node's cache, per interval"));
  latency_chart_->setToolTip(
      tr("p50, p95 and p99 latency of the requests completed in each interval, "
         "measured from the intended send time"));
  in_flight_chart_->setToolTip(tr("Requests sent to the node and not yet answered: a growing line is a queue"));
  grid->addWidget(bars_, 0, 0);
  grid->addWidget(latency_chart_, 0, 1);
  grid->addWidget(hit_chart_, 1, 0);
  grid->addWidget(in_flight_chart_, 1, 1);
  for (int k = 0; k < 2; ++k) {
    grid->setRowStretch(k, 1);
    grid->setColumnStretch(k, 1);
  }
  layout->addLayout(grid, 1);
  setCentralWidget(central);

  status_rate_ = new QLabel;
  status_requests_ = new QLabel;
  status_time_ = new QLabel;
  status_balance_ = new QLabel;
  status_balance_->setToolTip(
      tr("Imbalance of the last interval over the nodes in rotation (per unit of weight for "
         "weighted policies): max/mean and Jain's fairness index, 1 is perfect. For hashing "
         "balancers: the keys that would change node if the last node left."));
  statusBar()->addWidget(status_rate_, 1);
  statusBar()->addWidget(status_requests_, 1);
  statusBar()->addWidget(status_balance_, 2);
  statusBar()->addPermanentWidget(status_time_);
}

void MainWindow::build_controls() {
  // Left dock: the run's parameters and the node table.
  auto* panel = new QWidget;
  auto* v = new QVBoxLayout(panel);
  auto* form = new QFormLayout;
  balancer_box_ = new QComboBox;
  for (const auto& e : balancers().entries()) {
    balancer_box_->addItem(to_q(e.name));
    balancer_box_->setItemData(balancer_box_->count() - 1, to_q(e.summary), Qt::ToolTipRole);
  }
  balancer_box_->setToolTip(tr("How the balancer chooses a node; switching restarts the run with the same seed"));
  cache_box_ = new QComboBox;
  for (const auto& e : caches().entries()) {
    cache_box_->addItem(to_q(e.name));
    cache_box_->setItemData(cache_box_->count() - 1, to_q(e.summary), Qt::ToolTipRole);
  }
  cache_box_->setToolTip(tr("Eviction policy of every node's cache; switching restarts the run"));
  rate_box_ = new QDoubleSpinBox;
  rate_box_->setRange(1, kMaxRate);
  rate_box_->setDecimals(0);
  rate_box_->setSingleStep(100);
  rate_box_->setSuffix(tr(" req/s"));
  rate_box_->setToolTip(tr("Open-loop arrival rate: requests are sent at this rate whether or not nodes keep up"));
  skew_box_ = new QDoubleSpinBox;
  skew_box_->setRange(0, 3);
  skew_box_->setDecimals(2);
  skew_box_->setSingleStep(0.1);
  skew_box_->setToolTip(tr("Key skew: Zipf exponent s (0 = every key equally popular); changing it restarts the run"));
  speed_box_ = new QComboBox;
  speed_box_->addItems({tr("Normal"), tr("Slow motion (x10)")});
  speed_box_->setToolTip(tr("Slow motion stretches time tenfold: arrivals and service both ten times slower"));
  form->addRow(tr("Balancer"), balancer_box_);
  form->addRow(tr("Cache"), cache_box_);
  form->addRow(tr("Rate"), rate_box_);
  form->addRow(tr("Key skew"), skew_box_);
  clock_box_ = new QComboBox;
  clock_box_->setObjectName(QStringLiteral("clock_box"));
  clock_box_->addItems({tr("Real threads"), tr("Virtual, 1\u00d7"), tr("Virtual, 10\u00d7"), tr("Virtual, 100\u00d7"),
                        tr("Virtual, as fast as possible")});
  clock_box_->setToolTip(
      tr("Real threads serve real requests on this machine's clock. The virtual clock runs the same "
         "model as a simulation: exactly repeatable, and it can fast-forward (100\u00d7 shows an "
         "hour in 36 s)"));
  form->addRow(tr("Speed"), speed_box_);
  form->addRow(tr("Clock"), clock_box_);
  v->addLayout(form);
  table_ = new NodeTable;
  v->addWidget(table_, 1);
  auto* node_buttons = new QHBoxLayout;
  auto* add = new QPushButton(tr("Add node"));
  auto* remove = new QPushButton(tr("Remove node"));
  add->setToolTip(tr("Add a node with weight 1 (restarts the run)"));
  remove->setToolTip(tr("Remove the last node (restarts the run)"));
  node_buttons->addWidget(add);
  node_buttons->addWidget(remove);
  v->addLayout(node_buttons);
  panel->setMinimumWidth(490);  // the node table fits without a horizontal scroll bar
  auto* dock = new QDockWidget(tr("Cluster"), this);
  dock->setObjectName(QStringLiteral("cluster_dock"));
  dock->setWidget(panel);
  addDockWidget(Qt::LeftDockWidgetArea, dock);

  about_ = new QTextBrowser;
  about_->setOpenExternalLinks(true);
  // The hint sits outside the scenario's text so it can go away while a run is going.
  start_hint_ = new QLabel(tr("Press Start (Space). Drag a weight, change a speed or a cache size while it runs."));
  start_hint_->setObjectName(QStringLiteral("start_hint"));
  start_hint_->setWordWrap(true);
  start_hint_->setContentsMargins(4, 2, 4, 4);
  QFont hint_font = start_hint_->font();
  hint_font.setItalic(true);
  start_hint_->setFont(hint_font);
  auto* about_panel = new QWidget;
  auto* about_layout = new QVBoxLayout(about_panel);
  about_layout->setContentsMargins(0, 0, 0, 0);
  about_layout->addWidget(about_, 1);
  about_layout->addWidget(start_hint_);
  auto* about_dock = new QDockWidget(tr("About this scenario"), this);
  about_dock->setObjectName(QStringLiteral("about_dock"));
  about_dock->setWidget(about_panel);
  addDockWidget(Qt::LeftDockWidgetArea, about_dock);

  connect(table_, &NodeTable::weight_changed, this, &MainWindow::on_weight);
  connect(table_, &NodeTable::speed_changed, this, &MainWindow::on_speed);
  connect(table_, &NodeTable::cache_changed, this, &MainWindow::on_cache);
  connect(table_, &NodeTable::kill_requested, this, &MainWindow::on_kill);
  connect(table_, &NodeTable::sick_requested, this, &MainWindow::on_sick);
  connect(balancer_box_, &QComboBox::currentTextChanged, this, [this](const QString& name) {
    if (name.toStdString() == scenario_.balancer) return;
    scenario_.balancer = name.toStdString();
    restart_if_running(tr("Balancer switched to %1").arg(name));
  });
  connect(cache_box_, &QComboBox::currentTextChanged, this, [this](const QString& name) {
    if (name.toStdString() == scenario_.cache_policy) return;
    scenario_.cache_policy = name.toStdString();
    restart_if_running(tr("Cache policy switched to %1").arg(name));
  });
  connect(rate_box_, &QDoubleSpinBox::valueChanged, this, [this](double rate) {
    scenario_.workload.rate = rate;
    if (engine_) engine_->set_rate(slow_motion_ ? rate / kSlowMotion : rate);
  });
  connect(skew_box_, &QDoubleSpinBox::valueChanged, this, [this](double s) {
    KeyPopularity& keys = scenario_.workload.keys;
    keys.kind = s > 0 ? KeyPopularity::Kind::zipf : KeyPopularity::Kind::uniform;
    keys.zipf_s = s > 0 ? s : keys.zipf_s;
    restart_if_running(s > 0 ? tr("Key skew set to Zipf s = %1").arg(s) : tr("Keys now equally popular"));
  });
  connect(speed_box_, &QComboBox::currentIndexChanged, this, [this](int index) { set_slow_motion(index == 1); });
  connect(clock_box_, &QComboBox::currentIndexChanged, this, [this](int index) { set_clock_choice(index); });
  connect(add, &QPushButton::clicked, this, [this] {
    if (scenario_.nodes.size() >= kMaxNodes) {
      show_message(tr("At most %1 nodes.").arg(kMaxNodes), true);
      return;
    }
    NodeSpec n;
    n.name = default_node_name(scenario_.nodes.size());
    scenario_.nodes.push_back(n);
    refresh_controls();
    restart_if_running(tr("Added node %1").arg(to_q(n.name)));
  });
  connect(remove, &QPushButton::clicked, this, [this] {
    if (scenario_.nodes.size() <= 1) {
      show_message(tr("A cluster needs at least one node."), true);
      return;
    }
    std::vector<NodeSpec> nodes = scenario_.nodes;
    nodes.pop_back();
    double total = 0;
    for (const NodeSpec& n : nodes) total += n.weight;
    if (total <= 0) {
      show_message(tr("Removing node %1 would leave only nodes with weight 0.").arg(to_q(scenario_.nodes.back().name)),
                   true);
      return;
    }
    const QString name = to_q(scenario_.nodes.back().name);
    scenario_.nodes = std::move(nodes);
    refresh_controls();
    restart_if_running(tr("Removed node %1").arg(name));
  });
}

void MainWindow::build_actions() {
  QToolBar* bar = addToolBar(tr("Run"));
  bar->setObjectName(QStringLiteral("run_toolbar"));
  bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
  start_action_ = bar->addAction(tr("Start"), this, [this] {
    if (state_ == State::running)
      pause();
    else
      start();
  });
  start_action_->setShortcut(Qt::Key_Space);
  start_action_->setToolTip(tr("Start, pause or resume the run (Space)"));
  step_action_ = bar->addAction(tr("Step"), this, &MainWindow::step);
  step_action_->setShortcut(Qt::Key_Period);
  step_action_->setToolTip(tr("While paused: run one interval, then pause again (.)"));
  reset_action_ = bar->addAction(tr("Reset"), this, &MainWindow::reset);
  reset_action_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
  reset_action_->setToolTip(tr("Stop and clear the charts; Start then begins the same seeded run again (Ctrl+R)"));

  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(tr("&Open scenario..."), QKeySequence::Open, this, [this] {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open scenario"), QString(), tr("Scenarios (*.json)"));
    if (!path.isEmpty()) open_file(path);
  });
  recent_menu_ = file->addMenu(tr("Open &recent"));
  file->addAction(tr("&Save scenario as..."), QKeySequence::Save, this, [this] {
    const QString path = QFileDialog::getSaveFileName(this, tr("Save scenario"), QString(), tr("Scenarios (*.json)"));
    if (!path.isEmpty()) save_scenario(path);
  });
  file->addSeparator();
  file->addAction(tr("&Export CSV..."), QKeySequence(Qt::CTRL | Qt::Key_E), this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Export summary.csv and timeseries.csv to"));
    if (!dir.isEmpty()) export_csv(dir);
  });
  file->addAction(tr("Export chart as &PNG..."), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E), this, [this] {
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export charts"), QStringLiteral("loadlab.png"), tr("PNG (*.png)"));
    if (!path.isEmpty()) export_png(path);
  });
  file->addSeparator();
  file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

  QMenu* presets = menuBar()->addMenu(tr("&Presets"));
  for (const QString& name : preset_names()) {
    QFile f(QStringLiteral(":/presets/%1.json").arg(name));
    QString title = name;
    if (f.open(QIODevice::ReadOnly)) {
      try {
        title = to_q(parse_scenario(f.readAll().toStdString()).name);
      } catch (const ScenarioError&) {
      }
    }
    presets->addAction(title, this, [this, name] { open_preset(name); });
  }

  QMenu* view = menuBar()->addMenu(tr("&View"));
  dark_action_ = view->addAction(tr("&Dark theme"));
  dark_action_->setObjectName(QStringLiteral("dark_action"));
  dark_action_->setCheckable(true);
  dark_action_->setChecked(true);
  connect(dark_action_, &QAction::toggled, this, &MainWindow::apply_dark);
  view->addAction(tr("&Larger text"), QKeySequence::ZoomIn, this,
                  [this] { apply_font_scale(std::min(font_scale_ * 1.25, 3.0)); });
  view->addAction(tr("&Smaller text"), QKeySequence::ZoomOut, this,
                  [this] { apply_font_scale(std::max(font_scale_ / 1.25, 0.6)); });
  view->addAction(tr("&Projector size"), QKeySequence(Qt::CTRL | Qt::Key_P), this, [this] { apply_font_scale(1.8); });
  view->addAction(tr("&Normal size"), QKeySequence(Qt::CTRL | Qt::Key_0), this, [this] { apply_font_scale(1.0); });

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("About this &preset"), QKeySequence::HelpContents, this, [this] {
    for (QDockWidget* d : findChildren<QDockWidget*>())
      if (d->widget() && d->widget()->isAncestorOf(about_)) d->show(), d->raise();
  });
  update_actions();
}

void MainWindow::restore_settings() {
  QSettings settings;
  resize(1440, 900);  // first start: room for the charts and a readable node table
  restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
  restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
  recent_ = settings.value(QStringLiteral("recent_files")).toStringList();
  rebuild_recent_menu();
  const bool dark = settings.value(QStringLiteral("view/dark"), true).toBool();
  dark_action_->setChecked(dark);
  apply_dark(dark);
  apply_font_scale(settings.value(QStringLiteral("view/font_scale"), 1.0).toDouble());
}

void MainWindow::closeEvent(QCloseEvent* event) {
  QSettings settings;
  settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
  settings.setValue(QStringLiteral("window/state"), saveState());
  settings.setValue(QStringLiteral("recent_files"), recent_);
  settings.setValue(QStringLiteral("view/dark"), dark_action_->isChecked());
  settings.setValue(QStringLiteral("view/font_scale"), font_scale_);
  stop_engine();
  event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
  const QList<QUrl> urls = event->mimeData()->urls();
  if (!urls.isEmpty() && urls.front().isLocalFile()) open_file(urls.front().toLocalFile());
}

void MainWindow::remember_file(const QString& path) {
  recent_.removeAll(path);
  recent_.prepend(path);
  while (recent_.size() > 8) recent_.removeLast();
  rebuild_recent_menu();
}

void MainWindow::rebuild_recent_menu() {
  recent_menu_->clear();
  for (const QString& path : recent_) recent_menu_->addAction(path, this, [this, path] { open_file(path); });
  recent_menu_->setEnabled(!recent_.isEmpty());
}

void MainWindow::apply_dark(bool dark) {
  apply_theme(*qApp, dark ? Theme::dark : Theme::light);
  for (TimeChart* c : {hit_chart_, latency_chart_, in_flight_chart_}) c->set_dark(dark);
  banner_->setStyleSheet(QString());
  bars_->update();
}

void MainWindow::apply_font_scale(double scale) {
  font_scale_ = scale;
  QFont f = base_font_;
  f.setPointSizeF(base_font_.pointSizeF() * scale);
  QApplication::setFont(f);
  for (TimeChart* c : {hit_chart_, latency_chart_, in_flight_chart_}) {
    QFont title = f;
    title.setBold(true);
    c->chart()->setTitleFont(title);
    c->chart()->legend()->setFont(f);
    for (QAbstractAxis* axis : c->chart()->axes()) {
      axis->setLabelsFont(f);
      axis->setTitleFont(f);
    }
  }
  bars_->setFont(f);
}

// ---------------------------------------------------------------------------------------------
// Scenarios

bool MainWindow::open_preset(const QString& name) {
  QFile f(QStringLiteral(":/presets/%1.json").arg(name));
  if (!f.open(QIODevice::ReadOnly)) {
    show_message(tr("No preset named '%1' (known: %2)").arg(name, preset_names().join(QStringLiteral(", "))), true);
    return false;
  }
  try {
    set_scenario(parse_scenario(f.readAll().toStdString()), tr("preset %1").arg(name));
    return true;
  } catch (const ScenarioError& e) {
    show_message(tr("Preset %1 is invalid: %2").arg(name, QString::fromUtf8(e.what())), true);
    return false;
  }
}

bool MainWindow::open_file(const QString& path) {
  try {
    Scenario s = load_scenario(path.toStdString());
    set_scenario(std::move(s), path);
    remember_file(path);
    return true;
  } catch (const ScenarioError& e) {
    // The running engine and the current scenario stay as they are.
    show_message(tr("Could not open %1: %2").arg(QFileInfo(path).fileName(), QString::fromUtf8(e.what())), true);
    return false;
  }
}

void MainWindow::set_scenario(Scenario scenario, const QString& origin) {
  stop_engine();
  scenario_ = std::move(scenario);
  origin_ = origin;
  history_.clear();
  state_ = State::idle;
  refresh_controls();
  about_->setHtml(QStringLiteral("<h2>%1</h2><p style='font-size:large'>%2</p>")
                      .arg(to_q(scenario_.name).toHtmlEscaped(), to_q(scenario_.description).toHtmlEscaped()));
  setWindowTitle(tr("LoadLab - %1").arg(to_q(scenario_.name)));
  show_message(tr("Opened %1.").arg(origin), false);
  redraw();
  update_actions();
}

bool MainWindow::save_scenario(const QString& file) {
  std::ofstream out(file.toStdString());
  out << scenario_to_json(scenario_);
  if (!out) {
    show_message(tr("Could not write %1").arg(file), true);
    return false;
  }
  remember_file(file);
  show_message(tr("Saved %1.").arg(file), false);
  return true;
}

void MainWindow::refresh_controls() {
  const QSignalBlocker b1(balancer_box_), b2(cache_box_), b3(rate_box_), b4(skew_box_), b5(clock_box_);
  // A scenario on the virtual clock opens at 1× (or at the virtual pace already chosen).
  if (scenario_.clock == Scenario::Clock::real)
    clock_box_->setCurrentIndex(0);
  else if (clock_box_->currentIndex() == 0)
    clock_box_->setCurrentIndex(1);
  balancer_box_->setCurrentText(to_q(scenario_.balancer));
  cache_box_->setCurrentText(to_q(scenario_.cache_policy));
  rate_box_->setValue(scenario_.workload.rate);
  rate_box_->setEnabled(scenario_.workload.mode == Workload::Mode::open);
  const KeyPopularity& keys = scenario_.workload.keys;
  skew_box_->setValue(keys.kind == KeyPopularity::Kind::zipf ? keys.zipf_s : 0.0);
  table_->set_nodes(scenario_.nodes, scenario_.cache_capacity);

  std::vector<QString> names;
  std::vector<QColor> colors;
  for (std::size_t i = 0; i < scenario_.nodes.size(); ++i) {
    names.push_back(to_q(scenario_.nodes[i].name));
    colors.push_back(node_color(i));
  }
  hit_chart_->set_series(names, colors);
  in_flight_chart_->set_series(names, colors);
  latency_chart_->set_series({tr("mean"), QStringLiteral("p50"), QStringLiteral("p95"), QStringLiteral("p99")},
                             {QColor(0xF0E442), QColor(0x56B4E9), QColor(0xE69F00), QColor(0xD55E00)});
  update_hit_model();
}

// ---------------------------------------------------------------------------------------------
// Running

Scenario MainWindow::run_scenario() const {
  Scenario s = scenario_;
  // The window runs until paused or reset, whatever end the file gives for the CLI.
  s.workload.requests = 0;
  s.workload.duration_s = 0;
  if (slow_motion_) {
    s.workload.rate /= kSlowMotion;
    s.workload.think_ms *= kSlowMotion;
    for (NodeSpec& n : s.nodes) n.speed /= kSlowMotion;
  }
  return s;
}

void MainWindow::start() {
  if (state_ == State::paused && engine_) {
    engine_->resume();
    state_ = State::running;
    update_actions();
    return;
  }
  if (state_ == State::running) return;
  stop_engine();
  history_.clear();
  try {
    if (clock_choice() == 0) {
      engine_ = std::make_unique<Engine>(run_scenario());
    } else {
      auto sim = std::make_unique<Simulator>(run_scenario());
      sim->set_pace(kClockPaces[clock_choice()]);
      engine_ = std::move(sim);
    }
  } catch (const std::exception& e) {
    show_message(tr("Cannot start: %1").arg(QString::fromUtf8(e.what())), true);
    update_actions();  // still no run: the hint comes back
    return;
  }
  std::vector<double> weights;
  for (const NodeSpec& n : scenario_.nodes) weights.push_back(n.weight);
  const auto moved =
      measure_key_movement(scenario_.balancer, scenario_.balancer_params, weights, scenario_.workload.keys.keys);
  keys_moved_ = moved ? tr("  ·  keys moved if %1 leaves: %2% (ideal %3%)")
                            .arg(to_q(scenario_.nodes[moved->removed_node].name))
                            .arg(100 * moved->moved_on_remove, 0, 'f', 1)
                            .arg(100 * moved->ideal_on_remove, 0, 'f', 1)
                      : QString();
  update_hit_model();
  std::shared_ptr<SnapshotFeed> feed = feed_;
  feed->take();
  engine_->subscribe([feed](const Snapshot& s) { feed->push(s); });
  engine_->start();
  state_ = State::running;
  tick_timer_->start();
  show_message(QString(), false);
  update_actions();
}

int MainWindow::clock_choice() const { return clock_box_->currentIndex(); }

void MainWindow::set_clock_choice(int index) {
  if (index < 0 || index >= static_cast<int>(std::size(kClockPaces))) return;
  if (clock_box_->currentIndex() != index) {
    const QSignalBlocker block(clock_box_);
    clock_box_->setCurrentIndex(index);
  }
  scenario_.clock = index == 0 ? Scenario::Clock::real : Scenario::Clock::virtual_time;
  // Between virtual paces the run goes on at the new pace; to or from real threads it restarts.
  if (auto* sim = dynamic_cast<Simulator*>(engine_.get()); sim && index > 0) {
    sim->set_pace(kClockPaces[index]);
    show_message(tr("Virtual clock: %1.").arg(clock_box_->currentText()), false);
    return;
  }
  restart_if_running(index == 0 ? tr("Clock: real threads") : tr("Clock: %1").arg(clock_box_->currentText()));
}

void MainWindow::pause() {
  if (state_ != State::running || !engine_) return;
  engine_->pause();
  state_ = State::paused;
  update_actions();
}

void MainWindow::step() {
  if (state_ != State::paused || !engine_) return;
  engine_->resume();
  step_action_->setEnabled(false);
  QTimer::singleShot(static_cast<int>(scenario_.interval_ms), this, [this] {
    if (engine_ && state_ == State::paused) engine_->pause();
    update_actions();
  });
}

void MainWindow::reset() {
  stop_engine();
  history_.clear();
  state_ = State::idle;
  redraw();
  update_actions();
}

void MainWindow::stop_engine() {
  if (!engine_) return;
  engine_->request_stop();
  engine_.reset();  // joins the engine's threads
  tick_timer_->stop();
  feed_->take();
}

void MainWindow::restart_if_running(const QString& why) {
  if (state_ == State::idle) {
    show_message(why + QStringLiteral("."), false);
    return;
  }
  const bool was_paused = state_ == State::paused;
  stop_engine();
  state_ = State::idle;
  start();
  if (was_paused) pause();
  show_message(why + tr(": the run restarted with the same seed."), false);
}

void MainWindow::set_slow_motion(bool slow) {
  if (slow == slow_motion_) return;
  slow_motion_ = slow;
  {
    const QSignalBlocker block(speed_box_);
    speed_box_->setCurrentIndex(slow ? 1 : 0);
  }
  if (engine_) {
    // Stretch time live: every rate and every service ten times slower (or back).
    const double f = slow ? 1 / kSlowMotion : 1.0;
    if (scenario_.workload.mode == Workload::Mode::open) engine_->set_rate(scenario_.workload.rate * f);
    for (std::size_t i = 0; i < scenario_.nodes.size(); ++i) engine_->set_speed(i, scenario_.nodes[i].speed * f);
  }
  show_message(slow ? tr("Slow motion: time runs ten times slower.") : tr("Normal speed."), false);
}

// Che's prediction of each node's LRU hit ratio, drawn as dashed neutral lines on the hit-ratio
// chart (one line per node up to eight nodes, their mean beyond); each sits on its node's line.
void MainWindow::update_hit_model() {
  hit_model_dirty_ = false;
  std::vector<double> weights;
  std::vector<std::size_t> capacities;
  for (std::size_t i = 0; i < scenario_.nodes.size(); ++i) {
    weights.push_back(scenario_.nodes[i].weight);
    capacities.push_back(scenario_.cache_capacity_of(i));
  }
  std::vector<double> hit =
      scenario_.cache_policy == "none" ? std::vector<double>{} : node_lru_hit_ratios(scenario_, weights, capacities);
  std::vector<double> values;
  if (hit.size() <= 8) {
    for (double h : hit) values.push_back(100 * h);
  } else {
    double sum = 0;
    for (double h : hit) sum += h;
    values.push_back(100 * sum / static_cast<double>(hit.size()));
  }
  hit_chart_->set_references(values, tr("LRU model (Che)"));
}

void MainWindow::on_weight(std::size_t node, double weight) {
  std::vector<double> weights;
  for (const NodeSpec& n : scenario_.nodes) weights.push_back(n.weight);
  weights[node] = weight;
  if (std::all_of(weights.begin(), weights.end(), [](double w) { return w <= 0; })) {
    // Refuse rather than stall the run: with every weight 0 no node could take a request.
    table_->show_weight(node, scenario_.nodes[node].weight);
    show_message(tr("Node %1 is the last node with a weight above 0: with all weights 0 no node could take a "
                    "request, so its weight stays %2.")
                     .arg(to_q(scenario_.nodes[node].name))
                     .arg(scenario_.nodes[node].weight),
                 true);
    return;
  }
  try {
    if (engine_) engine_->set_weight(node, weight);
    scenario_.nodes[node].weight = weight;
    hit_model_dirty_ = true;  // for hashing balancers the keys each node owns change
  } catch (const std::exception& e) {
    table_->show_weight(node, scenario_.nodes[node].weight);
    show_message(QString::fromUtf8(e.what()), true);
  }
}

void MainWindow::on_kill(std::size_t node, bool kill) {
  if (!engine_) {
    table_->show_health(node, true, true);
    show_message(tr("Start the run first: killing a node is something that happens to a running cluster."), true);
    return;
  }
  if (kill)
    engine_->kill(node);
  else
    engine_->revive(node);
  const QString name = to_q(scenario_.nodes[node].name);
  show_message(kill ? tr("Killed node %1: its requests fail until health checks take it out of rotation.").arg(name)
                    : tr("Revived node %1 with an empty cache.").arg(name),
               false);
}

void MainWindow::on_sick(std::size_t node, bool sick) {
  constexpr double kSpikeProbability = 0.05, kSpikeUs = 20'000;
  if (engine_) engine_->set_spikes(node, sick ? kSpikeProbability : 0.0, kSpikeUs);
  const QString name = to_q(scenario_.nodes[node].name);
  show_message(
      sick ? tr("Node %1 is sick: 5% of its requests take 20 ms longer. Watch p99, and try peak-ewma.").arg(name)
           : tr("Node %1 is well again.").arg(name),
      false);
}

void MainWindow::on_speed(std::size_t node, double speed) {
  try {
    if (engine_) engine_->set_speed(node, slow_motion_ ? speed / kSlowMotion : speed);
    scenario_.nodes[node].speed = speed;
  } catch (const std::exception& e) {
    show_message(QString::fromUtf8(e.what()), true);
  }
}

void MainWindow::on_cache(std::size_t node, std::size_t objects) {
  try {
    if (engine_) engine_->set_cache_capacity(node, objects);
    scenario_.nodes[node].cache_capacity = objects;
    hit_model_dirty_ = true;
  } catch (const std::exception& e) {
    show_message(QString::fromUtf8(e.what()), true);
  }
}

// ---------------------------------------------------------------------------------------------
// Drawing

void MainWindow::tick() {
  QElapsedTimer timer;
  timer.start();
  if (hit_model_dirty_) update_hit_model();  // coalesces a slider drag into one update per tick
  std::vector<Snapshot> fresh = feed_->take();
  for (Snapshot& s : fresh) history_.add(std::move(s));
  if (!fresh.empty()) redraw();
  if (force_repaint_) repaint();
  tick_ms_.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
  if (tick_ms_.size() > 100'000) tick_ms_.erase(tick_ms_.begin(), tick_ms_.begin() + 50'000);
}

MainWindow::TickStats MainWindow::tick_stats() const {
  TickStats s;
  s.ticks = tick_ms_.size();
  for (double t : tick_ms_) {
    s.mean_ms += t;
    s.max_ms = std::max(s.max_ms, t);
  }
  if (s.ticks) s.mean_ms /= static_cast<double>(s.ticks);
  return s;
}

void MainWindow::redraw() {
  const std::size_t n = scenario_.nodes.size();
  if (history_.empty()) {
    bars_->set_bars({});
    std::vector<QList<QPointF>> none_nodes(n), none4(4);
    hit_chart_->set_points(none_nodes, 0, 60, 100);
    in_flight_chart_->set_points(none_nodes, 0, 60);
    latency_chart_->set_references({}, QString());
    latency_chart_->set_points(none4, 0, 60);
    status_rate_->setText(tr("Ready: press Start (Space)"));
    status_requests_->clear();
    status_time_->clear();
    status_balance_->clear();
    table_->show_shares(std::vector<double>(n, 0), {});
    for (std::size_t i = 0; i < n; ++i) {  // a fresh run starts healthy
      table_->show_health(i, true, true);
      if (QPushButton* sick = table_->sick_button(i)) {
        const QSignalBlocker block(sick);
        sick->setChecked(false);
      }
    }
    return;
  }
  const auto& all = history_.all();
  const Snapshot& last = all.back();
  if (last.nodes.size() != n) return;  // a restart with another node count is on its way

  // Bars: requests per second per node over the last second.
  const std::size_t bar_from = all.size() > kBarSnapshots ? all.size() - kBarSnapshots : 0;
  std::vector<double> completed(n, 0);
  double seconds = 0;
  for (std::size_t k = bar_from; k < all.size(); ++k) {
    seconds += all[k].interval_s;
    for (std::size_t i = 0; i < n; ++i) completed[i] += static_cast<double>(all[k].nodes[i].interval_completed);
  }
  double total = 0;
  for (double c : completed) total += c;
  std::vector<ShareBars::Bar> bars(n);
  std::vector<double> shares(n, 0), expected(n, -1);
  for (std::size_t i = 0; i < n; ++i) {
    ShareBars::Bar& b = bars[i];
    b.name = to_q(scenario_.nodes[i].name);
    b.color = node_color(i);
    b.rps = seconds > 0 ? completed[i] / seconds : 0;
    b.share = total > 0 ? completed[i] / total : 0;
    const double e = last.nodes[i].expected_share;
    b.expected_share = std::isfinite(e) ? e : -1;
    b.expected_rps = std::isfinite(e) && seconds > 0 ? e * total / seconds : -1;
    shares[i] = b.share;
    expected[i] = b.expected_share;
  }
  bars_->set_bars(std::move(bars));
  table_->show_shares(shares, expected);
  for (std::size_t i = 0; i < n; ++i) table_->show_health(i, last.nodes[i].up, last.nodes[i].available);

  // Lines: the newest kChartSnapshots.
  const std::size_t from = all.size() > kChartSnapshots ? all.size() - kChartSnapshots : 0;
  std::vector<QList<QPointF>> hit(n), in_flight(n), latency(4);
  for (auto& l : hit) l.reserve(static_cast<qsizetype>(all.size() - from));
  for (auto& l : in_flight) l.reserve(static_cast<qsizetype>(all.size() - from));
  for (std::size_t k = from; k < all.size(); ++k) {
    const Snapshot& s = all[k];
    const double t = static_cast<double>(s.t_ms) / 1000.0;
    for (std::size_t i = 0; i < n; ++i) {
      const NodeSample& ns = s.nodes[i];
      const std::uint64_t lookups = ns.interval_hits + ns.interval_misses;
      if (lookups > 0) hit[i].append({t, 100.0 * static_cast<double>(ns.interval_hits) / static_cast<double>(lookups)});
      in_flight[i].append({t, static_cast<double>(ns.in_flight)});
    }
    if (std::isfinite(s.p50_us)) {
      latency[0].append({t, s.mean_us / 1000});
      latency[1].append({t, s.p50_us / 1000});
      latency[2].append({t, s.p95_us / 1000});
      latency[3].append({t, s.p99_us / 1000});
    }
  }
  const double t_end = static_cast<double>(last.t_ms) / 1000.0;
  const double t_begin = std::max(0.0, t_end - static_cast<double>(kChartSnapshots) * scenario_.interval_ms / 1000.0);
  const double x_to = std::max(t_end, t_begin + 10);
  hit_chart_->set_points(hit, t_begin, x_to, 100);
  in_flight_chart_->set_points(in_flight, t_begin, x_to);
  update_latency_model(bar_from);
  latency_chart_->set_points(latency, t_begin, x_to);

  // Status bar: achieved vs target rate, requests so far, elapsed time.
  const double rps = seconds > 0 ? total / seconds : 0;
  const double target = last.target_rate;
  status_rate_->setText(target > 0 ? tr("%1 req/s of %2 target").arg(rps, 0, 'f', 0).arg(target, 0, 'f', 0)
                                   : tr("%1 req/s").arg(rps, 0, 'f', 0));
  status_requests_->setText(
      tr("%1 requests, %2 failed, %3 in flight").arg(last.completed).arg(last.failed.total()).arg(last.in_flight));
  const Imbalance& im = last.imbalance;
  status_balance_->setText(
      std::isfinite(im.jain)
          ? tr("max/mean %1  ·  Jain %2%3").arg(im.max_mean, 0, 'f', 2).arg(im.jain, 0, 'f', 3).arg(keys_moved_)
          : keys_moved_);
  const QString state = state_ == State::paused    ? tr("paused")
                        : state_ == State::running ? tr("running")
                                                   : tr("stopped");
  status_time_->setText(
      tr("%1  %2 s%3").arg(state).arg(t_end, 0, 'f', 1).arg(slow_motion_ ? tr("  (slow motion)") : QString()));
}

// Queueing theory beside the measured mean: each node as an M/G/1 queue (Pollaczek–Khinchine)
// fed by its measured arrival rate and hit ratio over the last second; the cluster's mean is
// their request-weighted average. Shown for open-loop runs of one-slot nodes without writes,
// where the model's assumptions hold; hidden while any node is saturated (ρ ≥ 1).
void MainWindow::update_latency_model(std::size_t from) {
  const auto& all = history_.all();
  const std::size_t n = scenario_.nodes.size();
  std::vector<NodeTraffic> traffic(n);
  for (std::size_t i = 0; i < n; ++i) {
    double served = 0, hits = 0, lookups = 0, seconds = 0;
    for (std::size_t k = from; k < all.size(); ++k) {
      const NodeSample& ns = all[k].nodes[i];
      served += static_cast<double>(ns.interval_completed);
      hits += static_cast<double>(ns.interval_hits);
      lookups += static_cast<double>(ns.interval_hits + ns.interval_misses);
      seconds += all[k].interval_s;
    }
    traffic[i].rate = seconds > 0 ? served / seconds : 0.0;
    traffic[i].hit_ratio = lookups > 0 ? hits / lookups : 0.0;
  }
  const LatencyPrediction p = predict_latency(scenario_, traffic, slow_motion_ ? kSlowMotion : 1.0);
  if (!std::isfinite(p.mean_us)) {
    latency_chart_->set_references({}, QString());
    return;
  }
  latency_chart_->set_references({p.mean_us / 1000}, tr("M/G/1 mean"));  // short: the legend shares the chart's width
}

void MainWindow::update_actions() {
  start_action_->setText(state_ == State::running ? tr("Pause") : state_ == State::paused ? tr("Resume") : tr("Start"));
  step_action_->setEnabled(state_ == State::paused);
  reset_action_->setEnabled(state_ != State::idle || !history_.empty());
  const bool no_run = state_ == State::idle;
  start_hint_->setVisible(no_run);
  bars_->set_hint(no_run ? tr("Press Start (Space) to send requests") : QString());
}

void MainWindow::show_message(const QString& text, bool error) {
  if (text.isEmpty()) {
    banner_->setVisible(false);
    return;
  }
  banner_->setText(text);
  banner_->setStyleSheet(
      error ? QStringLiteral("QLabel { background: #D55E00; color: white; padding: 6px; font-weight: bold; }")
            : QStringLiteral("QLabel { background: #0072B2; color: white; padding: 6px; }"));
  banner_->setVisible(true);
  if (!error)
    QTimer::singleShot(6000, banner_, [this, text] {
      if (banner_->text() == text) banner_->setVisible(false);
    });
}

QString MainWindow::message() const { return banner_->isVisibleTo(this) ? banner_->text() : QString(); }

// ---------------------------------------------------------------------------------------------
// Export

bool MainWindow::export_csv(const QString& directory) {
  if (!engine_ || history_.empty()) {
    show_message(tr("Nothing to export yet: start a run first."), true);
    return false;
  }
  try {
    std::vector<std::string> names;
    for (const NodeSpec& n : scenario_.nodes) names.push_back(n.name);
    write_run_csv(directory.toStdString(), engine_->report_now(), history_.copy(), names);
  } catch (const std::exception& e) {
    show_message(tr("Export failed: %1").arg(QString::fromUtf8(e.what())), true);
    return false;
  }
  show_message(tr("Wrote summary.csv and timeseries.csv to %1%2.")
                   .arg(directory)
                   .arg(history_.dropped() ? tr(" (the last %1 intervals)").arg(history_.size()) : QString()),
               false);
  return true;
}

bool MainWindow::export_png(const QString& file) {
  const bool ok = centralWidget()->grab().save(file, "PNG");
  show_message(ok ? tr("Saved the charts to %1.").arg(file) : tr("Could not write %1").arg(file), !ok);
  return ok;
}

}  // namespace loadlab::ui
