#include "sweep/sweep_table.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <sstream>
#include <stdexcept>

namespace loadlab {
namespace {

// One CSV line's cells; a quoted cell may hold commas and doubled quotes. False for a quote
// that does not close (the line is not a CSV row).
bool split_cells(const std::string& line, std::vector<std::string>& cells) {
  cells.clear();
  std::string cell;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c != '"') {
        cell.push_back(c);
      } else if (i + 1 < line.size() && line[i + 1] == '"') {
        cell.push_back('"');
        ++i;
      } else {
        quoted = false;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      cells.push_back(std::move(cell));
      cell.clear();
    } else {
      cell.push_back(c);
    }
  }
  cells.push_back(std::move(cell));
  return !quoted;
}

}  // namespace

std::size_t SweepTable::parameter(std::string_view name) const {
  const auto it = std::find(parameters.begin(), parameters.end(), name);
  return it == parameters.end() ? npos : static_cast<std::size_t>(it - parameters.begin());
}

std::size_t SweepTable::column(std::string_view name) const {
  const auto it = std::find(columns.begin(), columns.end(), name);
  return it == columns.end() ? npos : static_cast<std::size_t>(it - columns.begin());
}

SweepTable sweep_table(const SweepDefinition& definition, const std::vector<PointResult>& points) {
  SweepTable table;
  for (const SweepParameter& p : definition.parameters) table.parameters.push_back(p.name);
  table.columns = {"seeds", "warmup_s"};
  for (const MetricInfo& m : kRunMetrics) {
    table.columns.emplace_back(m.name);
    table.columns.push_back(std::string(m.name) + "_ci95");
  }
  for (const PointResult& r : points) {
    SweepTable::Row row;
    row.point = r.point.index;
    for (const ParameterValue& v : r.point.values) row.values.push_back(v.text);
    row.figures = {static_cast<double>(r.runs.size()), definition.warmup_s};
    for (const ReplicationSummary& s : r.summary) {
      row.figures.push_back(s.mean);
      row.figures.push_back(s.ci95);
    }
    table.rows.push_back(std::move(row));
  }
  std::sort(table.rows.begin(), table.rows.end(),
            [](const SweepTable::Row& a, const SweepTable::Row& b) { return a.point < b.point; });
  return table;
}

SweepTable read_sweep_table(const std::string& csv_text, const std::string& origin) {
  std::istringstream in(csv_text);
  std::string line;
  std::vector<std::string> header;
  const bool read = static_cast<bool>(std::getline(in, line));
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (!read || line.empty() || !split_cells(line, header))
    throw std::runtime_error(fmt::format("{}: empty, not a sweep CSV", origin));
  const auto seeds = std::find(header.begin(), header.end(), "seeds");
  if (header.empty() || header.front() != "point" || seeds == header.end())
    throw std::runtime_error(fmt::format(
        "{}: not a sweep's tidy CSV (its header must start with 'point' and have a 'seeds' column)", origin));
  SweepTable table;
  const std::size_t first_figure = static_cast<std::size_t>(seeds - header.begin());
  table.parameters.assign(header.begin() + 1, seeds);
  table.columns.assign(seeds, header.end());

  std::vector<std::string> cells;
  for (std::size_t number = 2; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    if (!split_cells(line, cells) || cells.size() != header.size())
      throw std::runtime_error(
          fmt::format("{} line {}: {} cells where the header has {}", origin, number, cells.size(), header.size()));
    SweepTable::Row row;
    char* end = nullptr;
    row.point = std::strtoull(cells[0].c_str(), &end, 10);
    if (cells[0].empty() || *end != '\0')
      throw std::runtime_error(fmt::format("{} line {}: point '{}' is not a number", origin, number, cells[0]));
    row.values.assign(cells.begin() + 1, cells.begin() + static_cast<std::ptrdiff_t>(first_figure));
    for (std::size_t c = first_figure; c < cells.size(); ++c) {
      const std::string& text = cells[c];
      double v = std::nan("");
      if (!text.empty()) {
        v = std::strtod(text.c_str(), &end);
        if (*end != '\0')
          throw std::runtime_error(fmt::format("{} line {}: {} '{}' is not a number", origin, number, header[c], text));
      }
      row.figures.push_back(v);
    }
    table.rows.push_back(std::move(row));
  }
  std::stable_sort(table.rows.begin(), table.rows.end(),
                   [](const SweepTable::Row& a, const SweepTable::Row& b) { return a.point < b.point; });
  return table;
}

}  // namespace loadlab
