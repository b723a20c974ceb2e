#include "sweep/warmup_finder.h"

#include <fmt/format.h>

#include <algorithm>

#include "sim/simulator.h"
#include "sweep/sweep_definition.h"

namespace loadlab {

WarmupSearch find_warmup(const Scenario& scenario, std::size_t pilots) {
  if (scenario.clock != Scenario::Clock::virtual_time)
    throw ScenarioError("--warmup",
                        "'auto' needs the virtual clock: it finds the truncation point in a first pass "
                        "of the run and measures an identical second pass, and a real-clock run cannot "
                        "be repeated (give --warmup SECONDS, or --clock virtual)");
  pilots = std::max<std::size_t>(pilots, 1);
  std::vector<IntervalSeries> runs(pilots);
  for (std::size_t k = 0; k < pilots; ++k) {
    Scenario pilot = scenario;
    pilot.warmup_s = 0;
    pilot.seed = replication_seed(scenario.seed, k);
    Simulator sim(pilot);
    sim.subscribe([&runs, k](const Snapshot& s) { runs[k].add(s); });
    sim.run_to_end();
  }
  WarmupSearch r;
  r.pilots = pilots;
  r.statistics = run_statistics(pilots == 1 ? runs[0] : IntervalSeries::average(runs));
  r.warmup_s = r.statistics.warmup_s;
  return r;
}

std::string describe_warmup(const WarmupSearch& search) {
  const RunStatistics& st = search.statistics;
  std::string text = fmt::format("warm-up (MSER-5{}): cut {} of {} intervals = {:g} s",
                                 search.pilots > 1 ? fmt::format(", {} pilot runs averaged", search.pilots) : "",
                                 st.cut_intervals, st.intervals, search.warmup_s);
  for (const SeriesStatistics& s : st.series) {
    if (!s.has_data) continue;
    text += fmt::format("; {} series {} intervals", to_string(s.metric), s.cut_intervals);
    if (s.mser.batches < kMserMinBatches)
      text += fmt::format(" (only {} batches of {}: too few to judge, lower --interval-ms or run longer)",
                          s.mser.batches, kMserBatch);
    else if (!s.mser.settled)
      text += " (NOT settled: the best cut is at the end of the first half; run longer)";
  }
  return text;
}

}  // namespace loadlab
