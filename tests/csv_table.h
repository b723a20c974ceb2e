#pragma once
// Reads a CSV file written by LoadLab back into rows of named cells, as pandas would.
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace loadlab::test {

struct CsvTable {
  std::vector<std::string> columns;
  std::vector<std::map<std::string, std::string>> rows;
};

inline std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> cells(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"')
        cells.back() += '"', ++i;
      else if (c == '"')
        quoted = false;
      else
        cells.back() += c;
    } else if (c == '"')
      quoted = true;
    else if (c == ',')
      cells.emplace_back();
    else
      cells.back() += c;
  }
  return cells;
}

inline CsvTable read_csv(const std::string& path) {
  CsvTable t;
  std::ifstream in(path);
  std::string line;
  if (!std::getline(in, line)) return t;
  t.columns = split_csv_line(line);
  while (std::getline(in, line)) {
    const auto cells = split_csv_line(line);
    std::map<std::string, std::string> row;
    for (std::size_t i = 0; i < cells.size() && i < t.columns.size(); ++i) row[t.columns[i]] = cells[i];
    // emplace, not operator[] = "1": g++ 12 warns falsely (-Wrestrict) on the assignment
    if (cells.size() != t.columns.size()) row.emplace("__width_mismatch", std::string(1, '1'));
    t.rows.push_back(std::move(row));
  }
  return t;
}

}  // namespace loadlab::test
