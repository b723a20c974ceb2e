#pragma once
// What every test of a run needs, whichever clock drives it: a thread-safe snapshot
// recorder, a run-to-the-end helper, and the accounting invariants (every request issued is
// completed, failed or in flight — never lost).
#include <gtest/gtest.h>

#include <functional>
#include <mutex>
#include <vector>

#include "run/run.h"
#include "sim/simulator.h"

namespace loadlab::test {

// Collects every snapshot a run publishes (on the run's own thread).
struct SnapshotRecorder {
  std::mutex mutex;
  std::vector<Snapshot> snapshots;
  void attach(Run& run) {
    run.subscribe([this](const Snapshot& s) {
      std::lock_guard lock(mutex);
      snapshots.push_back(s);
    });
  }
};

// Starts the run, calls `during` while it goes, waits for the end and returns the report.
inline RunReport run_to_end(Run& run, SnapshotRecorder& recorder, const std::function<void(Run&)>& during = {}) {
  recorder.attach(run);
  run.start();
  if (during) during(run);
  run.wait();
  return run.report();
}

// The final report: nothing in flight, and every request issued accounted for once.
inline void expect_books_balance(const RunReport& r) {
  EXPECT_EQ(r.in_flight, 0u);
  EXPECT_EQ(r.issued, r.completed + r.failed.total());
  std::uint64_t node_total = 0;
  for (const auto& n : r.nodes) node_total += n.requests + n.failed;
  EXPECT_EQ(node_total + r.failed.no_node + r.failed.concurrency_limited, r.issued);
}

// Every snapshot: issued = completed + failed + in flight, per node and for the cluster
// (retries move a request between nodes and are counted once); the last one is final.
inline void expect_snapshots_balance(const std::vector<Snapshot>& snapshots) {
  ASSERT_FALSE(snapshots.empty());
  EXPECT_TRUE(snapshots.back().final);
  for (const Snapshot& s : snapshots) {
    ASSERT_EQ(s.issued, s.completed + s.failed.total() + s.in_flight);
    // Per node, reads: served, failed or passed on, never more than arrived (writes are
    // decided by their quorum, counted apart).
    for (const NodeSample& n : s.nodes)
      ASSERT_LE(n.completed - n.writes_completed + n.failed - n.writes_failed + n.retried_out, n.issued + n.retried_in);
  }
  EXPECT_EQ(snapshots.back().in_flight, 0u);
}

// Runs `s` to the end on the virtual clock, keeping every snapshot, and checks the books
// of each snapshot and of the report.
inline RunReport simulate_checked(const Scenario& s, std::vector<Snapshot>& snapshots) {
  Simulator sim(s);
  sim.subscribe([&snapshots](const Snapshot& snap) { snapshots.push_back(snap); });
  const RunReport r = sim.run_to_end();
  expect_snapshots_balance(snapshots);
  expect_books_balance(r);
  return r;
}

}  // namespace loadlab::test
