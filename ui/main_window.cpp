#include "main_window.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QElapsedTimer>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMimeData>
#include <QPushButton>
#include <QStatusBar>
#include <QTabWidget>
#include <QTextBrowser>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <fstream>

#include "ab_panel.h"
#include "control_panel.h"
#include "dashboard.h"
#include "flow_view.h"
#include "metrics/csv_export.h"
#include "node_palette.h"
#include "node_table.h"
#include "proxy_config_panel.h"
#include "scenario/scenario_json.h"
#include "share_bars.h"
#include "theme.h"
#include "theory/cache_theory.h"
#include "theory/key_movement.h"
#include "theory/offered_load.h"
#include "time_chart.h"
#include "what_if_panel.h"

namespace loadlab::ui {

namespace {

QString to_q(const std::string& s) { return QString::fromStdString(s); }

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent), controller_(new RunController(this)) {
  setWindowTitle(tr("LoadLab"));
  setAcceptDrops(true);
  base_font_ = QApplication::font();
  tick_timer_ = new QTimer(this);
  tick_timer_->setInterval(kTickMs);
  connect(tick_timer_, &QTimer::timeout, this, &MainWindow::tick);
  connect(controller_, &RunController::state_changed, this, &MainWindow::update_actions);

  auto* central = new QWidget;
  auto* layout = new QVBoxLayout(central);
  layout->setContentsMargins(4, 4, 4, 4);
  banner_ = new QLabel;
  banner_->setWordWrap(true);
  banner_->setVisible(false);
  banner_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(banner_);
  dashboard_ = new Dashboard;
  // The live run and the What-if sweeps side by side as tabs: a sweep runs on its own
  // threads on the virtual clock while the live run goes on.
  what_if_ = new WhatIfPanel;
  tabs_ = new QTabWidget;
  tabs_->setObjectName(QStringLiteral("main_tabs"));
  tabs_->setDocumentMode(true);
  tabs_->addTab(dashboard_, tr("Live"));
  flow_ = new FlowView;
  tabs_->addTab(flow_, tr("Flow"));
  tabs_->addTab(what_if_, tr("What-if"));
  ab_ = new AbPanel;
  tabs_->addTab(ab_, tr("A/B"));
  layout->addWidget(tabs_, 1);
  // The flow view samples requests only while it is shown.
  connect(tabs_, &QTabWidget::currentChanged, this, [this] { flow_->set_active(tabs_->currentWidget() == flow_); });
  setCentralWidget(central);

  build_status_bar();
  build_docks();
  build_actions();
  connect_controls();
  restore_settings();
  const QStringList presets = preset_names();
  if (!open_preset(QStringLiteral("weights-5-3-1")) && !presets.isEmpty()) open_preset(presets.front());
}

MainWindow::~MainWindow() = default;  // the controller (a child) stops the run

QStringList MainWindow::preset_names() {
  QStringList names;
  for (const QString& file :
       QDir(QStringLiteral(":/presets")).entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name))
    names << QFileInfo(file).completeBaseName();
  return names;
}

NodeTable* MainWindow::node_table() const { return panel_->table(); }
ShareBars* MainWindow::share_bars() const { return dashboard_->share_bars(); }
TimeChart* MainWindow::hit_chart() const { return dashboard_->hit_chart(); }
TimeChart* MainWindow::latency_chart() const { return dashboard_->latency_chart(); }
TimeChart* MainWindow::in_flight_chart() const { return dashboard_->in_flight_chart(); }

// ---------------------------------------------------------------------------------------------
// Building the window

void MainWindow::build_status_bar() {
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
  load_badge_ = new QLabel;
  load_badge_->setObjectName(QStringLiteral("load_badge"));
  statusBar()->addPermanentWidget(load_badge_);
  statusBar()->addPermanentWidget(status_time_);
}

void MainWindow::build_docks() {
  panel_ = new ControlPanel;
  auto* dock = new QDockWidget(tr("Cluster"), this);
  dock->setObjectName(QStringLiteral("cluster_dock"));
  dock->setWidget(panel_);
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

  // The model as a real proxy's configuration: closed until asked for (File > Export proxy
  // configuration, or View).
  proxy_panel_ = new ProxyConfigPanel;
  proxy_dock_ = new QDockWidget(tr("Proxy configuration"), this);
  proxy_dock_->setObjectName(QStringLiteral("proxy_dock"));
  proxy_dock_->setWidget(proxy_panel_);
  // A tab beside the scenario's explanation: the charts keep their width.
  addDockWidget(Qt::LeftDockWidgetArea, proxy_dock_);
  tabifyDockWidget(about_dock, proxy_dock_);
  about_dock->raise();
  proxy_dock_->hide();
  connect(proxy_dock_, &QDockWidget::visibilityChanged, this, [this](bool visible) {
    if (visible) proxy_panel_->show_scenario(exported_scenario());
  });
  connect(proxy_panel_, &ProxyConfigPanel::saved, this,
          [this](const QString& file) { show_message(tr("Saved the proxy configuration to %1.").arg(file), false); });
  connect(proxy_panel_, &ProxyConfigPanel::save_failed, this, [this](const QString& why) { show_message(why, true); });
}

void MainWindow::scenario_edited() {
  update_load_badge();
  what_if_->set_scenario(exported_scenario());
  ab_->set_scenario(exported_scenario());
  if (proxy_dock_->isVisible()) proxy_panel_->show_scenario(exported_scenario());
}

// What the window runs, as a proxy would need it: with the queue bound the window applies.
Scenario MainWindow::exported_scenario() const {
  Scenario s = scenario();
  s.queue.limit = controller_->queue_limit();
  return s;
}

// The model's capacity against the offered rate, always in view: past ρ = 1 queues grow
// without end and latency with them, which the charts show only after a while.
void MainWindow::update_load_badge() {
  const OfferedLoad load = predict_offered_load(scenario());
  dashboard_->set_overloaded(load.overloaded());
  if (!load.applicable || !(load.capacity_rps > 0)) {
    load_badge_->setVisible(false);
    return;
  }
  load_badge_->setVisible(true);
  const QString figures = tr("%1 req/s offered, the model serves at most %2")
                              .arg(load.offered_rps, 0, 'f', 0)
                              .arg(load.capacity_rps, 0, 'f', 0);
  load_badge_->setToolTip(
      tr("Offered load against the cluster's capacity from the model (slots, speeds, service times, Che's hit "
         "ratio, the balancer's split): %1. Above 1 the queues grow for as long as the run goes on.")
          .arg(figures));
  if (load.overloaded()) {
    load_badge_->setText(tr(" OVERLOADED ρ = %1 ").arg(load.rho, 0, 'f', 2));
    load_badge_->setStyleSheet(QStringLiteral("QLabel { background: #D55E00; color: white; font-weight: bold; }"));
  } else if (load.rho > 0.9) {
    load_badge_->setText(tr(" near saturation ρ = %1 ").arg(load.rho, 0, 'f', 2));
    load_badge_->setStyleSheet(QStringLiteral("QLabel { background: #E69F00; color: black; }"));
  } else {
    load_badge_->setText(tr(" load ρ = %1 ").arg(load.rho, 0, 'f', 2));
    load_badge_->setStyleSheet(QString());
  }
}

void MainWindow::connect_controls() {
  connect(what_if_, &WhatIfPanel::export_csv_requested, this, [this] {
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export the sweep"), QStringLiteral("sweep.csv"), tr("CSV (*.csv)"));
    if (!path.isEmpty()) what_if_->export_csv(path);
  });
  connect(what_if_, &WhatIfPanel::export_chart_requested, this, [this] {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export the sweep's chart"), QStringLiteral("sweep.png"),
                                                      tr("PNG or SVG (*.png *.svg)"));
    if (!path.isEmpty()) what_if_->export_chart(path);
  });
  NodeTable* table = panel_->table();
  connect(table, &NodeTable::weight_changed, this, &MainWindow::on_weight);
  connect(table, &NodeTable::speed_changed, this, &MainWindow::on_speed);
  connect(table, &NodeTable::cache_changed, this, &MainWindow::on_cache);
  connect(table, &NodeTable::kill_requested, this, &MainWindow::on_kill);
  connect(table, &NodeTable::sick_requested, this, &MainWindow::on_sick);
  connect(table, &NodeTable::schedule_requested, this, &MainWindow::on_schedule);
  connect(table, &NodeTable::clear_schedule_requested, this, &MainWindow::clear_schedule);
  connect(panel_, &ControlPanel::balancer_chosen, this, [this](const QString& name) {
    if (name.toStdString() == scenario().balancer) return;
    controller_->edit_scenario().balancer = name.toStdString();
    restart_if_running(tr("Balancer switched to %1").arg(name));
  });
  connect(panel_, &ControlPanel::cache_chosen, this, [this](const QString& name) {
    if (name.toStdString() == scenario().cache_policy) return;
    controller_->edit_scenario().cache_policy = name.toStdString();
    restart_if_running(tr("Cache policy switched to %1").arg(name));
  });
  connect(panel_, &ControlPanel::rate_chosen, this, [this](double rate) {
    try {
      controller_->set_rate(rate);
      scenario_edited();
    } catch (const std::exception& e) {
      show_message(QString::fromUtf8(e.what()), true);
    }
  });
  connect(panel_, &ControlPanel::skew_chosen, this, [this](double s) {
    KeyPopularity& keys = controller_->edit_scenario().workload.keys;
    keys.kind = s > 0 ? KeyPopularity::Kind::zipf : KeyPopularity::Kind::uniform;
    keys.zipf_s = s > 0 ? s : keys.zipf_s;
    restart_if_running(s > 0 ? tr("Key skew set to Zipf s = %1").arg(s) : tr("Keys now equally popular"));
  });
  connect(panel_, &ControlPanel::slow_motion_chosen, this, &MainWindow::set_slow_motion);
  connect(panel_, &ControlPanel::clock_chosen, this, &MainWindow::set_clock_choice);
  connect(dashboard_, &Dashboard::latency_view_changed, this, &MainWindow::redraw);
  connect(panel_, &ControlPanel::queue_limit_chosen, this, &MainWindow::on_queue_limit);
  connect(panel_, &ControlPanel::add_node_clicked, this, &MainWindow::on_add_node);
  connect(panel_, &ControlPanel::remove_node_clicked, this, &MainWindow::on_remove_node);
}

void MainWindow::build_actions() {
  QToolBar* bar = addToolBar(tr("Run"));
  bar->setObjectName(QStringLiteral("run_toolbar"));
  bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
  start_action_ = bar->addAction(tr("Start"), this, [this] {
    if (state() == State::running)
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
  file->addAction(tr("Export proxy &configuration..."), this, [this] {
    proxy_dock_->show();
    proxy_dock_->raise();
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
  view->addAction(tr("&Live run"), QKeySequence(Qt::CTRL | Qt::Key_1), this, [this] { tabs_->setCurrentIndex(0); });
  view->addAction(tr("&Flow of requests"), QKeySequence(Qt::CTRL | Qt::Key_4), this, [this] {
    tabs_->setCurrentWidget(tabs_->currentWidget() == flow_ ? static_cast<QWidget*>(dashboard_) : flow_);
  });
  view->addAction(tr("&What-if sweeps"), QKeySequence(Qt::CTRL | Qt::Key_2), this,
                  [this] { tabs_->setCurrentWidget(what_if_); });
  view->addAction(tr("&A/B side by side"), QKeySequence(Qt::CTRL | Qt::Key_3), this,
                  [this] { tabs_->setCurrentWidget(ab_); });
  view->addSeparator();
  QAction* show_proxy = proxy_dock_->toggleViewAction();
  connect(show_proxy, &QAction::triggered, this, [this](bool on) {
    if (on) proxy_dock_->raise();
  });
  view->addAction(show_proxy);
  dark_action_ = view->addAction(tr("&Dark theme"));
  dark_action_->setObjectName(QStringLiteral("dark_action"));
  dark_action_->setCheckable(true);
  dark_action_->setChecked(true);
  connect(dark_action_, &QAction::toggled, this, &MainWindow::apply_dark);
  view->addAction(tr("&Larger text"), QKeySequence::ZoomIn, this,
                  [this] { apply_font_scale(std::min(settings_.font_scale * 1.25, 3.0)); });
  view->addAction(tr("&Smaller text"), QKeySequence::ZoomOut, this,
                  [this] { apply_font_scale(std::max(settings_.font_scale / 1.25, 0.6)); });
  view->addAction(tr("&Projector size"), QKeySequence(Qt::CTRL | Qt::Key_P), this, [this] { apply_font_scale(1.8); });
  view->addAction(tr("&Normal size"), QKeySequence(Qt::CTRL | Qt::Key_0), this, [this] { apply_font_scale(1.0); });

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("About this &preset"), QKeySequence::HelpContents, this, [this] {
    for (QDockWidget* d : findChildren<QDockWidget*>())
      if (d->widget() && d->widget()->isAncestorOf(about_)) d->show(), d->raise();
  });
  update_actions();
}

// ---------------------------------------------------------------------------------------------
// Settings and files

void MainWindow::restore_settings() {
  settings_ = WindowSettings::load();
  resize(1440, 900);  // first start: room for the charts and a readable node table
  restoreGeometry(settings_.geometry);
  restoreState(settings_.dock_state);
  rebuild_recent_menu();
  dark_action_->setChecked(settings_.dark);
  apply_dark(settings_.dark);
  apply_font_scale(settings_.font_scale);
}

void MainWindow::closeEvent(QCloseEvent* event) {
  settings_.geometry = saveGeometry();
  settings_.dock_state = saveState();
  settings_.dark = dark_action_->isChecked();
  settings_.save();
  tick_timer_->stop();
  controller_->reset();
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
  settings_.remember(path);
  rebuild_recent_menu();
}

void MainWindow::rebuild_recent_menu() {
  recent_menu_->clear();
  for (const QString& path : settings_.recent_files)
    recent_menu_->addAction(path, this, [this, path] { open_file(path); });
  recent_menu_->setEnabled(!settings_.recent_files.isEmpty());
}

void MainWindow::apply_dark(bool dark) {
  apply_theme(*qApp, dark ? Theme::dark : Theme::light);
  dashboard_->set_dark(dark);
  dashboard_->set_fonts(QApplication::font());  // a chart theme resets the fonts (projector size)
  what_if_->set_dark(dark);
  ab_->set_dark(dark);
  what_if_->set_fonts(QApplication::font());
  ab_->set_fonts(QApplication::font());
  banner_->setStyleSheet(QString());
}

void MainWindow::apply_font_scale(double scale) {
  settings_.font_scale = scale;
  QFont f = base_font_;
  f.setPointSizeF(base_font_.pointSizeF() * scale);
  QApplication::setFont(f);
  dashboard_->set_fonts(f);
  what_if_->set_fonts(f);
  ab_->set_fonts(f);
  flow_->set_fonts(f);
}

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
  tick_timer_->stop();
  controller_->set_scenario(std::move(scenario));
  origin_ = origin;
  refresh_controls();  // a scenario on the virtual clock switches the Clock control to virtual
  controller_->set_clock(clock_choice() > 0, ControlPanel::kClockPaces[clock_choice()]);
  about_->setHtml(
      QStringLiteral("<h2>%1</h2><p style='font-size:large'>%2</p>")
          .arg(to_q(this->scenario().name).toHtmlEscaped(), to_q(this->scenario().description).toHtmlEscaped()));
  setWindowTitle(tr("LoadLab - %1").arg(to_q(this->scenario().name)));
  show_message(tr("Opened %1.").arg(origin), false);
  redraw();
  update_actions();
  scenario_edited();
}

bool MainWindow::save_scenario(const QString& file) {
  std::ofstream out(file.toStdString());
  out << scenario_to_json(scenario());
  if (!out) {
    show_message(tr("Could not write %1").arg(file), true);
    return false;
  }
  remember_file(file);
  show_message(tr("Saved %1.").arg(file), false);
  return true;
}

void MainWindow::refresh_controls() {
  panel_->show_scenario(scenario());
  panel_->show_queue_limit(controller_->queue_limit());
  std::vector<QString> names;
  std::vector<QColor> colors;
  for (std::size_t i = 0; i < scenario().nodes.size(); ++i) {
    names.push_back(to_q(scenario().nodes[i].name));
    colors.push_back(node_color(i));
  }
  dashboard_->set_nodes(names, colors);
  flow_->set_cluster(names, colors, to_q(scenario().balancer), to_q(scenario().cache_policy));
  update_hit_model();
  update_marks();
}

void MainWindow::on_queue_limit(std::uint64_t limit) {
  if (limit == controller_->queue_limit()) return;
  if (limit != QueuePolicy::kUnlimited && limit > kMaxQueueLimit) {
    show_message(tr("Queue limit at most %1 requests (got %2).").arg(kMaxQueueLimit).arg(limit), true);
    panel_->show_queue_limit(controller_->queue_limit());
    return;
  }
  controller_->set_queue_limit(limit);
  if (limit != QueuePolicy::kUnlimited) {
    restart_if_running(tr("Queue limit set to %1 waiting requests per node").arg(limit));
    return;
  }
  restart_if_running(tr("Queue limit: unlimited"));
  // Allowed, and said plainly: past saturation the backlog then grows for as long as it runs.
  show_message(tr("Queue limit: unlimited. Past saturation (the load badge says OVERLOADED) the queues, the latency "
                  "and the window's memory grow for as long as the run goes on."),
               true);
}

// The events the running run carries out (scheduled ones apply from the next start), or the
// scenario's when there is no run.
void MainWindow::update_marks() { dashboard_->set_marks(timeline_marks(engine() ? engine()->scenario() : scenario())); }

void MainWindow::on_schedule(std::size_t node, FaultEvent::Action action, double speed) {
  // A time a little ahead of the run's present, so "kill at..." during a demo is one Enter.
  const double now = controller_->history().empty() ? 0.0 : controller_->history().latest().t_ms / 1000.0;
  bool ok = false;
  const double at = QInputDialog::getDouble(this, tr("Schedule an event"), tr("Seconds after the start of the run:"),
                                            std::ceil(now) + 5, 0, 86'400, 1, &ok);
  if (!ok) return;
  FaultEvent e;
  e.at_s = at;
  e.node = node;
  e.action = action;
  e.speed = speed;
  schedule(e);
}

bool MainWindow::schedule(const FaultEvent& event) {
  Scenario next = scenario();
  next.faults.push_back(event);
  try {
    validate(next);
  } catch (const ScenarioError& e) {
    show_message(tr("Not scheduled: %1").arg(QString::fromUtf8(e.what())), true);
    return false;
  }
  controller_->edit_scenario().faults = std::move(next.faults);
  update_marks();
  show_message(state() == State::idle
                   ? tr("Scheduled at %1 s of every run; Save keeps it with the scenario.").arg(event.at_s)
                   : tr("Scheduled at %1 s of every run from the next Start (Reset, then Start; the marks show it "
                        "then); Save keeps it with the scenario.")
                         .arg(event.at_s),
               false);
  return true;
}

void MainWindow::clear_schedule(std::size_t node) {
  auto& faults = controller_->edit_scenario().faults;
  const auto before = faults.size();
  std::erase_if(faults, [node](const FaultEvent& f) { return f.node == node; });
  update_marks();
  show_message(tr("Removed %1 scheduled events of node %2 (from the next Start).")
                   .arg(before - faults.size())
                   .arg(to_q(scenario().nodes[node].name)),
               false);
}

// ---------------------------------------------------------------------------------------------
// Running

void MainWindow::start() {
  if (state() == State::running) return;
  const bool fresh = state() == State::idle;
  try {
    controller_->start();
  } catch (const std::exception& e) {
    show_message(tr("Cannot start: %1").arg(QString::fromUtf8(e.what())), true);
    update_actions();  // still no run: the hint comes back
    return;
  }
  if (fresh) {
    show_message(QString(), false);
    started();
  }
}

void MainWindow::started() {
  const Scenario& s = scenario();
  std::vector<double> weights;
  for (const NodeSpec& n : s.nodes) weights.push_back(n.weight);
  const auto moved = measure_key_movement(s.balancer, s.balancer_params, weights, s.workload.keys.keys);
  keys_moved_ = moved ? tr("  ·  keys moved if %1 leaves: %2% (ideal %3%)")
                            .arg(to_q(s.nodes[moved->removed_node].name))
                            .arg(100 * moved->moved_on_remove, 0, 'f', 1)
                            .arg(100 * moved->ideal_on_remove, 0, 'f', 1)
                      : QString();
  update_hit_model();
  update_marks();
  redraw();  // the node table shows what the new run starts with
  tick_timer_->start();
}

void MainWindow::pause() { controller_->pause(); }

void MainWindow::step() { controller_->step(); }

void MainWindow::reset() {
  tick_timer_->stop();
  controller_->reset();
  update_marks();
  redraw();
}

void MainWindow::restart_if_running(const QString& why) {
  scenario_edited();  // every edit that restarts changes the model the configuration shows
  if (state() == State::idle) {
    show_message(why + QStringLiteral("."), false);
    return;
  }
  try {
    controller_->restart();
  } catch (const std::exception& e) {
    show_message(tr("Cannot start: %1").arg(QString::fromUtf8(e.what())), true);
    redraw();
    update_actions();
    return;
  }
  started();
  show_message(why + tr(": the run restarted with the same seed."), false);
}

void MainWindow::set_slow_motion(bool slow) {
  if (slow == controller_->slow_motion()) return;
  panel_->show_slow_motion(slow);
  try {
    controller_->set_slow_motion(slow);
  } catch (const std::exception& e) {
    show_message(QString::fromUtf8(e.what()), true);
    return;
  }
  show_message(slow ? tr("Slow motion: time runs ten times slower.") : tr("Normal speed."), false);
}

int MainWindow::clock_choice() const { return panel_->clock_choice(); }

void MainWindow::set_clock_choice(int index) {
  if (index < 0 || index >= ControlPanel::kClockChoices) return;
  if (panel_->clock_choice() != index) panel_->show_clock_choice(index);
  // Between virtual paces the run goes on at the new pace; to or from real threads it restarts.
  if (controller_->set_clock(index > 0, ControlPanel::kClockPaces[index])) {
    show_message(tr("Virtual clock: %1.").arg(panel_->clock_choice_text()), false);
    return;
  }
  restart_if_running(index == 0 ? tr("Clock: real threads") : tr("Clock: %1").arg(panel_->clock_choice_text()));
}

// Che's prediction of each node's LRU hit ratio, drawn as dashed neutral lines on the hit-ratio
// chart; it follows the weights (for hashing balancers the keys each node owns change).
void MainWindow::update_hit_model() {
  hit_model_dirty_ = false;
  const Scenario& s = scenario();
  std::vector<double> weights;
  std::vector<std::size_t> capacities;
  for (std::size_t i = 0; i < s.nodes.size(); ++i) {
    weights.push_back(s.nodes[i].weight);
    capacities.push_back(s.cache_capacity_of(i));
  }
  dashboard_->set_hit_model(s.cache_policy == "none" ? std::vector<double>{}
                                                     : node_lru_hit_ratios(s, weights, capacities));
}

void MainWindow::on_weight(std::size_t node, double weight) {
  const Scenario& s = scenario();
  std::vector<double> weights;
  for (const NodeSpec& n : s.nodes) weights.push_back(n.weight);
  weights[node] = weight;
  if (std::all_of(weights.begin(), weights.end(), [](double w) { return w <= 0; })) {
    // Refuse rather than stall the run: with every weight 0 no node could take a request.
    node_table()->show_weight(node, s.nodes[node].weight);
    show_message(tr("Node %1 is the last node with a weight above 0: with all weights 0 no node could take a "
                    "request, so its weight stays %2.")
                     .arg(to_q(s.nodes[node].name))
                     .arg(s.nodes[node].weight),
                 true);
    return;
  }
  try {
    controller_->set_weight(node, weight);
    hit_model_dirty_ = true;  // coalesced into one update per tick while a slider is dragged
    scenario_edited();
  } catch (const std::exception& e) {
    node_table()->show_weight(node, s.nodes[node].weight);
    show_message(QString::fromUtf8(e.what()), true);
  }
}

void MainWindow::on_kill(std::size_t node, bool kill) {
  if (!controller_->set_killed(node, kill)) {
    node_table()->show_health(node, true, true);
    show_message(tr("Start the run first: killing a node is something that happens to a running cluster."), true);
    return;
  }
  const QString name = to_q(scenario().nodes[node].name);
  show_message(kill ? tr("Killed node %1: its requests fail until health checks take it out of rotation.").arg(name)
                    : tr("Revived node %1 with an empty cache.").arg(name),
               false);
}

void MainWindow::on_sick(std::size_t node, bool sick) {
  controller_->set_sick(node, sick);
  const QString name = to_q(scenario().nodes[node].name);
  if (!sick) {
    show_message(tr("Node %1 is well again.").arg(name), false);
    return;
  }
  show_message(
      state() == State::idle
          ? tr("Node %1 will be sick from the start: 5% of its requests take 20 ms longer.").arg(name)
          : tr("Node %1 is sick: 5% of its requests take 20 ms longer. Watch p99, and try peak-ewma.").arg(name),
      false);
}

void MainWindow::on_speed(std::size_t node, double speed) {
  try {
    controller_->set_speed(node, speed);
    scenario_edited();
  } catch (const std::exception& e) {
    show_message(QString::fromUtf8(e.what()), true);
  }
}

void MainWindow::on_cache(std::size_t node, std::size_t objects) {
  try {
    controller_->set_cache_capacity(node, objects);
    hit_model_dirty_ = true;
    scenario_edited();
  } catch (const std::exception& e) {
    show_message(QString::fromUtf8(e.what()), true);
  }
}

void MainWindow::on_add_node() {
  Scenario& s = controller_->edit_scenario();
  if (s.nodes.size() >= kMaxNodes) {
    show_message(tr("At most %1 nodes.").arg(kMaxNodes), true);
    return;
  }
  NodeSpec n;
  n.name = default_node_name(s.nodes.size());
  s.nodes.push_back(n);
  refresh_controls();
  restart_if_running(tr("Added node %1").arg(to_q(n.name)));
  if (state() == State::idle) redraw();
}

void MainWindow::on_remove_node() {
  Scenario& s = controller_->edit_scenario();
  if (s.nodes.size() <= 1) {
    show_message(tr("A cluster needs at least one node."), true);
    return;
  }
  double total = 0;
  for (std::size_t i = 0; i + 1 < s.nodes.size(); ++i) total += s.nodes[i].weight;
  if (total <= 0) {
    show_message(tr("Removing node %1 would leave only nodes with weight 0.").arg(to_q(s.nodes.back().name)), true);
    return;
  }
  const QString name = to_q(s.nodes.back().name);
  const std::size_t removed = s.nodes.size() - 1;
  std::erase_if(s.faults, [removed](const FaultEvent& f) { return f.node == removed; });  // its events go with it
  s.nodes.pop_back();
  refresh_controls();
  restart_if_running(tr("Removed node %1").arg(name));
  if (state() == State::idle) redraw();
}

// ---------------------------------------------------------------------------------------------
// Drawing

void MainWindow::tick() {
  QElapsedTimer timer;
  timer.start();
  if (hit_model_dirty_) update_hit_model();  // coalesces a slider drag into one update per tick
  if (controller_->take_snapshots()) redraw();
  if (flow_->active()) {
    flow_->set_balancer(to_q(scenario().balancer));
    flow_->update_from(controller_->flow_tap(), controller_->history().all());
  }
  controller_->set_flow_sampling(flow_->sampling());
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
  const Scenario& scenario = this->scenario();
  const std::size_t n = scenario.nodes.size();
  NodeTable* table = node_table();
  // The node table's buttons say what the run has (or, before a run, what it will start with).
  for (std::size_t i = 0; i < n; ++i)
    if (QPushButton* sick = table->sick_button(i)) {
      const QSignalBlocker block(sick);
      sick->setChecked(controller_->sick(i));
    }
  const RunHistory& history = controller_->history();
  if (history.empty()) {
    dashboard_->show_empty(n);
    status_rate_->setText(tr("Ready: press Start (Space)"));
    status_requests_->clear();
    status_time_->clear();
    status_balance_->clear();
    table->show_shares(std::vector<double>(n, 0), {});
    for (std::size_t i = 0; i < n; ++i) table->show_health(i, !controller_->killed(i), !controller_->killed(i));
    return;
  }
  const Snapshot& last = history.latest();
  if (last.nodes.size() != n) return;  // a restart with another node count is on its way

  const RecentCompletions recent =
      dashboard_->draw(history.all(), scenario, controller_->slow_motion() ? RunController::kSlowMotion : 1.0);
  if (dashboard_->latency_view() == Dashboard::LatencyView::distribution)
    dashboard_->show_distributions(controller_->latency_histograms());
  std::vector<double> shares(n, 0), expected(n, -1);
  for (std::size_t i = 0; i < n; ++i) {
    shares[i] = recent.total > 0 ? recent.completed[i] / recent.total : 0;
    const double e = last.nodes[i].expected_share;
    expected[i] = std::isfinite(e) ? e : -1;
  }
  table->show_shares(shares, expected);
  for (std::size_t i = 0; i < n; ++i) table->show_health(i, last.nodes[i].up, last.nodes[i].available);

  // Status bar: achieved vs target rate, requests so far, imbalance, elapsed time.
  const double target = last.target_rate;
  status_rate_->setText(target > 0 ? tr("%1 req/s of %2 target").arg(recent.rps(), 0, 'f', 0).arg(target, 0, 'f', 0)
                                   : tr("%1 req/s").arg(recent.rps(), 0, 'f', 0));
  status_requests_->setText(
      tr("%1 requests, %2 failed, %3 in flight").arg(last.completed).arg(last.failed.total()).arg(last.in_flight));
  const Imbalance& im = last.imbalance;
  status_balance_->setText(
      std::isfinite(im.jain)
          ? tr("max/mean %1  ·  Jain %2%3").arg(im.max_mean, 0, 'f', 2).arg(im.jain, 0, 'f', 3).arg(keys_moved_)
          : keys_moved_);
  const QString state = this->state() == State::paused    ? tr("paused")
                        : this->state() == State::running ? tr("running")
                                                          : tr("stopped");
  const double t_end = static_cast<double>(last.t_ms) / 1000.0;
  status_time_->setText(tr("%1  %2 s%3")
                            .arg(state)
                            .arg(t_end, 0, 'f', 1)
                            .arg(controller_->slow_motion() ? tr("  (slow motion)") : QString()));
}

void MainWindow::update_actions() {
  const State s = state();
  start_action_->setText(s == State::running ? tr("Pause") : s == State::paused ? tr("Resume") : tr("Start"));
  step_action_->setEnabled(s == State::paused && !controller_->stepping());
  reset_action_->setEnabled(s != State::idle || !controller_->history().empty());
  const bool no_run = s == State::idle;
  start_hint_->setVisible(no_run);
  dashboard_->set_hint(no_run ? tr("Press Start (Space) to send requests") : QString());
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
  const RunHistory& history = controller_->history();
  if (!engine() || history.empty()) {
    show_message(tr("Nothing to export yet: start a run first."), true);
    return false;
  }
  try {
    std::vector<std::string> names;
    for (const NodeSpec& n : scenario().nodes) names.push_back(n.name);
    write_run_csv(directory.toStdString(), engine()->report_now(), history.copy(), names);
  } catch (const std::exception& e) {
    show_message(tr("Export failed: %1").arg(QString::fromUtf8(e.what())), true);
    return false;
  }
  show_message(tr("Wrote summary.csv and timeseries.csv to %1%2.")
                   .arg(directory)
                   .arg(history.dropped() ? tr(" (the last %1 intervals)").arg(history.size()) : QString()),
               false);
  return true;
}

bool MainWindow::export_png(const QString& file) {
  const bool ok = centralWidget()->grab().save(file, "PNG");
  show_message(ok ? tr("Saved the charts to %1.").arg(file) : tr("Could not write %1").arg(file), !ok);
  return ok;
}

}  // namespace loadlab::ui
