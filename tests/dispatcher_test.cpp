// The dispatcher's O(1) count of requests in flight (tracked_outstanding) must equal the
// O(nodes) count from the counters (outstanding) whenever the driver has reported its
// changes: the simulator hands it to the balancer and takes the run's peak from it.
#include "model/dispatcher.h"

#include <gtest/gtest.h>

#include <deque>
#include <memory>
#include <vector>

#include "base/random.h"
#include "metrics/node_counters.h"

namespace loadlab {
namespace {

// A driver in miniature: it holds what each node was sent and moves the counters as a node
// would, reporting each change as the simulator does.
struct FakeDriver final : Dispatcher::Sink {
  explicit FakeDriver(std::size_t n) : held(n) {
    for (std::size_t i = 0; i < n; ++i) nodes.push_back(std::make_unique<NodeCounters>());
    for (const auto& c : nodes) views.push_back(c.get());
  }
  void send(std::size_t node, const Request& r) override {
    bump(nodes[node]->issued);
    held[node].push_back(r);
  }
  std::vector<std::unique_ptr<NodeCounters>> nodes;
  std::vector<const NodeCounters*> views;
  std::vector<std::deque<Request>> held;
};

TEST(Dispatcher, TrackedInFlightEqualsTheCountersThroughCompletionsFailuresAndRetries) {
  Scenario s;
  s.nodes = default_nodes(5);
  s.balancer = "least-connections";  // picks that read the load
  FakeDriver driver(5);
  Dispatcher d(s, driver.views, driver, /*reports_load_changes=*/true);
  Rng rng(42);
  std::uint64_t done = 0;
  for (int step = 0; step < 20'000; ++step) {
    const std::uint64_t action = rng.below(10);
    const std::size_t node = rng.below(5);
    if (action < 5 || driver.held[node].empty()) {
      d.issue(step, kNoClient, step);
    } else if (action < 8) {  // the oldest completes
      driver.held[node].pop_front();
      bump(driver.nodes[node]->completed);
      d.load_changed(node);
      ++done;
    } else if (action < 9) {  // it fails for good
      driver.held[node].pop_front();
      bump(driver.nodes[node]->failed_down);
      d.load_changed(node);
      ++done;
    } else {  // it is retried on the next node, reported in the simulator's order
      const std::size_t to = (node + 1) % 5;
      driver.held[to].push_back(driver.held[node].front());
      driver.held[node].pop_front();
      driver.nodes[to]->retried_in.fetch_add(1);
      d.load_changed(to);
      d.load_changed(node);
      bump(driver.nodes[node]->retried_out);  // after, as NodeModel::fail does ...
      d.load_changed(node);                   // ... and the driver reports the node again
    }
    ASSERT_EQ(d.tracked_outstanding(), d.outstanding()) << "step " << step;
  }
  std::uint64_t held = 0;
  for (const auto& q : driver.held) held += q.size();
  EXPECT_EQ(d.outstanding(), held);
  EXPECT_EQ(d.issued(), done + held);  // nothing lost
  EXPECT_GT(done, 5'000u);
}

}  // namespace
}  // namespace loadlab
