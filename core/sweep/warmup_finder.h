#pragma once
// `--warmup auto` on the virtual clock: a first pass of the run, its interval series read by
// MSER-5 (stats/run_statistics.h), and the truncation point as a warm-up in seconds. The
// virtual clock repeats a run exactly (same scenario, same seed: same events), so the caller
// then runs the scenario again with warmup_s set to it, and the counters are read at that
// point and subtracted from every figure, as with `--warmup SECONDS`. The real clock cannot
// repeat a run, so it has no automatic warm-up.
#include "scenario/scenario.h"
#include "stats/run_statistics.h"

namespace loadlab {

struct WarmupSearch {
  double warmup_s = 0;       // what to set as the scenario's warmup_s
  std::size_t pilots = 1;    // runs whose series were averaged
  RunStatistics statistics;  // of the (averaged) first pass: cut intervals, settled, per series
};

// `pilots` first passes with the seeds of replications 0, 1, ... (sweep_definition.h), their
// series averaged interval by interval before MSER-5 reads them: one run near saturation
// fluctuates more than its ramp (at ρ = 0.95 an M/M/1's excursions last seconds), and MSER
// then cuts an excursion instead; the average of a few keeps the ramp and loses the noise.
// `pilots` = 1 is the run itself (seed unchanged). Throws ScenarioError for a real-clock
// scenario (and what validate() throws).
// `--warmup auto` uses kWarmupPilots everywhere: on `run` (the run is the first of them), on
// each sweep point and before --precision's replications (the first ten replications' seeds).
inline constexpr std::size_t kWarmupPilots = 10;
WarmupSearch find_warmup(const Scenario& scenario, std::size_t pilots = kWarmupPilots);

// "MSER-5 cut 37 of 400 intervals (3.7 s); ..." for stderr/stdout, with a warning when a
// series did not settle or the run has too few intervals.
std::string describe_warmup(const WarmupSearch& search);

}  // namespace loadlab
