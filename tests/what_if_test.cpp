// The What-if tab, offscreen: a small sweep fills the chart point by point with its band and
// the formula, a target's crossing is named, Cancel stops a long sweep and keeps whole points,
// a bad range is refused before anything runs, the exports write the sweep's CSV and an SVG,
// and the live run goes on while a sweep runs.
#include <gtest/gtest.h>

#include <QComboBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <fstream>
#include <functional>
#include <sstream>

#include "main_window.h"
#include "sweep/sweep_csv.h"
#include "sweep_chart.h"
#include "ui_wait.h"
#include "what_if_panel.h"

namespace loadlab::ui {
namespace {

class WhatIf : public ::testing::Test {
 protected:
  void SetUp() override {
    window_ = std::make_unique<MainWindow>();
    window_->show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(window_.get()));
    ASSERT_TRUE(window_->open_preset("hockey-stick"));  // M/M/1 at 1,000 req/s: a formula to check
    panel_ = window_->what_if();
    window_->tabs()->setCurrentWidget(panel_);
  }
  void TearDown() override { window_.reset(); }
  bool configure(const QString& vary, const QString& metric, const QString& target, int seeds, int requests) {
    QString error;
    const bool ok = panel_->configure(vary, QString(), metric, target, seeds, &error);
    EXPECT_TRUE(ok) << error.toStdString();
    panel_->requests_box()->setValue(requests);
    return ok;
  }
  std::unique_ptr<MainWindow> window_;
  WhatIfPanel* panel_ = nullptr;
};

TEST_F(WhatIf, SmallSweepFillsTheChartWithBandsAndTheTheory) {
  ASSERT_TRUE(configure("rate=200:800:200", "mean_us", "5", 3, 4000));
  ASSERT_TRUE(panel_->run());
  EXPECT_TRUE(panel_->running());
  EXPECT_FALSE(panel_->run_button()->isEnabled());
  ASSERT_TRUE(wait_until([&] { return !panel_->running(); }, 60000));
  ASSERT_EQ(panel_->results().size(), 4u);
  const SweepCurves& c = panel_->chart()->curves();
  ASSERT_EQ(c.curves.size(), 1u);
  const auto& points = c.curves[0].measured;
  ASSERT_EQ(points.size(), 4u);
  EXPECT_EQ(c.theory, "theory_mean_us");
  EXPECT_EQ(c.curves[0].theory.size(), 4u);
  // The hockey stick: the mean grows with the load, and each point has a band.
  for (std::size_t i = 1; i < points.size(); ++i) EXPECT_GT(points[i].y, points[i - 1].y);
  for (const CurvePoint& p : points) EXPECT_GT(p.half, 0);
  // M/M/1 with a 1 ms mean: 1 / (1000 − λ) s, 5 ms at 800 req/s (the formula is fed each
  // run's measured rate, within a few % of the offered one); the short runs sit near it.
  EXPECT_NEAR(c.curves[0].theory.back().y, 5000, 250);
  EXPECT_NEAR(points.back().y, 5000, 2000);
  // The target line's crossing is named, between the points where the curve passes 5 ms.
  EXPECT_TRUE(panel_->chart()->crossings().contains("passes 5 ms at")) << panel_->chart()->crossings().toStdString();
  EXPECT_TRUE(panel_->status_label()->text().contains("passes 5 ms"));
  // The "now" marker is the window's own rate.
  EXPECT_TRUE(panel_->run_button()->isEnabled());
}

TEST_F(WhatIf, CancelStopsALongSweepAndKeepsWholePoints) {
  ASSERT_TRUE(configure("rate=100:990:10", "p99_us", "", 5, 200000));
  ASSERT_TRUE(panel_->run());
  ASSERT_TRUE(wait_until([&] { return !panel_->results().empty(); }, 60000));
  panel_->cancel_button()->click();
  ASSERT_TRUE(wait_until([&] { return !panel_->running(); }, 10000));
  EXPECT_LT(panel_->results().size(), 90u);
  for (const PointResult& r : panel_->results()) EXPECT_EQ(r.runs.size(), 5u);  // no half points
  EXPECT_TRUE(panel_->status_label()->text().startsWith("Cancelled")) << panel_->status_label()->text().toStdString();
  EXPECT_TRUE(panel_->run_button()->isEnabled());
}

TEST_F(WhatIf, BadRangeIsRefusedBeforeAnythingRuns) {
  ASSERT_TRUE(configure("rate=900:100:100", "p99_us", "", 2, 1000));
  EXPECT_FALSE(panel_->run());
  EXPECT_FALSE(panel_->running());
  EXPECT_TRUE(panel_->status_label()->text().contains("rate")) << panel_->status_label()->text().toStdString();
  EXPECT_TRUE(panel_->results().empty());
  QString error;
  EXPECT_FALSE(panel_->configure("colour=1,2", QString(), "p99_us", "", 2, &error));
  EXPECT_TRUE(error.contains("colour"));
  EXPECT_FALSE(panel_->configure("rate=1,2", QString(), "p98_us", "", 2, &error));
  EXPECT_TRUE(error.contains("p98_us"));
}

TEST_F(WhatIf, ExportsTheSweepCsvAndTheChart) {
  ASSERT_TRUE(configure("rate=300,600", "mean_us", "", 2, 2000));
  ASSERT_TRUE(panel_->run());
  ASSERT_TRUE(wait_until([&] { return !panel_->running(); }, 60000));
  QTemporaryDir dir;
  const QString csv = dir.filePath("sweep.csv"), svg = dir.filePath("sweep.svg");
  ASSERT_TRUE(panel_->export_csv(csv));
  ASSERT_TRUE(panel_->export_chart(svg));
  std::ifstream in(csv.toStdString());
  std::stringstream text;
  text << in.rdbuf();
  // The bytes `loadlab-cli sweep --csv` writes for these points.
  SweepDefinition d;
  d.parameters.push_back(parse_sweep_parameter("rate=300,600"));
  d.seeds = 2;
  std::string expected = sweep_csv_header(d);
  for (const PointResult& r : panel_->results()) expected += sweep_csv_row(d, r);
  EXPECT_EQ(text.str(), expected);
  std::ifstream picture(svg.toStdString());
  std::stringstream svg_text;
  svg_text << picture.rdbuf();
  EXPECT_NE(svg_text.str().find("<svg"), std::string::npos);
  EXPECT_FALSE(panel_->export_csv(dir.filePath("no/such/dir/x.csv")));
}

TEST_F(WhatIf, TheLiveRunGoesOnWhileASweepRuns) {
  window_->set_clock_choice(1);  // the live run on the virtual clock at 1×
  window_->start();
  ASSERT_TRUE(wait_until([&] { return !window_->history().empty(); }, 5000));
  ASSERT_TRUE(configure("rate=100:900:100", "p99_us", "", 3, 50000));
  ASSERT_TRUE(panel_->run());
  const std::uint64_t before = window_->history().latest().completed;
  ASSERT_TRUE(wait_until([&] { return window_->history().latest().completed > before + 100; }, 10000));
  EXPECT_TRUE(panel_->running() || !panel_->results().empty());
  panel_->cancel();
  ASSERT_TRUE(wait_until([&] { return !panel_->running(); }, 10000));
}

TEST_F(WhatIf, ASweepPresetRunsWithItsOwnModelAndChart) {
  ASSERT_TRUE(panel_->choose_preset("latency-vs-load"));
  EXPECT_FALSE(panel_->values_edit()->isEnabled());  // the preset brings its grid
  EXPECT_EQ(panel_->metric_box()->currentText(), "mean_us");
  EXPECT_TRUE(panel_->status_label()->text().contains("M/M/1"));
  panel_->seeds_box()->setValue(2);
  ASSERT_TRUE(panel_->run());
  ASSERT_TRUE(wait_until([&] { return !panel_->running(); }, 120000));
  const SweepCurves& c = panel_->chart()->curves();
  ASSERT_EQ(c.curves.size(), 1u);
  EXPECT_EQ(c.x, "rate");
  EXPECT_EQ(c.theory, "theory_mean_us");
  EXPECT_GE(c.curves[0].measured.size(), 10u);
  // Back to the window's model: the controls come back.
  EXPECT_TRUE(panel_->choose_preset(""));
  EXPECT_TRUE(panel_->values_edit()->isEnabled());
  EXPECT_FALSE(panel_->choose_preset("no-such-preset"));
}

}  // namespace
}  // namespace loadlab::ui
