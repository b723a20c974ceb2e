#include "sweep/sweep_csv.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "base/input_file.h"

namespace loadlab {
namespace {

// A cell, quoted when it holds a comma or a quote (a parameter name never does; a value of a
// categorical parameter might).
std::string cell(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string quoted(1, '"');
  for (char c : text) {
    if (c == '"') quoted.push_back('"');
    quoted.push_back(c);
  }
  quoted.push_back('"');
  return quoted;
}

std::string leading_columns(const SweepDefinition& d) {
  std::string header = "point";
  for (const SweepParameter& p : d.parameters) header.append(",").append(cell(p.name));
  return header;
}

std::string leading_cells(const PointResult& r) {
  std::string row = std::to_string(r.point.index);
  for (const ParameterValue& v : r.point.values) row.append(",").append(cell(v.text));
  return row;
}

void write_file(const std::string& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary);
  out << text;
  out.close();
  if (!out) throw std::runtime_error(fmt::format("cannot write '{}'", file));
}

}  // namespace

std::string format_figure(double v) {
  if (std::isnan(v)) return "";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return fmt::format("{:.9g}", v);
}

std::string sweep_csv_header(const SweepDefinition& d) {
  std::string header = leading_columns(d) + ",seeds,warmup_s";
  if (d.precision) header += ",converged,not_converged";  // issue 20: only with --precision
  for (const MetricInfo& m : kRunMetrics) header += fmt::format(",{0},{0}_ci95", m.name);
  return header + "\n";
}

std::string sweep_csv_row(const SweepDefinition& d, const PointResult& r) {
  std::string row = leading_cells(r) + fmt::format(",{},{}", r.runs.size(), format_figure(r.warmup_s));
  if (d.precision) {
    std::string names;
    for (const std::string& n : r.not_converged) names += (names.empty() ? "" : ";") + n;
    row += fmt::format(",{},{}", r.converged ? 1 : 0, names);
  }
  for (const ReplicationSummary& s : r.summary)
    row.append(",").append(format_figure(s.mean)).append(",").append(format_figure(s.ci95));
  return row + "\n";
}

std::string sweep_runs_csv_header(const SweepDefinition& d) {
  std::string header = leading_columns(d) + ",replication,seed";
  for (const MetricInfo& m : kRunMetrics) header += fmt::format(",{}", m.name);
  return header + "\n";
}

std::string sweep_runs_csv_rows(const SweepDefinition&, const PointResult& r) {
  std::string rows;
  for (std::size_t k = 0; k < r.runs.size(); ++k) {
    rows += leading_cells(r) + fmt::format(",{},{}", k, r.seeds[k]);
    for (double v : r.runs[k]) rows.append(",").append(format_figure(v));
    rows += "\n";
  }
  return rows;
}

void write_sweep_csv(const std::string& file, const SweepDefinition& d, const std::vector<PointResult>& points) {
  std::string text = sweep_csv_header(d);
  for (const PointResult& p : points) text += sweep_csv_row(d, p);
  write_file(file, text);
}

void write_sweep_runs_csv(const std::string& file, const SweepDefinition& d, const std::vector<PointResult>& points) {
  std::string text = sweep_runs_csv_header(d);
  for (const PointResult& p : points) text += sweep_runs_csv_rows(d, p);
  write_file(file, text);
}

void write_sweep_json(const std::string& file, const SweepDefinition& d, const std::vector<PointResult>& points) {
  using nlohmann::ordered_json;
  auto number = [](double v) { return std::isfinite(v) ? ordered_json(v) : ordered_json(nullptr); };
  ordered_json j;
  j["parameters"] = ordered_json::array();
  for (const SweepParameter& p : d.parameters) j["parameters"].push_back({{"name", p.name}, {"spec", p.spec}});
  j["seeds"] = d.seeds;
  j["warmup_s"] = d.warmup_auto ? ordered_json("auto") : ordered_json(d.warmup_s);
  j["points"] = ordered_json::array();
  for (const PointResult& r : points) {
    ordered_json point;
    point["point"] = r.point.index;
    ordered_json values = ordered_json::object();
    for (std::size_t i = 0; i < d.parameters.size(); ++i) {
      const ParameterValue& v = r.point.values[i];
      const bool numeric = !v.text.empty() && fmt::format("{:.10g}", v.number) == v.text;
      values[d.parameters[i].name] = numeric ? ordered_json(v.number) : ordered_json(v.text);
    }
    point["values"] = values;
    point["seeds"] = r.seeds;
    if (d.warmup_auto) point["warmup_s"] = r.warmup_s;
    ordered_json metrics = ordered_json::object();
    for (std::size_t m = 0; m < kRunMetricCount; ++m)
      metrics[std::string(kRunMetrics[m].name)] = {
          {"mean", number(r.summary[m].mean)}, {"ci95", number(r.summary[m].ci95)}, {"n", r.summary[m].n}};
    point["metrics"] = metrics;
    j["points"].push_back(point);
  }
  write_file(file, j.dump(2) + "\n");
}

std::vector<SweepCsvMeans> read_sweep_csv_means(const std::string& csv_text) {
  // The metric columns are the last 2 × kRunMetricCount cells of every line, and hold only
  // numbers: read from the right, the parameter cells (which may be quoted) never matter.
  auto last_cells = [](const std::string& line, std::size_t n) {
    std::vector<std::string> cells;
    std::size_t end = line.size();
    while (cells.size() < n) {
      const std::size_t comma = line.rfind(',', end == 0 ? 0 : end - 1);
      if (comma == std::string::npos || end == 0) break;
      cells.push_back(line.substr(comma + 1, end - comma - 1));
      end = comma;
    }
    std::reverse(cells.begin(), cells.end());
    return std::pair{cells, line.substr(0, end)};
  };
  constexpr std::size_t kCells = 2 * kRunMetricCount;
  std::istringstream in(csv_text);
  std::string line;
  if (!std::getline(in, line)) throw std::runtime_error("the sweep CSV is empty");
  const auto [names, head] = last_cells(line, kCells);
  for (std::size_t m = 0; m < kRunMetricCount; ++m)
    if (names.size() != kCells || names[2 * m] != kRunMetrics[m].name)
      throw std::runtime_error(
          fmt::format("the sweep CSV's columns are not this version's metrics (expected '{}')", kRunMetrics[m].name));
  std::vector<SweepCsvMeans> rows;
  for (std::size_t number = 2; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    const auto [cells, leading] = last_cells(line, kCells);
    SweepCsvMeans row;
    const std::string point = leading.substr(0, leading.find(','));
    const auto [ptr, ec] = std::from_chars(point.data(), point.data() + point.size(), row.point);
    if (cells.size() != kCells || ec != std::errc() || ptr != point.data() + point.size())
      throw std::runtime_error(fmt::format("sweep CSV line {}: not a row of the sweep", number));
    for (std::size_t m = 0; m < kRunMetricCount; ++m) {
      const std::string& text = cells[2 * m];
      if (text.empty()) {
        row.means[m] = std::nan("");
        continue;
      }
      char* end = nullptr;
      row.means[m] = std::strtod(text.c_str(), &end);
      if (end != text.c_str() + text.size())
        throw std::runtime_error(
            fmt::format("sweep CSV line {}: {} '{}' is not a number", number, kRunMetrics[m].name, text));
    }
    rows.push_back(row);
  }
  return rows;
}

std::string merge_sweep_csvs(const std::vector<std::string>& files) {
  if (files.empty()) throw std::runtime_error("no files to merge");
  std::string header;
  bool runs_file = false;  // --csv-runs: a row per point and seed, so a point has several rows
  std::map<std::size_t, std::pair<std::size_t, std::string>> rows;  // point → (file, its lines)
  for (std::size_t f = 0; f < files.size(); ++f) {
    const std::string& file = files[f];
    if (const auto problem = unreadable_file_problem(file)) throw std::runtime_error(*problem);
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error(fmt::format("cannot read '{}'", file));
    std::string line;
    if (!std::getline(in, line)) throw std::runtime_error(fmt::format("'{}' is empty", file));
    if (header.empty()) {
      header = line;
      if (!header.starts_with("point,"))
        throw std::runtime_error(fmt::format("'{}' is not a sweep CSV (its first column is not 'point')", file));
      runs_file = header.find(",replication,seed,") != std::string::npos;
    } else if (line != header) {
      throw std::runtime_error(
          fmt::format("'{}' has other columns than '{}': not a shard of the same sweep", file, files.front()));
    }
    for (std::size_t number = 2; std::getline(in, line); ++number) {
      if (line.empty()) continue;
      std::size_t point = 0;
      const std::size_t comma = line.find(',');
      const auto [ptr, ec] = std::from_chars(line.data(), line.data() + std::min(comma, line.size()), point);
      if (ec != std::errc() || ptr != line.data() + std::min(comma, line.size()))
        throw std::runtime_error(
            fmt::format("'{}' line {}: '{}' is not a point number", file, number, line.substr(0, comma)));
      auto [at, added] = rows.try_emplace(point, f, "");
      if (!added && (!runs_file || at->second.first != f))
        throw std::runtime_error(fmt::format("'{}' line {}: point {} is already in {}", file, number, point,
                                             at->second.first == f ? "this file" : "another file"));
      at->second.second += line + "\n";
    }
  }
  // Shards interleave (--shard I/N takes every N-th point), so a shard that never finished
  // leaves holes below the highest point. Merging anyway would give a curve with points
  // silently missing. (A lost shard whose points all lie above the highest one is not
  // detectable from the files alone.)
  std::vector<std::size_t> missing;
  std::size_t expected = 0;
  for (const auto& [point, line] : rows) {
    for (; expected < point; ++expected) missing.push_back(expected);
    expected = point + 1;
  }
  if (!missing.empty()) {
    std::string list;
    for (std::size_t i = 0; i < missing.size() && i < 10; ++i) list += (i ? ", " : "") + std::to_string(missing[i]);
    if (missing.size() > 10) list += fmt::format(", ... ({} in all)", missing.size());
    throw std::runtime_error(
        fmt::format("points {} are missing: is a shard not finished or not given? (merge needs every shard)", list));
  }
  std::string text = header + "\n";
  for (const auto& [point, lines] : rows) text += lines.second;
  return text;
}

std::string merge_sweep_jsons(const std::vector<std::string>& files) {
  using nlohmann::ordered_json;
  if (files.empty()) throw std::runtime_error("no files to merge");
  ordered_json merged;
  std::map<std::size_t, ordered_json> points;
  for (const std::string& file : files) {
    if (const auto problem = unreadable_file_problem(file)) throw std::runtime_error(*problem);
    std::ifstream in(file, std::ios::binary);
    ordered_json j;
    try {
      j = ordered_json::parse(in);
      if (!j.is_object() || !j.contains("points") || !j["points"].is_array()) throw std::runtime_error("no points");
    } catch (const std::exception& e) {
      throw std::runtime_error(fmt::format("'{}' is not a sweep JSON file: {}", file, e.what()));
    }
    ordered_json shard_points = std::move(j["points"]);
    j.erase("points");
    if (merged.is_null())
      merged = j;
    else if (j != merged)
      throw std::runtime_error(fmt::format(
          "'{}' has other parameters or seeds than '{}': not a shard of the same sweep", file, files.front()));
    for (ordered_json& p : shard_points) {
      if (!p.contains("point") || !p["point"].is_number_unsigned())
        throw std::runtime_error(fmt::format("'{}': a point without a point number", file));
      const auto k = p["point"].get<std::size_t>();
      if (!points.emplace(k, std::move(p)).second)
        throw std::runtime_error(fmt::format("'{}': point {} is already in another file", file, k));
    }
  }
  std::size_t expected = 0;
  for (const auto& [k, p] : points) {
    if (k != expected)
      throw std::runtime_error(fmt::format(
          "point {} is missing: is a shard not finished or not given? (merge needs every shard)", expected));
    ++expected;
  }
  merged["points"] = ordered_json::array();
  for (auto& [k, p] : points) merged["points"].push_back(std::move(p));
  return merged.dump(2) + "\n";
}

}  // namespace loadlab
