#include "cachesim/trace_reader.h"

#include <fmt/format.h>

#include <charconv>
#include <cstring>
#include <fstream>
#include <limits>

#include "base/input_file.h"
#include "cachesim/zstd_input.h"

namespace loadlab {

namespace {

constexpr std::size_t kRecordBytes = 24;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return s;
}

// Cells of one CSV line, into `cells` (reused: no allocation per line once grown).
void split_csv(std::string_view line, std::vector<std::string_view>& cells) {
  cells.clear();
  std::size_t start = 0;
  for (std::size_t i = 0; i <= line.size(); ++i)
    if (i == line.size() || line[i] == ',') {
      std::string_view cell = trim(line.substr(start, i - start));
      if (cell.size() >= 2 && cell.front() == '"' && cell.back() == '"') cell = cell.substr(1, cell.size() - 2);
      cells.push_back(cell);
      start = i + 1;
    }
}

}  // namespace

TraceReader::TraceReader(std::istream& in, TraceFormat format, const TraceReadOptions& options, std::string name)
    : in_(in),
      format_(format == TraceFormat::automatic ? TraceFormat::text : format),
      options_(options),
      name_(std::move(name)) {
  read_header();
}

TraceReader::TraceReader(std::unique_ptr<std::istream> file, std::unique_ptr<std::istream> plain, TraceFormat format,
                         const TraceReadOptions& options, std::string name)
    : file_(std::move(file)),
      plain_(std::move(plain)),
      in_(plain_ ? *plain_ : *file_),
      format_(format),
      options_(options),
      name_(std::move(name)) {
  read_header();
}

TraceReader::~TraceReader() = default;

std::int64_t TraceReader::file_bytes_read() const {
  if (!file_) return -1;
  // The buffer's position, not tellg(): tellg() answers -1 once the stream has hit its end.
  return static_cast<std::int64_t>(file_->rdbuf()->pubseekoff(0, std::ios::cur, std::ios::in));
}

std::unique_ptr<TraceReader> TraceReader::open(const std::filesystem::path& file, const TraceReadOptions& options) {
  const TraceFormat format = options.format == TraceFormat::automatic ? trace_format_of(file) : options.format;
  if (const auto problem = unreadable_file_problem(file)) throw TraceError("trace " + *problem);
  auto in = std::make_unique<std::ifstream>(file, std::ios::binary);
  if (!*in) throw TraceError(fmt::format("cannot open trace '{}'", file.string()));
  std::unique_ptr<std::istream> plain;
  if (is_zstd_path(file.string())) plain = std::make_unique<ZstdInput>(*in, file.string());
  return std::unique_ptr<TraceReader>(new TraceReader(std::move(in), std::move(plain), format, options, file.string()));
}

void TraceReader::read_header() {
  if (format_ == TraceFormat::oracle_general) {
    has_sizes_ = true;
    return;
  }
  if (format_ != TraceFormat::csv) return;
  if (!std::getline(in_, line_)) throw TraceError(fmt::format("{}: empty CSV trace (no header line)", name_));
  line_no_ = 1;
  std::vector<std::string_view> header;
  split_csv(line_, header);
  columns_ = header.size();
  auto column = [&](const std::string& wanted, std::initializer_list<const char*> defaults,
                    bool required) -> std::optional<std::size_t> {
    if (!wanted.empty()) {
      for (std::size_t i = 0; i < header.size(); ++i)
        if (header[i] == wanted) return i;
      std::string known;
      for (auto h : header) known += (known.empty() ? "" : ", ") + std::string(h);
      throw TraceError(fmt::format("{}: no column named '{}' (columns: {})", name_, wanted, known));
    }
    for (const char* d : defaults)
      for (std::size_t i = 0; i < header.size(); ++i)
        if (header[i] == d) return i;
    if (required) return 0;
    return std::nullopt;
  };
  key_col_ = *column(options_.key_column, {"key", "id", "obj_id"}, true);
  size_col_ = column(options_.size_column, {"size", "obj_size"}, false);
  has_sizes_ = size_col_.has_value();
}

bool TraceReader::read(TraceBatch& batch, std::size_t max) {
  batch.keys.clear();
  batch.sizes.clear();
  batch.next.clear();
  if (ended_ || max == 0) return false;
  const bool more = format_ == TraceFormat::oracle_general ? read_records(batch, max) : read_lines(batch, max);
  requests_ += batch.size();
  return more || !batch.keys.empty();
}

bool TraceReader::read_records(TraceBatch& batch, std::size_t max) {
  // Read in whole batches rather than sizing the file first: a zstd stream cannot seek, and
  // a file being written can grow. A last record cut short is an error.
  buffer_.resize(kRecordBytes * max);
  in_.read(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  const auto got = static_cast<std::uint64_t>(in_.gcount());
  if (in_.bad()) throw TraceError(fmt::format("{}: read error at record {}", name_, requests_ + 1));
  const std::uint64_t whole = got / kRecordBytes;
  batch.keys.resize(whole);
  batch.sizes.resize(whole);
  batch.next.resize(whole);
  for (std::uint64_t r = 0; r < whole; ++r) {
    const char* p = buffer_.data() + r * kRecordBytes;
    std::uint64_t id;
    std::uint32_t size;
    std::int64_t next;
    std::memcpy(&id, p + 4, 8);  // the machines we support are little-endian
    std::memcpy(&size, p + 12, 4);
    std::memcpy(&next, p + 16, 8);
    batch.keys[r] = id;
    batch.sizes[r] = size;
    // libCacheSim writes -1 (and some converters INT64_MAX) for "never again".
    batch.next[r] =
        next < 0 || next == std::numeric_limits<std::int64_t>::max() ? kNever : static_cast<std::uint64_t>(next);
  }
  if (got % kRecordBytes != 0) {
    const std::uint64_t records = requests_ + whole;
    const std::uint64_t bytes = records * kRecordBytes + got % kRecordBytes;
    throw TraceError(
        fmt::format("{}: truncated oracleGeneral trace: {} bytes is not a whole number of 24-byte "
                    "records (record {} is cut short, at byte {})",
                    name_, bytes, records + 1, records * kRecordBytes));
  }
  if (got < buffer_.size()) ended_ = true;
  return !ended_;
}

bool TraceReader::read_lines(TraceBatch& batch, std::size_t max) {
  std::vector<std::string_view> cells;
  while (batch.keys.size() < max) {
    if (!std::getline(in_, line_)) {
      ended_ = true;
      return false;
    }
    ++line_no_;
    if (format_ == TraceFormat::text) {
      const std::string_view key = trim(line_);
      if (key.empty() || key.front() == '#') continue;
      if (key.find_first_of(" \t,") != std::string_view::npos)
        throw TraceError(fmt::format("{}:{}: expected one key per line (got '{}'); for CSV use --format csv", name_,
                                     line_no_, std::string(key.substr(0, 40))));
      batch.keys.push_back(key_id(key));
      continue;
    }
    if (trim(line_).empty()) continue;
    split_csv(line_, cells);
    if (cells.size() <= key_col_ || (size_col_ && cells.size() <= *size_col_))
      throw TraceError(fmt::format("{}:{}: expected {} columns (got {})", name_, line_no_, columns_, cells.size()));
    if (cells[key_col_].empty()) throw TraceError(fmt::format("{}:{}: empty key", name_, line_no_));
    batch.keys.push_back(key_id(cells[key_col_]));
    if (size_col_) {
      std::uint32_t size = 0;
      const std::string_view cell = cells[*size_col_];
      const auto [end, error] = std::from_chars(cell.data(), cell.data() + cell.size(), size);
      if (error != std::errc{} || end != cell.data() + cell.size())
        throw TraceError(fmt::format("{}:{}: size '{}' is not a whole number", name_, line_no_, std::string(cell)));
      batch.sizes.push_back(size);
    }
  }
  return true;
}

}  // namespace loadlab
