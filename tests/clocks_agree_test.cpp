// The two clocks check each other: every shipped preset, run once on real threads and once on
// the virtual clock, must tell the same story. Presets are shortened to about 6,000 requests
// (fault times scaled with them) so the real runs take a few seconds each. Runs serially
// (see CMakeLists.txt): the real clock's latency is only honest when it has the CPU.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>

#include "engine/engine.h"
#include "scenario/scenario_json.h"
#include "sim/simulator.h"

namespace loadlab {
namespace {

constexpr std::uint64_t kRequests = 6000;

Scenario shortened(const std::filesystem::path& file) {
  Scenario s = load_scenario(file.string());
  if (s.workload.requests > kRequests) {
    const double f = static_cast<double>(kRequests) / static_cast<double>(s.workload.requests);
    s.workload.requests = kRequests;
    for (FaultEvent& e : s.faults) e.at_s *= f;
  }
  return s;
}

// How late this machine wakes a sleeping thread right now (median overshoot of a 200 µs
// sleep). A real request crosses two such hand-overs (dispatcher, then node), so the real
// clock's latency may exceed the model's by about twice this.
double wake_up_lag_us() {
  std::vector<double> lag;
  for (int i = 0; i < 41; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(std::chrono::microseconds(200));
    lag.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count() - 200);
  }
  std::nth_element(lag.begin(), lag.begin() + 20, lag.end());
  return lag[20];
}

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;  // instrumented threads are slow: latency says nothing there
#else
constexpr bool kSanitized = false;
#endif

bool deterministic_picks(const std::string& balancer) {
  return balancer == "round-robin" || balancer == "weighted-round-robin" || balancer == "ring-hash" ||
         balancer == "maglev" || balancer == "key-hash";
}

class ClocksAgree : public testing::TestWithParam<std::string> {};

TEST_P(ClocksAgree, OnPreset) {
  const Scenario s = shortened(std::filesystem::path(LOADLAB_PRESETS_DIR) / (GetParam() + ".json"));
  const double lag_before = wake_up_lag_us();
  Engine engine(s);
  engine.start();
  engine.wait();
  const RunReport real = engine.report();
  Simulator sim(s);
  const RunReport virt = sim.run_to_end();

  ASSERT_EQ(real.nodes.size(), virt.nodes.size());
  EXPECT_EQ(real.issued, virt.issued);
  const bool faults = !s.faults.empty();
  for (std::size_t i = 0; i < real.nodes.size(); ++i) {
    const NodeSummary &r = real.nodes[i], &v = virt.nodes[i];
    // With faults, which requests fall in the moment before health checking notices depends
    // on timing: a few requests either way.
    if (deterministic_picks(s.balancer) && !faults) {
      EXPECT_EQ(r.requests, v.requests) << r.name;
    } else {
      EXPECT_NEAR(r.share, v.share, 0.03) << r.name;
    }
    if (r.hits + r.misses > 0) {
      EXPECT_NEAR(r.hit_ratio, v.hit_ratio, 0.01) << r.name;
    }
  }
  EXPECT_NEAR(real.total.hit_ratio, virt.total.hit_ratio, 0.01);
  // Latency: within 10%, plus what the dispatch path costs on this machine at this moment.
  if (kSanitized) return;
  const double lag = std::max(lag_before, wake_up_lag_us());
  EXPECT_NEAR(real.total.mean_us, virt.total.mean_us, 0.10 * virt.total.mean_us + 2 * lag)
      << "real " << real.total.mean_us << " us, virtual " << virt.total.mean_us << " us, wake-up lag " << lag << " us";
}

INSTANTIATE_TEST_SUITE_P(Presets, ClocksAgree,
                         testing::Values("cache-affinity", "closed-loop-clients", "replication", "round-robin-equal",
                                         "slow-node", "weights-5-3-1", "zipf-small-cache"),
                         [](const auto& info) {
                           std::string name = info.param;
                           std::erase(name, '-');
                           return name;
                         });

}  // namespace
}  // namespace loadlab
