#include "cachesim/trace.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <fstream>
#include <unordered_map>

#include "base/input_file.h"
#include "caches/key_index.h"

namespace loadlab {

namespace {

constexpr std::size_t kRecordBytes = 24;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return s;
}

std::vector<std::string_view> split_csv(std::string_view line) {
  std::vector<std::string_view> cells;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= line.size(); ++i)
    if (i == line.size() || line[i] == ',') {
      std::string_view cell = trim(line.substr(start, i - start));
      if (cell.size() >= 2 && cell.front() == '"' && cell.back() == '"') cell = cell.substr(1, cell.size() - 2);
      cells.push_back(cell);
      start = i + 1;
    }
  return cells;
}

template <class T>
void put(std::string& out, T v) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &v, sizeof(T));  // the machines we support are little-endian
  out.append(bytes, sizeof(T));
}

}  // namespace

std::uint64_t Trace::distinct_keys() const {
  KeyIndex seen;
  seen.reserve(std::min<std::size_t>(keys.size(), 1 << 20));
  std::uint64_t n = 0;
  for (std::uint64_t k : keys)
    if (seen.find(k) == KeyIndex::kAbsent) seen.insert(k, 0), ++n;
  return n;
}

std::uint64_t key_id(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error == std::errc{} && end == text.data() + text.size()) return value;
  std::uint64_t h = 0xCBF29CE484222325ULL;
  for (unsigned char c : text) h = (h ^ c) * 0x100000001B3ULL;
  return h;
}

TraceFormat parse_trace_format(const std::string& name) {
  if (name == "auto") return TraceFormat::automatic;
  if (name == "text") return TraceFormat::text;
  if (name == "csv") return TraceFormat::csv;
  if (name == "oracleGeneral" || name == "oracle") return TraceFormat::oracle_general;
  throw TraceError(fmt::format("unknown trace format '{}' (known: auto, text, csv, oracleGeneral)", name));
}

Trace read_trace(const std::filesystem::path& file, const TraceReadOptions& options) {
  TraceFormat format = options.format;
  const std::string ext = file.extension().string();
  if (format == TraceFormat::automatic)
    format = ext == ".csv"                                ? TraceFormat::csv
             : (ext == ".oracleGeneral" || ext == ".bin") ? TraceFormat::oracle_general
                                                          : TraceFormat::text;
  if (const auto problem = unreadable_file_problem(file)) throw TraceError("trace " + *problem);
  std::ifstream in(file, std::ios::binary);
  if (!in) throw TraceError(fmt::format("cannot open trace '{}'", file.string()));
  return parse_trace(in, format, options, file.string());
}

Trace parse_trace(std::istream& in, TraceFormat format, const TraceReadOptions& options, const std::string& name) {
  Trace t;
  if (format == TraceFormat::oracle_general) {
    in.seekg(0, std::ios::end);
    const auto bytes = static_cast<std::uint64_t>(in.tellg());
    in.seekg(0);
    if (bytes % kRecordBytes != 0)
      throw TraceError(
          fmt::format("{}: truncated oracleGeneral trace: {} bytes is not a whole number of 24-byte "
                      "records (record {} is cut short)",
                      name, bytes, bytes / kRecordBytes + 1));
    const std::uint64_t records = bytes / kRecordBytes;
    t.keys.reserve(records);
    t.sizes.reserve(records);
    std::vector<char> buffer(kRecordBytes * 65536);
    for (std::uint64_t done = 0; done < records;) {
      const std::uint64_t batch = std::min<std::uint64_t>(65536, records - done);
      in.read(buffer.data(), static_cast<std::streamsize>(batch * kRecordBytes));
      if (!in) throw TraceError(fmt::format("{}: read error at record {}", name, done + 1));
      for (std::uint64_t r = 0; r < batch; ++r) {
        const char* p = buffer.data() + r * kRecordBytes;
        std::uint64_t id;
        std::uint32_t size;
        std::memcpy(&id, p + 4, 8);
        std::memcpy(&size, p + 12, 4);
        t.keys.push_back(id);
        t.sizes.push_back(size);
      }
      done += batch;
    }
    return t;
  }

  std::string line;
  std::uint64_t line_no = 0;
  if (format == TraceFormat::text || format == TraceFormat::automatic) {
    while (std::getline(in, line)) {
      ++line_no;
      const std::string_view key = trim(line);
      if (key.empty() || key.front() == '#') continue;
      if (key.find_first_of(" \t,") != std::string_view::npos)
        throw TraceError(fmt::format("{}:{}: expected one key per line (got '{}'); for CSV use --format csv", name,
                                     line_no, std::string(key.substr(0, 40))));
      t.keys.push_back(key_id(key));
    }
    return t;
  }

  // CSV with a header.
  if (!std::getline(in, line)) throw TraceError(fmt::format("{}: empty CSV trace (no header line)", name));
  line_no = 1;
  const auto header = split_csv(line);
  auto column = [&](const std::string& wanted, std::initializer_list<const char*> defaults,
                    bool required) -> std::optional<std::size_t> {
    if (!wanted.empty()) {
      for (std::size_t i = 0; i < header.size(); ++i)
        if (header[i] == wanted) return i;
      std::string known;
      for (auto h : header) known += (known.empty() ? "" : ", ") + std::string(h);
      throw TraceError(fmt::format("{}: no column named '{}' (columns: {})", name, wanted, known));
    }
    for (const char* d : defaults)
      for (std::size_t i = 0; i < header.size(); ++i)
        if (header[i] == d) return i;
    if (required) return 0;
    return std::nullopt;
  };
  const std::size_t key_col = *column(options.key_column, {"key", "id", "obj_id"}, true);
  const auto size_col = column(options.size_column, {"size", "obj_size"}, false);
  while (std::getline(in, line)) {
    ++line_no;
    if (trim(line).empty()) continue;
    const auto cells = split_csv(line);
    if (cells.size() <= key_col || (size_col && cells.size() <= *size_col))
      throw TraceError(fmt::format("{}:{}: expected {} columns (got {})", name, line_no, header.size(), cells.size()));
    if (cells[key_col].empty()) throw TraceError(fmt::format("{}:{}: empty key", name, line_no));
    t.keys.push_back(key_id(cells[key_col]));
    if (size_col) {
      std::uint32_t size = 0;
      const std::string_view cell = cells[*size_col];
      const auto [end, error] = std::from_chars(cell.data(), cell.data() + cell.size(), size);
      if (error != std::errc{} || end != cell.data() + cell.size())
        throw TraceError(fmt::format("{}:{}: size '{}' is not a whole number", name, line_no, std::string(cell)));
      t.sizes.push_back(size);
    }
  }
  return t;
}

std::vector<std::uint64_t> next_use(const std::vector<std::uint64_t>& keys) {
  std::vector<std::uint64_t> next(keys.size(), kNever);
  std::unordered_map<std::uint64_t, std::uint64_t> last_seen;
  last_seen.reserve(keys.size() / 4 + 16);
  for (std::size_t i = keys.size(); i-- > 0;) {
    auto [it, inserted] = last_seen.try_emplace(keys[i], i);
    if (!inserted) {
      next[i] = it->second;
      it->second = i;
    }
  }
  return next;
}

void write_trace(const std::filesystem::path& file, const Trace& trace, TraceFormat format) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error(fmt::format("cannot write '{}'", file.string()));
  const bool sized = !trace.sizes.empty();
  std::string buffer;
  if (format == TraceFormat::oracle_general) {
    const auto next = next_use(trace.keys);
    for (std::size_t i = 0; i < trace.keys.size(); ++i) {
      put(buffer, static_cast<std::uint32_t>(i));
      put(buffer, trace.keys[i]);
      put(buffer, sized ? trace.sizes[i] : std::uint32_t{1});
      put(buffer, next[i] == kNever ? std::int64_t{-1} : static_cast<std::int64_t>(next[i]));
      if (buffer.size() > (1 << 20))
        out.write(buffer.data(), static_cast<std::streamsize>(buffer.size())), buffer.clear();
    }
  } else if (format == TraceFormat::text) {
    for (std::uint64_t k : trace.keys) {
      buffer += fmt::format("{}\n", k);
      if (buffer.size() > (1 << 20))
        out.write(buffer.data(), static_cast<std::streamsize>(buffer.size())), buffer.clear();
    }
  } else {
    buffer = sized ? "key,size\n" : "key\n";
    for (std::size_t i = 0; i < trace.keys.size(); ++i) {
      buffer += sized ? fmt::format("{},{}\n", trace.keys[i], trace.sizes[i]) : fmt::format("{}\n", trace.keys[i]);
      if (buffer.size() > (1 << 20))
        out.write(buffer.data(), static_cast<std::streamsize>(buffer.size())), buffer.clear();
    }
  }
  out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
  out.flush();
  if (!out) throw std::runtime_error(fmt::format("error while writing '{}'", file.string()));
}

}  // namespace loadlab
