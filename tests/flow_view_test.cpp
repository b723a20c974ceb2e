// The flow view, offscreen: with every request sampled, the dots it received per node are
// exactly the run's own counts (arrivals, hits, misses, completions, failures) over the same
// time; hidden, it makes the run sample nothing; at 64 nodes it draws arrows, not dots.
#include <gtest/gtest.h>

#include <QElapsedTimer>
#include <QTabWidget>
#include <QTest>
#include <functional>

#include "flow_view.h"
#include "main_window.h"
#include "ui_wait.h"

namespace loadlab::ui {
namespace {

class Flow : public ::testing::Test {
 protected:
  void SetUp() override {
    window_ = std::make_unique<MainWindow>();
    window_->show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(window_.get()));
  }
  void TearDown() override { window_.reset(); }
  std::unique_ptr<MainWindow> window_;
};

TEST_F(Flow, EveryDotIsARequestTheRunCounted) {
  ASSERT_TRUE(window_->open_preset("weights-5-3-1"));
  window_->set_clock_choice(1);  // the virtual clock at 1×: paused, it stands still
  window_->tabs()->setCurrentWidget(window_->flow_view());
  FlowView* flow = window_->flow_view();
  flow->set_fixed_sampling(1);  // every request
  window_->tick();
  window_->start();
  ASSERT_TRUE(wait_until([&] { return window_->history().size() >= 15; }, 10000));
  window_->pause();
  ASSERT_TRUE(wait_until([&] { return window_->engine()->paused(); }, 5000));
  window_->tick();  // drains what the run recorded up to the pause
  const RunReport r = window_->engine()->report_now();
  const std::vector<FlowCounts>& counts = flow->state().counts();
  ASSERT_EQ(counts.size(), 3u);
  std::uint64_t arrived = 0;
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(counts[i].completed, r.nodes[i].requests) << "node " << i;
    EXPECT_EQ(counts[i].hits, r.nodes[i].hits) << "node " << i;
    EXPECT_EQ(counts[i].misses, r.nodes[i].misses) << "node " << i;
    EXPECT_EQ(counts[i].failed, r.nodes[i].failed) << "node " << i;
    arrived += counts[i].arrived;
  }
  EXPECT_EQ(arrived, r.issued);
  EXPECT_GT(r.completed, 1000u);
  // Weighted round robin 5/3/1: the dots' own shares are the weights'.
  EXPECT_NEAR(static_cast<double>(counts[0].arrived) / static_cast<double>(arrived), 5.0 / 9, 0.01);
  EXPECT_LE(flow->state().dots().size(), FlowState::kMaxDots);
}

TEST_F(Flow, HiddenItSamplesNothingAndAt64NodesItDrawsArrows) {
  ASSERT_TRUE(window_->open_preset("weights-5-3-1"));
  window_->start();
  window_->tick();
  ASSERT_NE(window_->controller().flow_tap(), nullptr);
  EXPECT_EQ(window_->controller().flow_tap()->every(), 0u);  // the Live tab is showing
  window_->tabs()->setCurrentWidget(window_->flow_view());
  window_->tick();
  EXPECT_GT(window_->controller().flow_tap()->every(), 0u);
  ASSERT_TRUE(window_->open_preset("many-nodes"));
  window_->start();
  window_->tick();
  EXPECT_TRUE(window_->flow_view()->aggregate());
  EXPECT_EQ(window_->controller().flow_tap()->every(), 0u);
  window_->flow_view()->grab();  // paints at 64 nodes without dots
}

}  // namespace
}  // namespace loadlab::ui
