#pragma once
// The sweep's files. The tidy CSV has one row per point:
//   point, <one column per varied parameter>, seeds, warmup_s, then for every metric of
//   run_metrics.h its mean over the seeds and the half-width of its 95% interval:
//   throughput_rps, throughput_rps_ci95, share_error, share_error_ci95, ...
// The long CSV (--csv-runs) has one row per point and seed with every metric:
//   point, <parameters>, replication, seed, throughput_rps, share_error, ...
// An empty cell is a figure that does not exist (no cache, no closed form, one seed's
// interval). Numbers are written with 9 significant digits, so equal runs give equal bytes.
#include <iosfwd>
#include <string>
#include <vector>

#include "sweep/sweep_runner.h"

namespace loadlab {

std::string sweep_csv_header(const SweepDefinition& definition);
std::string sweep_csv_row(const SweepDefinition& definition, const PointResult& point);
std::string sweep_runs_csv_header(const SweepDefinition& definition);
std::string sweep_runs_csv_rows(const SweepDefinition& definition, const PointResult& point);

// Whole files; throws std::runtime_error naming the file when it cannot be written.
void write_sweep_csv(const std::string& file, const SweepDefinition& definition,
                     const std::vector<PointResult>& points);
void write_sweep_runs_csv(const std::string& file, const SweepDefinition& definition,
                          const std::vector<PointResult>& points);
// The same figures for scripts: {"parameters": [...], "seeds": n, "warmup_s": w,
// "points": [{"point": k, "values": {...}, "metrics": {"p99_us": {"mean": m, "ci95": h, "n": n}, ...}}]}
void write_sweep_json(const std::string& file, const SweepDefinition& definition,
                      const std::vector<PointResult>& points);

// Joins shard CSVs (all with the same header) into one, rows in point order: the bytes of
// the unsharded sweep. Works on the tidy CSV and on the long one (--csv-runs, several rows per
// point, told apart by its replication and seed columns). Throws std::runtime_error naming
// the file for a missing file, a header that differs from the first file's, a row that is not
// a point, or a point given twice (in two files; or twice in one, for the tidy CSV).
std::string merge_sweep_csvs(const std::vector<std::string>& files);
// The same for shard JSON files (--json): their points joined in point order, the bytes of
// the unsharded sweep's file. Throws std::runtime_error for a file that is not a sweep JSON,
// other parameters or seeds than the first file's, or a point given twice or missing.
std::string merge_sweep_jsons(const std::vector<std::string>& files);

// Each row's point number and metric means, read back from a sweep CSV's text (what
// merge_sweep_csvs returns), for checking --assert on a sweep that ran elsewhere. The means
// are the CSV's 9 significant digits, so a threshold within a part in 10^9 of a mean can be
// judged differently than on the in-memory figure. Throws std::runtime_error for a header
// whose metric columns are not this version's or a cell that is not a number.
struct SweepCsvMeans {
  std::size_t point = 0;
  RunMetricValues means{};
};
std::vector<SweepCsvMeans> read_sweep_csv_means(const std::string& csv_text);

// A double as the sweep files write it: 9 significant digits, empty for NaN.
std::string format_figure(double v);

}  // namespace loadlab
