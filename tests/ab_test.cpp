// The A/B tab, offscreen: both sides run the same seeded requests on the virtual clock
// (equal issued counts at every common interval), each side's deterministic balancer gives
// its own exact shares, the difference chart gets points, and a bad B is refused.
#include <gtest/gtest.h>

#include <QComboBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QTabWidget>
#include <QTest>
#include <functional>

#include "ab_panel.h"
#include "main_window.h"
#include "ui_wait.h"

namespace loadlab::ui {
namespace {

double share(const Snapshot& s, std::size_t node) {
  double total = 0;
  for (const NodeSample& n : s.nodes) total += static_cast<double>(n.completed);
  return static_cast<double>(s.nodes[node].completed) / total;
}

TEST(Ab, BothSidesRunTheSameRequestsThroughTheirOwnBalancer) {
  MainWindow window;
  window.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
  ASSERT_TRUE(window.open_preset("weights-5-3-1"));  // A: smooth weighted round robin 5/3/1
  AbPanel* ab = window.ab();
  window.tabs()->setCurrentWidget(ab);
  QString error;
  ASSERT_TRUE(ab->configure("balancer=round-robin", &error)) << error.toStdString();
  ab->set_pace(100);
  ASSERT_TRUE(ab->start());
  ASSERT_TRUE(
      wait_until([&] { return ab->side_a().history().size() >= 30 && ab->side_b().history().size() >= 30; }, 30000));
  ab->pause();
  const auto& a = ab->side_a().history().all();
  const auto& b = ab->side_b().history().all();
  // The same arrivals on both sides: at each interval both closed, the same requests issued.
  std::size_t compared = 0;
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    ASSERT_EQ(a[i].t_ms, b[i].t_ms);
    EXPECT_EQ(a[i].issued, b[i].issued) << "t = " << a[i].t_ms << " ms";
    ++compared;
  }
  EXPECT_GE(compared, 30u);
  // Each side's own balancer: 5/9, 3/9, 1/9 on A; a third each on B (both deterministic, so
  // within a request or two of exact over thousands).
  const Snapshot& la = a[compared - 1];
  const Snapshot& lb = b[compared - 1];
  EXPECT_NEAR(share(la, 0), 5.0 / 9, 0.005);
  EXPECT_NEAR(share(la, 2), 1.0 / 9, 0.005);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_NEAR(share(lb, i), 1.0 / 3, 0.005);
  EXPECT_TRUE(ab->status_label()->text().contains("same requests"));
}

TEST(Ab, ANewScenarioStopsTheComparisonAndBFollowsIt) {
  MainWindow window;
  window.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
  AbPanel* ab = window.ab();
  ab->set_pace(100);
  ASSERT_TRUE(ab->start());
  ASSERT_TRUE(wait_until([&] { return !ab->side_a().history().empty(); }, 10000));
  ASSERT_TRUE(window.open_preset("round-robin-equal"));
  EXPECT_EQ(ab->side_a().state(), RunController::State::idle);
  EXPECT_TRUE(ab->side_a().history().empty());
  QString error;
  EXPECT_FALSE(ab->configure("balancer=nope", &error));
  EXPECT_TRUE(error.contains("nope"));
  EXPECT_FALSE(ab->configure("colour=red", &error));
  EXPECT_TRUE(error.contains("colour=red"));
}

}  // namespace
}  // namespace loadlab::ui
