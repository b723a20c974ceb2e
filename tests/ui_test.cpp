// The window under the offscreen platform: it opens on every preset, runs, follows a weight
// drag, pauses, exports CSV with the documented columns, and survives a broken file.
#include <gtest/gtest.h>

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QScrollBar>
#include <QSlider>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <functional>

#include "csv_table.h"
#include "dashboard.h"
#include "distribution_chart.h"
#include "heatmap.h"
#include "main_window.h"
#include "metrics/csv_export.h"
#include "node_palette.h"
#include "node_table.h"
#include "proxy_config_panel.h"
#include "share_bars.h"
#include "time_chart.h"
#include "ui_wait.h"

namespace loadlab::ui {
namespace {

std::uint64_t completed(const MainWindow& w) { return w.history().empty() ? 0 : w.history().latest().completed; }

class Window : public ::testing::Test {
 protected:
  void SetUp() override {
    window_ = std::make_unique<MainWindow>();
    window_->show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(window_.get()));
  }
  void TearDown() override { window_.reset(); }
  std::unique_ptr<MainWindow> window_;
};

TEST_F(Window, OpensOnEveryPreset) {
  const QStringList presets = MainWindow::preset_names();
  ASSERT_GE(presets.size(), 5);
  for (const QString& name : presets) {
    ASSERT_TRUE(window_->open_preset(name)) << name.toStdString() << ": " << window_->message().toStdString();
    EXPECT_EQ(window_->node_table()->rowCount(), static_cast<int>(window_->scenario().nodes.size()));
    EXPECT_EQ(window_->hit_chart()->series_count(), window_->scenario().nodes.size());
    EXPECT_FALSE(window_->scenario().description.empty()) << name.toStdString();
  }
}

TEST_F(Window, StartStreamsSnapshotsIntoEveryChart) {
  ASSERT_TRUE(window_->open_preset("weights-5-3-1"));
  window_->start();
  ASSERT_TRUE(wait_until([&] { return window_->history().size() >= 8; }));
  EXPECT_EQ(window_->state(), MainWindow::State::running);
  const auto& bars = window_->share_bars()->bars();
  ASSERT_EQ(bars.size(), 3u);
  EXPECT_GT(bars[0].rps, 0);
  EXPECT_NEAR(bars[0].expected_share, 5.0 / 9, 1e-9);  // theory is drawn beside the measurement
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_GT(window_->in_flight_chart()->point_count(i), 0) << i;
    EXPECT_GT(window_->hit_chart()->point_count(i), 0) << i;
  }
  EXPECT_GT(window_->latency_chart()->point_count(2), 0);  // p99
}

TEST_F(Window, DraggingAWeightMovesTheEngineAndTheShares) {
  ASSERT_TRUE(window_->open_preset("weights-5-3-1"));
  window_->start();
  ASSERT_TRUE(wait_until([&] { return window_->history().size() >= 5; }));
  // Drag a's slider to weight 1: weights 1, 3, 1 give a 20%.
  window_->node_table()->weight_slider(0)->setValue(1 * NodeTable::kSliderSteps);
  EXPECT_DOUBLE_EQ(window_->engine()->weights()[0], 1.0);
  EXPECT_DOUBLE_EQ(window_->node_table()->weight_box(0)->value(), 1.0);
  const std::size_t at = window_->history().size();
  ASSERT_TRUE(wait_until([&] { return window_->history().size() >= at + 14; }));
  const auto& bars = window_->share_bars()->bars();
  EXPECT_NEAR(bars[0].expected_share, 0.2, 1e-9);
  EXPECT_NEAR(bars[0].share, 0.2, 0.05);  // smooth WRR is exact; the tolerance covers the last interval's edge
}

TEST_F(Window, AllWeightsZeroIsRefusedWithAMessage) {
  ASSERT_TRUE(window_->open_preset("round-robin-equal"));
  window_->start();
  const std::size_t n = window_->scenario().nodes.size();
  for (std::size_t i = 0; i < n; ++i) window_->node_table()->weight_box(i)->setValue(0);
  EXPECT_GT(window_->scenario().nodes[n - 1].weight, 0);
  EXPECT_GT(window_->engine()->weights()[n - 1], 0);
  EXPECT_DOUBLE_EQ(window_->node_table()->weight_box(n - 1)->value(), window_->scenario().nodes[n - 1].weight);
  EXPECT_TRUE(window_->message().contains("weight")) << window_->message().toStdString();
  EXPECT_EQ(window_->state(), MainWindow::State::running);
}

TEST_F(Window, PauseStopsTheCountersAndStepRunsOneInterval) {
  ASSERT_TRUE(window_->open_preset("round-robin-equal"));
  QTest::keyClick(window_.get(), Qt::Key_Space);  // the Start shortcut
  ASSERT_EQ(window_->state(), MainWindow::State::running);
  ASSERT_TRUE(wait_until([&] { return completed(*window_) > 200; }));
  QTest::keyClick(window_.get(), Qt::Key_Space);
  ASSERT_EQ(window_->state(), MainWindow::State::paused);
  QTest::qWait(400);  // queues drain
  const std::uint64_t a = completed(*window_);
  QTest::qWait(500);
  EXPECT_EQ(completed(*window_), a) << "requests completed while paused";
  window_->step();
  QTest::qWait(600);
  const std::uint64_t b = completed(*window_);
  EXPECT_GT(b, a);
  // One 100 ms interval at the preset's rate, with slack for timer granularity.
  EXPECT_LT(b - a, static_cast<std::uint64_t>(window_->scenario().workload.rate * 0.3));
  EXPECT_EQ(window_->state(), MainWindow::State::paused);
}

TEST_F(Window, ExportWritesTheDocumentedCsv) {
  ASSERT_TRUE(window_->open_preset("weights-5-3-1"));
  window_->start();
  ASSERT_TRUE(wait_until([&] { return window_->history().size() >= 5; }));
  QTemporaryDir dir;
  ASSERT_TRUE(window_->export_csv(dir.path()));
  const auto summary = test::read_csv((dir.path() + "/summary.csv").toStdString());
  const auto series = test::read_csv((dir.path() + "/timeseries.csv").toStdString());
  std::string header;
  for (const auto& c : summary.columns) header += (header.empty() ? "" : ",") + c;
  EXPECT_EQ(header, kSummaryColumns);
  ASSERT_EQ(summary.rows.size(), 4u);
  EXPECT_EQ(summary.rows[3].at("node"), "total");
  EXPECT_GT(std::stoull(summary.rows[3].at("requests")), 0u);
  header.clear();
  for (const auto& c : series.columns) header += (header.empty() ? "" : ",") + c;
  EXPECT_EQ(header, kTimeseriesColumns);
  EXPECT_GE(series.rows.size(), 15u);
  ASSERT_TRUE(window_->export_png(dir.path() + "/charts.png"));
  EXPECT_GT(QFileInfo(dir.path() + "/charts.png").size(), 1000);
}

TEST_F(Window, InvalidScenarioFileShowsTheErrorAndKeepsTheWindowUsable) {
  ASSERT_TRUE(window_->open_preset("weights-5-3-1"));
  window_->start();
  ASSERT_TRUE(wait_until([&] { return window_->history().size() >= 2; }));
  QTemporaryDir dir;
  const QString bad = dir.path() + "/bad.json";
  std::ofstream(bad.toStdString()) << R"({"nodes": [{"weight": -3}]})";
  EXPECT_FALSE(window_->open_file(bad));
  EXPECT_TRUE(window_->message().contains("nodes[0].weight")) << window_->message().toStdString();
  // Still the same scenario, still running, and the counters keep moving.
  EXPECT_EQ(window_->scenario().name, "Weights 5/3/1");
  EXPECT_EQ(window_->state(), MainWindow::State::running);
  const std::uint64_t before = completed(*window_);
  ASSERT_TRUE(wait_until([&] { return completed(*window_) > before; }));
}

TEST_F(Window, HitRatioChartShowsCheModelThatFollowsTheBalancer) {
  ASSERT_TRUE(window_->open_preset("cache-affinity"));
  ASSERT_EQ(window_->hit_chart()->reference_count(), 4u);
  auto mean = [&] {
    double sum = 0;
    for (double v : window_->hit_chart()->reference_values()) sum += v;
    return sum / 4;
  };
  const double round_robin = mean();
  EXPECT_NEAR(round_robin, 53, 3);  // percent, as the preset's text says
  auto* box = window_->findChild<QComboBox*>(QStringLiteral("balancer_box"));
  window_->start();
  ASSERT_TRUE(wait_until([&] { return window_->history().size() >= 2; }));
  box->setCurrentText("ring-hash");
  EXPECT_EQ(window_->engine()->scenario().balancer, "ring-hash");
  EXPECT_EQ(window_->hit_chart()->reference_count(), 4u);
  EXPECT_GT(mean(), round_robin + 10);  // each node now caches a hotter quarter of the keys
}

TEST_F(Window, KillButtonTakesANodeDownUntilRevived) {
  ASSERT_TRUE(window_->open_preset("round-robin-equal"));
  window_->start();
  ASSERT_TRUE(wait_until([&] { return window_->history().size() >= 3; }));
  QTest::mouseClick(window_->node_table()->fault_button(1), Qt::LeftButton);
  EXPECT_FALSE(window_->engine()->node_up(1));
  // The default passive check takes b out after its first failure.
  ASSERT_TRUE(wait_until([&] { return !window_->history().latest().nodes[1].available; }));
  EXPECT_GT(window_->history().latest().failed.node_down, 0u);
  EXPECT_EQ(window_->state(), MainWindow::State::running);
  QTest::mouseClick(window_->node_table()->fault_button(1), Qt::LeftButton);
  ASSERT_TRUE(wait_until([&] { return window_->history().latest().nodes[1].up; }));
}

TEST_F(Window, SickButtonRaisesTheTailLatency) {
  ASSERT_TRUE(window_->open_preset("round-robin-equal"));
  window_->start();
  ASSERT_TRUE(wait_until([&] { return window_->history().size() >= 10; }));
  const double before = window_->history().latest().p99_us;
  for (std::size_t i = 0; i < 3; ++i) QTest::mouseClick(window_->node_table()->sick_button(i), Qt::LeftButton);
  const std::size_t at = window_->history().size();
  ASSERT_TRUE(wait_until([&] { return window_->history().size() >= at + 10; }));
  // 5% of requests 20 ms slower: p99 moves to about 20 ms (it was a few ms).
  double worst = 0;
  const auto& all = window_->history().all();
  for (std::size_t k = at + 3; k < all.size(); ++k) worst = std::max(worst, all[k].p99_us);
  EXPECT_GT(worst, 15'000.0) << "p99 before " << before;
}

TEST_F(Window, LatencyChartShowsTheQueueingModelBesideTheMeasuredMean) {
  ASSERT_TRUE(window_->open_preset("slow-node"));
  // On the virtual clock (10x) the measured mean does not depend on what else the machine runs.
  window_->set_clock_choice(2);
  window_->start();
  ASSERT_TRUE(wait_until([&] { return window_->history().size() >= 30; }, 8000));
  ASSERT_EQ(window_->latency_chart()->reference_count(), 1u);
  const double model_ms = window_->latency_chart()->reference_values().front();
  double measured = 0;
  int count = 0;
  for (const Snapshot& s : window_->history().all())
    if (std::isfinite(s.mean_us)) measured += s.mean_us / 1000, ++count;
  measured /= count;
  // M/G/1 per node, weighted by traffic (≈ 2 ms here): the measurement must land near it.
  EXPECT_GT(model_ms, 0.5 * measured);
  EXPECT_LT(model_ms, 2.0 * measured);
}

TEST_F(Window, VirtualClockFastForwardsAndLiveControlsStillWork) {
  ASSERT_TRUE(window_->open_preset("weights-5-3-1"));
  auto* clock = window_->findChild<QComboBox*>(QStringLiteral("clock_box"));
  ASSERT_NE(clock, nullptr);
  clock->setCurrentIndex(4);  // virtual, as fast as possible
  window_->start();
  // Far more virtual time than wall time: 60 s of traffic in a few seconds at most.
  ASSERT_TRUE(
      wait_until([&] { return !window_->history().empty() && window_->history().latest().t_ms > 60'000; }, 8000));
  window_->engine()->set_weight(2, 9);  // live control lands at the current virtual time
  const std::int64_t at = window_->history().latest().t_ms;
  ASSERT_TRUE(wait_until([&] { return window_->history().latest().t_ms > at + 20'000; }, 8000));
  EXPECT_DOUBLE_EQ(window_->engine()->weights()[2], 9.0);
  const auto& bars = window_->share_bars()->bars();
  ASSERT_EQ(bars.size(), 3u);
  EXPECT_NEAR(bars[2].expected_share, 9.0 / 17, 1e-9);
  // Back to 1x keeps the run going (only switching to or from real threads restarts it).
  clock->setCurrentIndex(1);
  EXPECT_EQ(window_->state(), MainWindow::State::running);
  EXPECT_GT(window_->history().latest().t_ms, at);
}

TEST_F(Window, StartHintShowsOnlyWhileThereIsNoRun) {
  ASSERT_TRUE(window_->open_preset("weights-5-3-1"));
  QLabel* hint = window_->start_hint();
  ASSERT_NE(hint, nullptr);
  EXPECT_TRUE(hint->text().contains("Press Start")) << hint->text().toStdString();
  EXPECT_TRUE(hint->isVisible());
  EXPECT_FALSE(window_->share_bars()->hint().isEmpty());
  window_->start();
  EXPECT_FALSE(hint->isVisible());
  EXPECT_TRUE(window_->share_bars()->hint().isEmpty());
  window_->pause();  // a paused run is still a run
  EXPECT_FALSE(hint->isVisible());
  window_->reset();
  EXPECT_TRUE(hint->isVisible());
  EXPECT_FALSE(window_->share_bars()->hint().isEmpty());
  window_->start();
  ASSERT_FALSE(hint->isVisible());
  ASSERT_TRUE(window_->open_preset("slow-node"));  // a new scenario stops the run
  EXPECT_TRUE(hint->isVisible());
}

// The column widths, for a failure message.
std::string column_widths(const NodeTable& table) {
  QString out = QStringLiteral("viewport %1, columns").arg(table.viewport()->width());
  for (int c = 0; c < table.columnCount(); ++c) out += QStringLiteral(" %1").arg(table.columnWidth(c));
  return out.toStdString();
}

TEST_F(Window, NodeTableHasAHeaderOnEveryColumnAndFitsAtTheDefaultSize) {
  ASSERT_EQ(window_->size(), QSize(1440, 900));  // the first-start size (tests keep no settings)
  NodeTable* table = window_->node_table();
  ASSERT_EQ(table->columnCount(), NodeTable::kColumns);
  for (int c = 0; c < table->columnCount(); ++c) {
    ASSERT_NE(table->horizontalHeaderItem(c), nullptr) << c;
    EXPECT_FALSE(table->horizontalHeaderItem(c)->text().trimmed().isEmpty()) << "column " << c;
    EXPECT_FALSE(table->horizontalHeaderItem(c)->toolTip().isEmpty()) << "column " << c;
  }
  for (const QString& name : MainWindow::preset_names()) {
    ASSERT_TRUE(window_->open_preset(name));
    QTest::qWait(20);  // let the layout settle
    EXPECT_EQ(table->horizontalScrollBar()->maximum(), 0) << name.toStdString() << ": " << column_widths(*table);
    // The stretched weight column still shows its slider beside the spin box.
    EXPECT_GE(table->columnWidth(NodeTable::weight_column), table->weight_box(0)->width() + 40)
        << name.toStdString() << ": " << column_widths(*table);
  }
  // With measured and predicted shares in the last column ("55.5 / 55.6%") it still fits.
  ASSERT_TRUE(window_->open_preset("weights-5-3-1"));
  window_->start();
  ASSERT_TRUE(wait_until([&] { return window_->history().size() >= 5; }));
  QTest::qWait(50);
  EXPECT_TRUE(table->item(0, NodeTable::share_column)->text().contains('/'));
  EXPECT_EQ(table->horizontalScrollBar()->maximum(), 0) << column_widths(*table);
}

TEST_F(Window, TheoryLinesAreDashedInANeutralColourNoNodeHasEvenAfterAThemeSwitch) {
  // No node colour is neutral (saturated, all kMaxNodes of them), and theory's colour is.
  for (bool dark : {true, false}) {
    const QColor theory = theory_color(dark);
    EXPECT_EQ(theory.hsvSaturation(), 0);
    for (std::size_t i = 0; i < kMaxNodes; ++i) {
      ASSERT_GE(node_color(i).hsvSaturation(), kMinNodeSaturation) << "node " << i;
      ASSERT_NE(node_color(i).rgb(), theory.rgb()) << "node " << i;
    }
  }
  ASSERT_TRUE(window_->open_preset("cache-affinity"));
  TimeChart* hit = window_->hit_chart();
  ASSERT_EQ(hit->reference_count(), 4u);
  auto check = [&](bool dark) {
    for (std::size_t i = 0; i < hit->reference_count(); ++i) {
      EXPECT_EQ(hit->reference_pen(i).style(), Qt::DashLine) << i;
      EXPECT_EQ(hit->reference_pen(i).color().rgb(), theory_color(dark).rgb()) << i;
    }
  };
  check(true);
  // Switching the theme resets every pen in Qt Charts; the dashed theory lines must survive.
  auto* dark = window_->findChild<QAction*>(QStringLiteral("dark_action"));
  ASSERT_NE(dark, nullptr);
  dark->setChecked(false);
  check(false);
  dark->setChecked(true);
  check(true);
}

TEST_F(Window, SwitchingTheBalancerRestartsAndSaysSo) {
  ASSERT_TRUE(window_->open_preset("slow-node"));
  window_->start();
  ASSERT_TRUE(wait_until([&] { return window_->history().size() >= 2; }));
  auto* box = window_->findChild<QComboBox*>(QStringLiteral("balancer_box"));
  box->setCurrentText("p2c");
  EXPECT_EQ(window_->scenario().balancer, "p2c");
  EXPECT_EQ(window_->engine()->scenario().balancer, "p2c");
  EXPECT_TRUE(window_->message().contains("restarted")) << window_->message().toStdString();
}

// p99 over the snapshots from `from` on (the worst interval).
double worst_p99(const RunHistory& history, std::size_t from) {
  double worst = 0;
  const auto& all = history.all();
  for (std::size_t k = from; k < all.size(); ++k)
    if (std::isfinite(all[k].p99_us)) worst = std::max(worst, all[k].p99_us);
  return worst;
}

TEST_F(Window, SickBeforeStartIsAppliedFromTheStartAndSurvivesARestart) {
  ASSERT_TRUE(window_->open_preset("round-robin-equal"));
  window_->set_clock_choice(2);  // virtual, 10x: the tail does not depend on the machine's load
  for (std::size_t i = 0; i < 3; ++i) QTest::mouseClick(window_->node_table()->sick_button(i), Qt::LeftButton);
  EXPECT_TRUE(window_->message().contains("from the start")) << window_->message().toStdString();
  window_->start();
  ASSERT_TRUE(wait_until([&] { return window_->history().size() >= 10; }, 8000));
  // 5% of requests 20 ms slower: p99 is about 20 ms from the first intervals on.
  EXPECT_GT(worst_p99(window_->history(), 2), 15'000.0);
  // Switching the balancer restarts the run: the nodes are still sick, and their buttons say so.
  auto* box = window_->findChild<QComboBox*>(QStringLiteral("balancer_box"));
  ASSERT_NE(box, nullptr);
  box->setCurrentText(QStringLiteral("random"));
  ASSERT_EQ(window_->scenario().balancer, "random");
  ASSERT_TRUE(wait_until([&] { return window_->history().size() >= 10; }, 8000));
  EXPECT_GT(worst_p99(window_->history(), 2), 15'000.0);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_TRUE(window_->node_table()->sick_button(i)->isChecked()) << i;
  // Made well, the next run has no spikes: p99 stays at the service time's scale.
  for (std::size_t i = 0; i < 3; ++i) QTest::mouseClick(window_->node_table()->sick_button(i), Qt::LeftButton);
  window_->reset();
  for (std::size_t i = 0; i < 3; ++i) EXPECT_FALSE(window_->node_table()->sick_button(i)->isChecked()) << i;
  window_->start();
  ASSERT_TRUE(wait_until([&] { return window_->history().size() >= 10; }, 8000));
  EXPECT_LT(worst_p99(window_->history(), 2), 15'000.0);
}

TEST_F(Window, SlowMotionStretchesAClosedLoopsThinkTime) {
  Scenario s;
  s.name = "closed loop";
  s.nodes = default_nodes(2);
  s.workload.mode = Workload::Mode::closed;
  s.workload.clients = 2;
  s.workload.think_ms = 40;
  s.service.hit_us = 20;
  s.service.miss_us = 60;
  window_->set_scenario(s, QStringLiteral("test"));
  window_->set_clock_choice(1);  // virtual, 1x: counts that do not depend on the machine
  window_->start();
  // Two clients, each a cycle of 40 ms + well under 1 ms: about 50 requests a second.
  ASSERT_TRUE(wait_until([&] { return window_->history().size() >= 12; }, 8000));
  const auto per_second = [&](std::size_t from, std::size_t to) {
    const auto& all = window_->history().all();
    std::uint64_t done = 0;
    for (std::size_t k = from; k < to; ++k) done += all[k].completed - all[k - 1].completed;
    return static_cast<double>(done) / (static_cast<double>(to - from) * s.interval_ms / 1000);
  };
  const double normal = per_second(2, 12);
  EXPECT_NEAR(normal, 49.0, 8.0);
  window_->set_slow_motion(true);
  const std::size_t at = window_->history().size();
  ASSERT_TRUE(wait_until([&] { return window_->history().size() >= at + 25; }, 8000));
  // Everything ten times slower: about 5 a second. Unscaled think time would leave about 40.
  const double slow = per_second(at + 5, at + 25);
  EXPECT_NEAR(slow, 4.9, 2.0) << "normal " << normal;
}

TEST_F(Window, StepOnTheVirtualClockRunsExactlyOneInterval) {
  ASSERT_TRUE(window_->open_preset("round-robin-equal"));
  window_->set_clock_choice(4);  // as fast as possible: a wall-clock step would run thousands
  window_->start();
  ASSERT_TRUE(wait_until([&] { return window_->history().size() >= 5; }, 8000));
  window_->pause();
  QTest::qWait(300);  // what was published before the pause arrives
  window_->step();
  ASSERT_TRUE(wait_until([&] { return !window_->controller().stepping(); }, 5000));
  QTest::qWait(200);
  const std::int64_t after_first = window_->history().latest().t_ms;
  window_->step();
  ASSERT_TRUE(wait_until([&] { return !window_->controller().stepping(); }, 5000));
  QTest::qWait(200);
  EXPECT_EQ(window_->history().latest().t_ms, after_first + static_cast<std::int64_t>(window_->scenario().interval_ms));
  EXPECT_EQ(window_->state(), MainWindow::State::paused);
}

TEST_F(Window, PerNodeLatencyShowsWhichNodeQueuesWithEachNodesModel) {
  ASSERT_TRUE(window_->open_preset("weights-5-3-1"));
  window_->set_clock_choice(2);  // virtual, 10x
  auto* view = window_->findChild<QComboBox*>(QStringLiteral("latency_view_box"));
  ASSERT_NE(view, nullptr);
  view->setCurrentIndex(static_cast<int>(Dashboard::LatencyView::node_mean));
  TimeChart* chart = window_->latency_chart();
  EXPECT_EQ(chart->series_count(), 3u);
  EXPECT_TRUE(chart->title().contains("per node")) << chart->title().toStdString();
  window_->start();
  ASSERT_TRUE(wait_until([&] { return window_->history().size() >= 30; }, 8000));
  for (std::size_t i = 0; i < 3; ++i) EXPECT_GT(chart->point_count(i), 10) << i;
  // Node a runs at about 76% utilisation and queues; node c idles: its mean is near the service time.
  ASSERT_EQ(chart->reference_count(), 3u);
  std::vector<double> model = chart->reference_values();
  std::sort(model.begin(), model.end());
  EXPECT_GT(model[2], 2 * model[0]) << "the busiest node's M/G/1 mean should be well above the idlest's";
  double a = 0, c = 0;
  int count = 0;
  for (const Snapshot& s : window_->history().all())
    if (std::isfinite(s.nodes[0].mean_us) && std::isfinite(s.nodes[2].mean_us))
      a += s.nodes[0].mean_us, c += s.nodes[2].mean_us, ++count;
  ASSERT_GT(count, 10);
  EXPECT_GT(a / count, 2 * (c / count));
  // A percentile per node has no model line; back to all nodes: four series and the cluster's model.
  view->setCurrentIndex(static_cast<int>(Dashboard::LatencyView::node_p99));
  EXPECT_EQ(chart->reference_count(), 0u);
  EXPECT_TRUE(chart->title().contains("p99"));
  view->setCurrentIndex(static_cast<int>(Dashboard::LatencyView::cluster));
  EXPECT_EQ(chart->series_count(), 4u);
  ASSERT_TRUE(wait_until([&] { return chart->reference_count() == 1; }, 3000));
}

TEST_F(Window, DistributionViewShowsASickNodesTailAsAShape) {
  ASSERT_TRUE(window_->open_preset("round-robin-equal"));
  window_->set_clock_choice(2);  // virtual, 10x
  QTest::mouseClick(window_->node_table()->sick_button(0), Qt::LeftButton);
  auto* view = window_->findChild<QComboBox*>(QStringLiteral("latency_view_box"));
  ASSERT_NE(view, nullptr);
  view->setCurrentIndex(static_cast<int>(Dashboard::LatencyView::distribution));
  DistributionChart* chart = window_->dashboard()->distribution_chart();
  ASSERT_TRUE(chart->isVisibleTo(window_.get()));
  EXPECT_FALSE(window_->latency_chart()->isVisibleTo(window_.get()));
  window_->start();
  ASSERT_TRUE(wait_until([&] { return window_->history().size() >= 30; }, 8000));
  ASSERT_EQ(chart->series_count(), 3u);
  EXPECT_EQ(chart->marker_count(), 6);  // p50 and p99 of each node
  // The share of each node's requests answered within 10 ms: 5% of the sick node's take 20 ms
  // longer, and behind each of those its one slot holds a queue (head-of-line blocking), so
  // most of its requests wait past 10 ms; the healthy nodes answer (almost) all within it.
  const auto within = [&](std::size_t node, double ms) {
    double y = 0;
    for (const QPointF& p : chart->points(node))
      if (p.x() <= ms) y = p.y();
    return y;
  };
  for (std::size_t i = 0; i < 3; ++i) EXPECT_DOUBLE_EQ(chart->points(i).back().y(), 100.0) << i;
  EXPECT_LT(within(0, 10), 50.0);
  EXPECT_GT(within(1, 10), 99.0);
  EXPECT_GT(within(2, 10), 99.0);
}

TEST_F(Window, ProxyConfigurationFollowsTheModelAndSaysWhatItCannotExpress) {
  ASSERT_TRUE(window_->open_preset("weights-5-3-1"));
  EXPECT_FALSE(window_->proxy_config_dock()->isVisible());  // closed until asked for
  window_->proxy_config_dock()->show();
  window_->proxy_config_dock()->raise();  // a tab beside the scenario's explanation
  ProxyConfigPanel* panel = window_->proxy_config_panel();
  panel->set_product(QStringLiteral("nginx"));
  panel->set_best_effort(false);
  EXPECT_TRUE(panel->text().contains("weight=5")) << panel->text().toStdString();
  // Dragging a weight rewrites the configuration at once.
  window_->node_table()->weight_box(0)->setValue(2);
  EXPECT_TRUE(panel->text().contains("weight=2")) << panel->text().toStdString();
  EXPECT_FALSE(panel->text().contains("weight=5"));
  // Maglev is Envoy's: nginx refuses it by name, and there is nothing to save.
  auto* box = window_->findChild<QComboBox*>(QStringLiteral("balancer_box"));
  box->setCurrentText(QStringLiteral("maglev"));
  ASSERT_EQ(window_->scenario().balancer, "maglev");
  EXPECT_TRUE(panel->text().isEmpty());
  EXPECT_TRUE(panel->problem().contains("maglev")) << panel->problem().toStdString();
  QString error;
  QTemporaryDir dir;
  EXPECT_FALSE(panel->save(dir.filePath("nginx.conf"), &error));
  EXPECT_FALSE(error.isEmpty());
  panel->set_product(QStringLiteral("envoy"));
  EXPECT_TRUE(panel->text().contains("MAGLEV")) << panel->text().toStdString();
  ASSERT_TRUE(panel->save(dir.filePath("envoy.yaml"), &error)) << error.toStdString();
  std::ifstream in(dir.filePath("envoy.yaml").toStdString());
  const std::string saved((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(saved, panel->text().toStdString());
  EXPECT_FALSE(panel->save(dir.filePath("no/such/dir/x.yaml"), &error));
  EXPECT_TRUE(error.contains("Could not write")) << error.toStdString();
}

TEST_F(Window, HeatmapsReplaceTheLinesAt64NodesAndNotAt4) {
  ASSERT_TRUE(window_->open_preset("round-robin-equal"));
  EXPECT_FALSE(window_->dashboard()->heatmaps_shown());
  EXPECT_TRUE(window_->hit_chart()->isVisibleTo(window_.get()));
  ASSERT_TRUE(window_->open_preset("many-nodes"));
  ASSERT_EQ(window_->scenario().nodes.size(), 64u);
  EXPECT_TRUE(window_->dashboard()->heatmaps_shown());
  Heatmap* hit = window_->dashboard()->hit_heatmap();
  EXPECT_TRUE(hit->isVisibleTo(window_.get()));
  EXPECT_FALSE(window_->hit_chart()->isVisibleTo(window_.get()));
  window_->set_clock_choice(2);  // virtual, 10x
  window_->start();
  ASSERT_TRUE(wait_until([&] { return window_->history().size() >= 20; }, 8000));
  ASSERT_TRUE(wait_until([&] { return hit->grid().columns >= 20; }, 3000));
  EXPECT_EQ(hit->grid().rows, 64u);
  EXPECT_DOUBLE_EQ(hit->scale_max(), 100.0);
  EXPECT_GT(hit->scale_min(), 0.0);  // the hit ratios here are all well above 0: the scale starts near them
  EXPECT_LE(hit->scale_min(), hit->grid().quantile(0.01));
  // Each cell is the node's hit ratio in that interval, as the snapshots have it.
  const Snapshot& last = window_->history().latest();
  const std::size_t column = hit->grid().columns - 1;
  for (std::size_t i = 0; i < 64; ++i) {
    const NodeSample& n = last.nodes[i];
    const std::uint64_t lookups = n.interval_hits + n.interval_misses;
    if (lookups == 0) continue;
    EXPECT_NEAR(hit->grid().at(i, column), 100.0 * static_cast<double>(n.interval_hits) / lookups, 1e-9) << i;
  }
  EXPECT_EQ(window_->dashboard()->in_flight_heatmap()->grid().rows, 64u);
  // Back to a few nodes: lines again.
  ASSERT_TRUE(window_->open_preset("weights-5-3-1"));
  EXPECT_FALSE(window_->dashboard()->heatmaps_shown());
  EXPECT_TRUE(window_->hit_chart()->isVisibleTo(window_.get()));
}

TEST_F(Window, LoadBadgeSaysWhenTheModelIsPastSaturation) {
  ASSERT_TRUE(window_->open_preset("hockey-stick"));  // one M/M/1 node: 1,000 req/s at most
  QLabel* badge = window_->load_badge();
  ASSERT_TRUE(badge->isVisibleTo(window_.get()));
  EXPECT_FALSE(badge->text().contains("OVERLOADED")) << badge->text().toStdString();
  auto* rate = window_->findChild<QDoubleSpinBox*>(QStringLiteral("rate_box"));
  ASSERT_NE(rate, nullptr);
  rate->setValue(2300);
  EXPECT_TRUE(badge->text().contains("OVERLOADED")) << badge->text().toStdString();
  EXPECT_TRUE(badge->text().contains("2.30")) << badge->text().toStdString();
  // Past saturation there is no steady state: no M/G/1 line, although the node completes
  // just under 1,000 req/s, which a model fed the measured rate would take for one.
  window_->set_clock_choice(2);
  window_->start();
  ASSERT_TRUE(wait_until([&] { return window_->history().size() >= 10; }, 8000));
  EXPECT_EQ(window_->latency_chart()->reference_count(), 0u);
  window_->reset();
  rate->setValue(950);
  EXPECT_TRUE(badge->text().contains("near saturation")) << badge->text().toStdString();
  rate->setValue(500);
  EXPECT_TRUE(badge->text().contains("0.50")) << badge->text().toStdString();
  // Halving the node's speed halves its capacity: 500 req/s is then the limit itself.
  window_->node_table()->speed_box(0)->setValue(0.25);
  EXPECT_TRUE(badge->text().contains("OVERLOADED \u03c1 = 2.00")) << badge->text().toStdString();
}

TEST_F(Window, DemoTimelineMarksEveryChartRunsAndRoundTripsThroughTheFile) {
  ASSERT_TRUE(window_->open_preset("round-robin-equal"));
  EXPECT_EQ(window_->hit_chart()->mark_count(), 0u);
  FaultEvent kill;
  kill.at_s = 2;
  kill.node = 1;
  kill.action = FaultEvent::Action::kill;
  FaultEvent revive = kill;
  revive.at_s = 4;
  revive.action = FaultEvent::Action::revive;
  ASSERT_TRUE(window_->schedule(kill));
  ASSERT_TRUE(window_->schedule(revive));
  for (TimeChart* c : {window_->hit_chart(), window_->latency_chart(), window_->in_flight_chart()}) {
    ASSERT_EQ(c->mark_count(), 2u);
    EXPECT_EQ(c->mark_label(0).toStdString(), "kill b");
    EXPECT_EQ(c->mark_label(1).toStdString(), "revive b");
  }
  // A bad event is refused by name and changes nothing.
  FaultEvent bad = kill;
  bad.node = 7;
  EXPECT_FALSE(window_->schedule(bad));
  EXPECT_TRUE(window_->message().contains("faults")) << window_->message().toStdString();
  EXPECT_EQ(window_->scenario().faults.size(), 2u);
  // Saved with the scenario and back on every chart when it is opened again.
  QTemporaryDir dir;
  const QString file = dir.filePath("demo.json");
  ASSERT_TRUE(window_->save_scenario(file));
  ASSERT_TRUE(window_->open_preset("weights-5-3-1"));
  EXPECT_EQ(window_->hit_chart()->mark_count(), 0u);
  ASSERT_TRUE(window_->open_file(file));
  ASSERT_EQ(window_->latency_chart()->mark_count(), 2u);
  EXPECT_EQ(window_->latency_chart()->mark_label(0).toStdString(), "kill b");
  // And the run does it: node b is down from 2 s to 4 s.
  window_->set_clock_choice(2);
  window_->start();
  ASSERT_TRUE(
      wait_until([&] { return !window_->history().empty() && window_->history().latest().t_ms >= 5000; }, 8000));
  bool down_between = false, up_after = false;
  for (const Snapshot& s : window_->history().all()) {
    if (s.t_ms > 2100 && s.t_ms < 3900 && !s.nodes[1].up) down_between = true;
    if (s.t_ms > 4100 && s.nodes[1].up) up_after = true;
  }
  EXPECT_TRUE(down_between);
  EXPECT_TRUE(up_after);
  // Cleared while running: the marks show what this run still does until the next start.
  window_->clear_schedule(1);
  EXPECT_EQ(window_->hit_chart()->mark_count(), 2u);
  window_->reset();
  EXPECT_EQ(window_->hit_chart()->mark_count(), 0u);
}

TEST_F(Window, DefaultQueueLimitKeepsAnOverloadedRunFlatAndUnlimitedIsAllowedWithAWarning) {
  ASSERT_TRUE(window_->open_preset("hockey-stick"));  // one node, 1,000 req/s at most
  auto* queue = window_->findChild<QSpinBox*>(QStringLiteral("queue_box"));
  ASSERT_NE(queue, nullptr);
  EXPECT_EQ(queue->value(), static_cast<int>(RunController::kDefaultQueueLimit));
  EXPECT_EQ(window_->controller().queue_limit(), RunController::kDefaultQueueLimit);
  // 3x overload with a bound of 200: in flight never passes 200 waiting + 1 in service, and
  // the excess fails as queue_full.
  queue->setValue(200);
  Q_EMIT queue->editingFinished();
  EXPECT_EQ(window_->controller().queue_limit(), 200u);
  window_->findChild<QDoubleSpinBox*>(QStringLiteral("rate_box"))->setValue(3000);
  window_->set_clock_choice(3);  // virtual, 100x: a minute of overload in under a second
  window_->start();
  ASSERT_TRUE(
      wait_until([&] { return !window_->history().empty() && window_->history().latest().t_ms > 30'000; }, 8000));
  std::uint64_t peak = 0;
  for (const Snapshot& s : window_->history().all()) peak = std::max(peak, s.nodes[0].in_flight);
  EXPECT_LE(peak, 201u);
  EXPECT_GE(peak, 150u);  // it does fill
  const Snapshot& last = window_->history().latest();
  EXPECT_GT(last.failed.queue_full, last.completed);  // two in three are turned away
  // Unlimited: allowed, with a warning, and the scenario keeps it.
  queue->setValue(0);
  EXPECT_EQ(queue->text().toStdString(), "unlimited");
  Q_EMIT queue->editingFinished();
  EXPECT_EQ(window_->controller().queue_limit(), QueuePolicy::kUnlimited);
  EXPECT_TRUE(window_->message().contains("grow")) << window_->message().toStdString();
  // A new scenario starts with the window's default again.
  ASSERT_TRUE(window_->open_preset("weights-5-3-1"));
  EXPECT_EQ(queue->value(), static_cast<int>(RunController::kDefaultQueueLimit));
}

}  // namespace
}  // namespace loadlab::ui

int main(int argc, char** argv) {
  // Headless unless the caller chose a platform (xvfb-run can override).
  if (!std::getenv("QT_QPA_PLATFORM")) setenv("QT_QPA_PLATFORM", "offscreen", 1);
  Q_INIT_RESOURCE(loadlab);
  QApplication app(argc, argv);
  QCoreApplication::setOrganizationName("LoadLabTests");  // keep the user's settings untouched
  QCoreApplication::setApplicationName("ui_tests");
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
