// `loadlab`: the desktop workbench. Where no display is available it says so and runs the
// chosen preset headless instead, printing the same table as `loadlab-cli run`.
#include <QApplication>
#include <QCommandLineParser>
#include <QDockWidget>
#include <QFile>
#include <QIcon>
#include <QLabel>
#include <QTabWidget>
#include <QTimer>
#include <cstdio>
#include <cstdlib>

#include "ab_panel.h"
#include "cli/report_table.h"
#include "cli/run_command.h"
#include "dashboard.h"
#include "flow_view.h"
#include "loadlab_version.h"
#include "main_window.h"
#include "proxy/proxy_config_registry.h"
#include "proxy_config_panel.h"
#include "scenario/scenario_json.h"
#include "what_if_panel.h"

namespace {

void add_options(QCommandLineParser& parser) {
  parser.setApplicationDescription(QStringLiteral("LoadLab: load balancing and caching on real worker threads, live."));
  parser.addHelpOption();
  parser.addVersionOption();
  parser.addOption({QStringLiteral("preset"),
                    QStringLiteral("Open the preset NAME (a file name in resources/presets without .json)."),
                    QStringLiteral("NAME")});
  parser.addOption(
      {QStringLiteral("scenario"), QStringLiteral("Open the scenario file FILE."), QStringLiteral("FILE")});
  parser.addOption({QStringLiteral("autostart"), QStringLiteral("Start the run at once.")});
  parser.addOption({QStringLiteral("clock"),
                    QStringLiteral("The window's clock: real (threads), 1x, 10x, 100x or max (the virtual clock)."),
                    QStringLiteral("CLOCK")});
  parser.addOption({QStringLiteral("latency-view"),
                    QStringLiteral("What the latency chart shows: all (the cluster's mean and percentiles) or one "
                                   "line per node of mean, p50, p95 or p99, or distribution (each node's CDF)."),
                    QStringLiteral("VIEW")});
  parser.addOption(
      {QStringLiteral("proxy-config"),
       QStringLiteral("Show the scenario as PROXY's configuration beside the charts: nginx, haproxy or envoy."),
       QStringLiteral("PROXY")});
  parser.addOption({QStringLiteral("what-if"),
                    QStringLiteral("Open the What-if tab and sweep PARAM over SPEC on the virtual clock, as "
                                   "loadlab-cli sweep --vary does (e.g. rate=200:2000:200)."),
                    QStringLiteral("PARAM=SPEC")});
  parser.addOption({QStringLiteral("what-if-by"),
                    QStringLiteral("With --what-if: one curve per value, e.g. balancer=round-robin,p2c."),
                    QStringLiteral("PARAM=LIST")});
  parser.addOption({QStringLiteral("what-if-metric"),
                    QStringLiteral("With --what-if: the metric drawn (default p99_us)."), QStringLiteral("METRIC")});
  parser.addOption({QStringLiteral("what-if-target"),
                    QStringLiteral("With --what-if: a target line (ms for a latency)."), QStringLiteral("VALUE")});
  parser.addOption({QStringLiteral("what-if-seeds"), QStringLiteral("With --what-if: seeds per point (default 5)."),
                    QStringLiteral("N")});
  parser.addOption({QStringLiteral("flow"), QStringLiteral("Open the Flow tab: sampled requests in motion.")});
  parser.addOption({QStringLiteral("ab"),
                    QStringLiteral("Open the A/B tab and run the scenario beside the same scenario with SPEC "
                                   "changed: balancer=NAME, cache=NAME or both, comma-separated."),
                    QStringLiteral("SPEC")});
  parser.addOption({QStringLiteral("quit-after"), QStringLiteral("Quit after SECONDS."), QStringLiteral("SECONDS")});
  parser.addOption({QStringLiteral("screenshot"), QStringLiteral("Before quitting, save the whole window to FILE.png."),
                    QStringLiteral("FILE")});
  parser.addOption({QStringLiteral("stats"),
                    QStringLiteral("Before quitting, print the UI tick time and the engine's throughput.")});
}

bool has_display() {
  for (const char* v : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
    if (const char* s = std::getenv(v); s && *s) return true;
  return false;
}

// No display: run the preset (or file) as loadlab-cli would and print its table.
int run_headless(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  QCoreApplication::setApplicationVersion(QStringLiteral(LOADLAB_VERSION));
  QCommandLineParser parser;
  add_options(parser);
  parser.process(app);
  const QString preset = parser.value(QStringLiteral("preset")).isEmpty() ? QStringLiteral("weights-5-3-1")
                                                                          : parser.value(QStringLiteral("preset"));
  std::fprintf(stderr,
               "loadlab: no display found (DISPLAY and WAYLAND_DISPLAY are unset), so the window cannot open;\n"
               "running %s headless instead. Under xvfb-run, or with QT_QPA_PLATFORM=offscreen, the window runs.\n\n",
               parser.isSet(QStringLiteral("scenario")) ? qPrintable(parser.value(QStringLiteral("scenario")))
                                                        : qPrintable("preset " + preset));
  loadlab::Scenario scenario;
  try {
    if (parser.isSet(QStringLiteral("scenario"))) {
      scenario = loadlab::load_scenario(parser.value(QStringLiteral("scenario")).toStdString());
    } else {
      QFile f(QStringLiteral(":/presets/%1.json").arg(preset));
      if (!f.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "loadlab: error: no preset named '%s'\n", qPrintable(preset));
        return 2;
      }
      scenario = loadlab::parse_scenario(f.readAll().toStdString());
    }
  } catch (const loadlab::ScenarioError& e) {
    std::fprintf(stderr, "loadlab: error: %s\n", e.what());
    return 2;
  }
  if (scenario.workload.requests == 0 && scenario.workload.duration_s == 0) scenario.workload.duration_s = 10;
  const auto result = loadlab::cli::execute(scenario, false);
  loadlab::cli::print_report(stdout, result.report);
  loadlab::cli::print_theory(stdout, loadlab::predict(scenario, result.report), result.report);
  return result.balanced ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  Q_INIT_RESOURCE(loadlab);
  if (!has_display()) return run_headless(argc, argv);

  QApplication app(argc, argv);
  QCoreApplication::setOrganizationName(QStringLiteral("LoadLab"));
  QCoreApplication::setApplicationName(QStringLiteral("LoadLab"));
  QCoreApplication::setApplicationVersion(QStringLiteral(LOADLAB_VERSION));
  QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/loadlab.svg")));
  QCommandLineParser parser;
  add_options(parser);
  parser.process(app);

  loadlab::ui::MainWindow window;
  if (parser.isSet(QStringLiteral("preset")) && !window.open_preset(parser.value(QStringLiteral("preset")))) {
    std::fprintf(stderr, "loadlab: error: %s\n", qPrintable(window.message()));
    return 2;
  }
  if (parser.isSet(QStringLiteral("scenario")) && !window.open_file(parser.value(QStringLiteral("scenario")))) {
    std::fprintf(stderr, "loadlab: error: %s\n", qPrintable(window.message()));
    return 2;
  }
  if (parser.isSet(QStringLiteral("clock"))) {
    const QStringList clocks{QStringLiteral("real"), QStringLiteral("1x"), QStringLiteral("10x"),
                             QStringLiteral("100x"), QStringLiteral("max")};
    const int choice = static_cast<int>(clocks.indexOf(parser.value(QStringLiteral("clock"))));
    if (choice < 0) {
      std::fprintf(stderr, "loadlab: error: --clock: unknown value '%s' (known: real, 1x, 10x, 100x, max)\n",
                   qPrintable(parser.value(QStringLiteral("clock"))));
      return 2;
    }
    window.set_clock_choice(choice);
  }
  if (parser.isSet(QStringLiteral("latency-view"))) {
    const QStringList views{QStringLiteral("all"), QStringLiteral("mean"), QStringLiteral("p50"),
                            QStringLiteral("p95"), QStringLiteral("p99"),  QStringLiteral("distribution")};
    const auto view = views.indexOf(parser.value(QStringLiteral("latency-view")));
    if (view < 0) {
      std::fprintf(
          stderr,
          "loadlab: error: --latency-view: unknown value '%s' (known: all, mean, p50, p95, p99, distribution)\n",
          qPrintable(parser.value(QStringLiteral("latency-view"))));
      return 2;
    }
    window.dashboard()->set_latency_view(static_cast<loadlab::ui::Dashboard::LatencyView>(view));
  }
  if (parser.isSet(QStringLiteral("proxy-config"))) {
    const QString proxy = parser.value(QStringLiteral("proxy-config"));
    if (!loadlab::proxy_config_writers().contains(proxy.toStdString())) {
      std::fprintf(stderr, "loadlab: error: --proxy-config: unknown proxy '%s' (known: %s)\n", qPrintable(proxy),
                   loadlab::proxy_config_writers().names().c_str());
      return 2;
    }
    window.proxy_config_panel()->set_product(proxy);
    window.proxy_config_dock()->show();
    window.proxy_config_dock()->raise();
  }
  if (parser.isSet(QStringLiteral("what-if"))) {
    bool seeds_ok = true;
    const int seeds = parser.isSet(QStringLiteral("what-if-seeds"))
                          ? parser.value(QStringLiteral("what-if-seeds")).toInt(&seeds_ok)
                          : 5;
    QString error;
    if (!seeds_ok)
      error =
          QStringLiteral("--what-if-seeds: '%1' is not a number").arg(parser.value(QStringLiteral("what-if-seeds")));
    if (error.isEmpty())
      window.what_if()->configure(parser.value(QStringLiteral("what-if")), parser.value(QStringLiteral("what-if-by")),
                                  parser.value(QStringLiteral("what-if-metric")),
                                  parser.value(QStringLiteral("what-if-target")), seeds, &error);
    if (!error.isEmpty()) {
      std::fprintf(stderr, "loadlab: error: %s\n", qPrintable(error));
      return 2;
    }
    window.tabs()->setCurrentWidget(window.what_if());
    if (!window.what_if()->run()) {
      std::fprintf(stderr, "loadlab: error: %s\n", qPrintable(window.what_if()->status_label()->text()));
      return 2;
    }
  }
  if (parser.isSet(QStringLiteral("flow"))) window.tabs()->setCurrentWidget(window.flow_view());
  if (parser.isSet(QStringLiteral("ab"))) {
    QString error;
    if (!window.ab()->configure(parser.value(QStringLiteral("ab")), &error)) {
      std::fprintf(stderr, "loadlab: error: %s\n", qPrintable(error));
      return 2;
    }
    window.tabs()->setCurrentWidget(window.ab());
    if (!window.ab()->start()) {
      std::fprintf(stderr, "loadlab: error: %s\n", qPrintable(window.ab()->status_label()->text()));
      return 2;
    }
  }
  const bool stats = parser.isSet(QStringLiteral("stats"));
  window.set_force_repaint(stats);
  window.show();
  if (parser.isSet(QStringLiteral("autostart"))) window.start();

  if (parser.isSet(QStringLiteral("quit-after"))) {
    bool ok = false;
    const double seconds = parser.value(QStringLiteral("quit-after")).toDouble(&ok);
    if (!ok || seconds < 0) {
      std::fprintf(stderr, "loadlab: error: --quit-after: expected seconds >= 0 (got '%s')\n",
                   qPrintable(parser.value(QStringLiteral("quit-after"))));
      return 2;
    }
    const QString screenshot = parser.value(QStringLiteral("screenshot"));
    QTimer::singleShot(static_cast<int>(seconds * 1000), &window, [&window, screenshot, stats] {
      int code = 0;
      if (!screenshot.isEmpty() && !window.grab().save(screenshot, "PNG")) {
        std::fprintf(stderr, "loadlab: error: could not write %s\n", qPrintable(screenshot));
        code = 1;
      }
      if (stats) {
        const auto t = window.tick_stats();
        double rps = 0;
        if (window.engine()) {
          const auto r = window.engine()->report_now();
          rps = r.elapsed_s > 0 ? static_cast<double>(r.completed) / r.elapsed_s : 0;
        }
        std::printf("ui ticks %zu  mean %.2f ms  max %.2f ms  engine %.0f req/s\n", t.ticks, t.mean_ms, t.max_ms, rps);
      }
      window.close();
      QCoreApplication::exit(code);
    });
  }
  return app.exec();
}
