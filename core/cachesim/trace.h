#pragma once
// Request traces for the cache simulator: read from plain text (one key per line), CSV with
// a header, or libCacheSim's oracleGeneral binary format; written as CSV or oracleGeneral.
#include <cstdint>
#include <filesystem>
#include <istream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace loadlab {

struct Trace {
  std::vector<std::uint64_t> keys;
  std::vector<std::uint32_t> sizes;  // empty when the trace has no sizes
  std::uint64_t distinct_keys() const;
};

enum class TraceFormat { automatic, text, csv, oracle_general };

struct TraceReadOptions {
  TraceFormat format = TraceFormat::automatic;  // automatic: by extension (trace_format_of)
  std::string key_column;                       // CSV: default "key", else "id", "obj_id", else the first column
  std::string size_column;                      // CSV: default "size" or "obj_size" when present
};

// A broken trace: names the file and the line (text, CSV) or record (binary) at fault.
class TraceError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

Trace read_trace(const std::filesystem::path& file, const TraceReadOptions& options = {});
// The same from a stream; `name` is used in messages. TraceFormat::automatic means text here.
Trace parse_trace(std::istream& in, TraceFormat format, const TraceReadOptions& options, const std::string& name);
TraceFormat parse_trace_format(const std::string& name);  // throws TraceError
// By extension: .csv, .oracleGeneral or .bin, else text; a trailing .zst (zstd-compressed,
// read and written as such) is looked through: "t.oracleGeneral.zst" is oracleGeneral.
TraceFormat trace_format_of(const std::filesystem::path& file);

// Text keys that are not whole numbers are hashed (FNV-1a 64) to ids, so the same file
// gives the same ids everywhere.
std::uint64_t key_id(std::string_view text);

// For each request, the index of the next request for the same key (kNever when none).
inline constexpr std::uint64_t kNever = ~0ULL;
std::vector<std::uint64_t> next_use(const std::vector<std::uint64_t>& keys);

// Writes CSV ("key" column, plus "size" when sizes are given) or oracleGeneral (24-byte
// little-endian records: uint32 time = request index, uint64 id, uint32 size (1 if none),
// int64 next access index, -1 when there is none). Throws std::runtime_error on I/O errors.
void write_trace(const std::filesystem::path& file, const Trace& trace, TraceFormat format);

}  // namespace loadlab
