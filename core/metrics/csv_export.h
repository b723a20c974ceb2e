#pragma once
// CSV files of a run, for pandas and spreadsheets. The column names are a public interface:
// later versions add columns at the end and never rename these. An undefined value (a
// percentile of an interval with no request, a hit ratio with no access) is an empty cell.
#include <filesystem>
#include <limits>
#include <ostream>
#include <string>
#include <vector>

#include "metrics/run_report.h"
#include "metrics/snapshot.h"

namespace loadlab {

extern const char* const kSummaryColumns;
extern const char* const kTimeseriesColumns;

// What `--precision` adds to the total row (issue 20): how many replications, which requested
// figures did not reach the precision, and the 95% half-widths (NaN: no interval). The figures
// of the total row are then the replications' means; the node rows are replication 0's.
// Every row also says the warm-up that was left out (warmup_s), with or without it.
struct SummaryIntervals {
  std::size_t replications = 0;
  std::vector<std::string> not_converged;  // metric names
  double hit_ratio_ci95 = std::numeric_limits<double>::quiet_NaN();
  double mean_us_ci95 = std::numeric_limits<double>::quiet_NaN();
  double p50_us_ci95 = std::numeric_limits<double>::quiet_NaN();
  double p95_us_ci95 = std::numeric_limits<double>::quiet_NaN();
  double p99_us_ci95 = std::numeric_limits<double>::quiet_NaN();
};

void write_summary_csv(std::ostream& out, const RunReport& report, const SummaryIntervals* intervals = nullptr);
void write_timeseries_csv(std::ostream& out, const std::vector<Snapshot>& snapshots,
                          const std::vector<std::string>& node_names);
// Writes summary.csv and timeseries.csv into `dir` (created if missing). Throws
// std::runtime_error naming the file when it cannot be written.
void write_run_csv(const std::filesystem::path& dir, const RunReport& report, const std::vector<Snapshot>& snapshots,
                   const std::vector<std::string>& node_names, const SummaryIntervals* intervals = nullptr);

}  // namespace loadlab
