#pragma once
// A sweep's results as a table of named columns, from memory (the runner's points) or read
// back from the tidy CSV a sweep wrote (sweep_csv.h), so the window's What-if chart and
// `loadlab-cli plot` draw from one shape whichever way the figures came. Columns are found by
// name, not position: a CSV with columns this version does not know still reads, and a
// chart asks only for the ones it draws.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "sweep/sweep_runner.h"

namespace loadlab {

struct SweepTable {
  struct Row {
    std::size_t point = 0;
    std::vector<std::string> values;  // one per parameter, as the CSV writes them
    std::vector<double> figures;      // one per column; NaN for an empty cell
  };
  std::vector<std::string> parameters;  // the varied parameters, in the sweep's order
  std::vector<std::string> columns;     // every numeric column: seeds, warmup_s, each metric and its _ci95
  std::vector<Row> rows;                // in point order

  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  std::size_t parameter(std::string_view name) const;  // index, or npos
  std::size_t column(std::string_view name) const;     // index, or npos
};

// The runner's points (in any order; the table keeps point order).
SweepTable sweep_table(const SweepDefinition& definition, const std::vector<PointResult>& points);

// A tidy sweep CSV's text: the columns between `point` and `seeds` are the parameters, every
// other one is a number (empty = none). Quoted cells (a categorical value with a comma) are
// read as the writer quotes them. Throws std::runtime_error naming `origin` and the line for
// a file that is not a sweep CSV (no `point`/`seeds` columns), a row with another number of
// cells than the header, or a cell that is not a number.
SweepTable read_sweep_table(const std::string& csv_text, const std::string& origin);

}  // namespace loadlab
