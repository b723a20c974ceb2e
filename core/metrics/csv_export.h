#pragma once
// CSV files of a run, for pandas and spreadsheets. The column names are a public interface:
// later versions add columns at the end and never rename these. An undefined value (a
// percentile of an interval with no request, a hit ratio with no access) is an empty cell.
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "metrics/run_report.h"
#include "metrics/snapshot.h"

namespace loadlab {

extern const char* const kSummaryColumns;
extern const char* const kTimeseriesColumns;

void write_summary_csv(std::ostream& out, const RunReport& report);
void write_timeseries_csv(std::ostream& out, const std::vector<Snapshot>& snapshots,
                          const std::vector<std::string>& node_names);
// Writes summary.csv and timeseries.csv into `dir` (created if missing). Throws
// std::runtime_error naming the file when it cannot be written.
void write_run_csv(const std::filesystem::path& dir, const RunReport& report, const std::vector<Snapshot>& snapshots,
                   const std::vector<std::string>& node_names);

}  // namespace loadlab
