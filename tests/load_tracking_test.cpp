// Load tracking (balancer.h): a driver that reports which nodes' loads changed gets the
// indexed fast path; these tests pin it to the plain scan, pick for pick, under random
// weights, random loads and a load that moves as a driver's does.
#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <vector>

#include "balancers/balancer_registry.h"
#include "balancers/min_tree.h"
#include "base/random.h"

namespace loadlab {
namespace {

// The loads as a driver holds them. Views onto them come in the two kinds a driver may
// offer: one that keeps the load-tracking contract and one that does not opt in.
struct Loads {
  explicit Loads(std::size_t n) : in_flight(n, 0), completed(n, 0), latency_sum_ns(n, 0) {}
  std::vector<std::uint64_t> in_flight, completed, latency_sum_ns;
  std::int64_t now_ns = 0;
};

class View : public LoadView {
 public:
  explicit View(const Loads& loads) : loads_(loads) {}
  std::size_t node_count() const override { return loads_.in_flight.size(); }
  std::uint64_t in_flight(std::size_t i) const override { return loads_.in_flight[i]; }
  std::uint64_t completed(std::size_t i) const override { return loads_.completed[i]; }
  std::uint64_t latency_sum_ns(std::size_t i) const override { return loads_.latency_sum_ns[i]; }
  std::int64_t now_ns() const override { return loads_.now_ns; }

 private:
  const Loads& loads_;
};

// The fake driver side of the contract: every change goes through set(), which reports the
// node to each balancer that picks with this view, before any further pick.
class ReportingView final : public View {
 public:
  using View::View;
  bool reports_load_changes() const override { return true; }
  void subscribe(Balancer& b) { subscribers_.push_back(&b); }
  void set(Loads& loads, std::size_t node, std::uint64_t in_flight) const {
    loads.in_flight[node] = in_flight;
    for (Balancer* b : subscribers_) b->on_load_changed(node);
  }

 private:
  std::vector<Balancer*> subscribers_;
};

std::vector<double> random_weights(Rng& rng, std::size_t n) {
  std::vector<double> w(n);
  for (double& x : w) {
    switch (rng.below(4)) {
      case 0:
        x = 0;
        break;  // out of rotation
      case 1:
        x = 1;
        break;  // many equal weights: ties
      case 2:
        x = static_cast<double>(1 + rng.below(5));
        break;  // whole
      default:
        x = 0.1 + rng.uniform() * 3;
        break;  // fractional
    }
  }
  return w;
}

TEST(MinTree, MinimumAndFirstEqualFromMatchBruteForce) {
  Rng rng(1);
  for (std::size_t n : {1u, 2u, 3u, 7u, 8u, 9u, 64u, 100u}) {
    std::vector<double> v(n);
    for (double& x : v) x = static_cast<double>(rng.below(4));
    MinTree tree;
    tree.assign(v);
    for (int step = 0; step < 2000; ++step) {
      const std::size_t i = rng.below(n);
      v[i] = static_cast<double>(rng.below(4));
      tree.set(i, v[i]);
      const double least = *std::min_element(v.begin(), v.end());
      ASSERT_EQ(tree.min(), least);
      const std::size_t start = rng.below(n);
      std::size_t expected = start;
      while (v[expected] != least) expected = expected + 1 == n ? 0 : expected + 1;
      ASSERT_EQ(tree.first_equal_from(start, least), expected) << "n " << n << " step " << step;
    }
  }
}

// One least-connections balancer picks through a reporting view, the other through a view
// that does not opt in (so it scans), over the same loads: every pick must agree.
TEST(LoadTracking, LeastConnectionsMatchesTheScanPickForPick) {
  Rng rng(2);
  for (int trial = 0; trial < 40; ++trial) {
    const std::size_t n = 1 + rng.below(trial < 30 ? 70 : 3000);
    Loads loads(n);
    for (auto& f : loads.in_flight) f = rng.below(4);
    ReportingView fast_view(loads);
    const View scan_view(loads);
    auto fast = balancers().make("least-connections", {});
    auto scan = balancers().make("least-connections", {});
    fast_view.subscribe(*fast);
    std::vector<double> w = random_weights(rng, n);
    fast->set_weights(w);
    scan->set_weights(w);
    std::vector<std::size_t> sent;  // requests in flight, by node, as the driver tracks them
    for (std::size_t i = 0; i < n; ++i) sent.insert(sent.end(), loads.in_flight[i], i);
    for (int step = 0; step < 3000; ++step) {
      const std::size_t a = fast->pick(PickContext{0, &fast_view});
      const std::size_t b = scan->pick(PickContext{0, &scan_view});
      ASSERT_EQ(a, b) << "trial " << trial << " step " << step;
      if (a != kNoNode) {  // the driver sends the request and reports the node
        fast_view.set(loads, a, loads.in_flight[a] + 1);
        sent.push_back(a);
      }
      // Zero, one or several completions, anywhere among the requests in flight.
      for (std::uint64_t done = rng.below(3); done > 0 && !sent.empty(); --done) {
        const std::size_t k = rng.below(sent.size());
        const std::size_t node = sent[k];
        sent[k] = sent.back();
        sent.pop_back();
        fast_view.set(loads, node, loads.in_flight[node] - 1);
      }
      if (rng.below(500) == 0) {  // a live weight change
        w = random_weights(rng, n);
        fast->set_weights(w);
        scan->set_weights(w);
      }
      if (rng.below(200) == 0) {  // a burst: one node's load jumps; reported twice, harmlessly
        const std::size_t node = rng.below(n);
        fast_view.set(loads, node, loads.in_flight[node] + 1000);
        fast_view.set(loads, node, loads.in_flight[node]);
        sent.insert(sent.end(), 1000, node);
      }
    }
  }
}

TEST(LoadTracking, LeastConnectionsMatchesTheScanForArbitraryLoads) {
  // Loads set at random (not only ±1), some huge, with nodes reported in batches.
  Rng rng(3);
  for (int trial = 0; trial < 20; ++trial) {
    const std::size_t n = 1 + rng.below(200);
    Loads loads(n);
    ReportingView fast_view(loads);
    const View scan_view(loads);
    auto fast = balancers().make("least-connections", {});
    auto scan = balancers().make("least-connections", {});
    fast_view.subscribe(*fast);
    const std::vector<double> w = random_weights(rng, n);
    fast->set_weights(w);
    scan->set_weights(w);
    for (int step = 0; step < 2000; ++step) {
      for (std::uint64_t k = rng.below(4); k > 0; --k) {
        const std::size_t node = rng.below(n);
        const std::uint64_t value =
            rng.below(10) == 0 ? std::numeric_limits<std::uint64_t>::max() - rng.below(3) : rng.below(6);
        fast_view.set(loads, node, value);
      }
      ASSERT_EQ(fast->pick(PickContext{0, &fast_view}), scan->pick(PickContext{0, &scan_view}))
          << "trial " << trial << " step " << step;
    }
  }
}

TEST(LoadTracking, LeastConnectionsKeepsTheNginxTieOrderOnTheFastPath) {
  Loads loads(4);
  loads.in_flight = {9, 0, 0, 0};
  ReportingView view(loads);
  auto b = balancers().make("least-connections", {});
  view.subscribe(*b);
  b->set_weights(std::vector<double>{1, 1, 1, 1});
  std::string out;
  for (int i = 0; i < 6; ++i) out += static_cast<char>('a' + b->pick(PickContext{0, &view}));
  EXPECT_EQ(out, "bcdbcd");  // as the scan: ties after the busy node go in turn
  view.set(loads, 0, 0);     // node a drains: it ties and the cursor (after d) reaches it first
  out.clear();
  for (int i = 0; i < 5; ++i) out += static_cast<char>('a' + b->pick(PickContext{0, &view}));
  EXPECT_EQ(out, "abcda");
}

TEST(LoadTracking, SwitchingViewsAndWeightsStaysExact) {
  // Picks alternate between a reporting view, a view that does not opt in and no view at
  // all; the reporting view is only trusted for what was reported since it was last read.
  Rng rng(4);
  const std::size_t n = 50;
  Loads loads(n);
  ReportingView fast_view(loads);
  const View scan_view(loads);
  auto fast = balancers().make("least-connections", {});
  auto scan = balancers().make("least-connections", {});
  fast_view.subscribe(*fast);
  std::vector<double> w = random_weights(rng, n);
  w[0] = 1;
  fast->set_weights(w);
  scan->set_weights(w);
  for (int step = 0; step < 5000; ++step) {
    const std::uint64_t how = rng.below(10);
    const LoadView* fast_with = how < 7 ? static_cast<const LoadView*>(&fast_view) : how < 9 ? &scan_view : nullptr;
    const LoadView* scan_with = how < 9 ? &scan_view : nullptr;
    const std::size_t a = fast->pick(PickContext{0, fast_with});
    ASSERT_EQ(a, scan->pick(PickContext{0, scan_with})) << "step " << step;
    fast_view.set(loads, a, loads.in_flight[a] + 1);
    const std::size_t node = rng.below(n);
    if (loads.in_flight[node] > 0) fast_view.set(loads, node, loads.in_flight[node] - 1);
    if (rng.below(300) == 0) {
      w = random_weights(rng, n);
      w[0] = 1;
      fast->set_weights(w);
      scan->set_weights(w);
    }
  }
}

// Every registered balancer makes the same choices whether or not its view reports load
// changes: the policies that ignore the reports must not be disturbed by them.
TEST(LoadTracking, EveryBalancerChoosesTheSameWithAReportingView) {
  for (const auto& entry : balancers().entries()) {
    Rng rng(5);
    const std::size_t n = 40;
    Loads loads(n);
    ReportingView reporting(loads);
    const View plain(loads);
    auto a = balancers().make(entry.name, BalancerOptions{9, {}});
    auto b = balancers().make(entry.name, BalancerOptions{9, {}});
    reporting.subscribe(*a);
    const std::vector<double> w = random_weights(rng, n);
    a->set_weights(w);
    b->set_weights(w);
    for (std::uint64_t k = 0; k < 3000; ++k) {
      const std::size_t x = a->pick(PickContext{k * 7919, &reporting});
      ASSERT_EQ(x, b->pick(PickContext{k * 7919, &plain})) << entry.name << " pick " << k;
      loads.now_ns += 1000;
      if (x != kNoNode) reporting.set(loads, x, loads.in_flight[x] + 1);
      const std::size_t done = rng.below(n);
      if (loads.in_flight[done] > 0) {
        ++loads.completed[done];
        loads.latency_sum_ns[done] += 10'000 + 1000 * rng.below(100);
        reporting.set(loads, done, loads.in_flight[done] - 1);
      }
    }
  }
}

}  // namespace
}  // namespace loadlab
