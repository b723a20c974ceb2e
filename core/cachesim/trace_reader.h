#pragma once
// Reads a trace a batch of requests at a time, so `cachesim` replays traces of any length in
// the memory of one batch: text (one key per line), CSV with a header, or libCacheSim's
// oracleGeneral records, each plain or zstd-compressed. read_trace() (trace.h) is this
// reader run to the end, so a file reads the same in memory and as a stream.
#include <cstdint>
#include <filesystem>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cachesim/trace.h"

namespace loadlab {

// One batch of requests in trace order. `sizes` is filled when the trace has sizes, `next`
// when it carries next-access times (oracleGeneral: the request index or logical time of
// the key's next request, kNever when there is none).
struct TraceBatch {
  std::vector<std::uint64_t> keys;
  std::vector<std::uint32_t> sizes;
  std::vector<std::uint64_t> next;
  std::size_t size() const { return keys.size(); }
};

class TraceReader {
 public:
  // Reads `in`, which must outlive the reader. Throws TraceError (a CSV without a header).
  TraceReader(std::istream& in, TraceFormat format, const TraceReadOptions& options, std::string name);
  // Opens a file, plain or `.zst`; the format by extension unless options.format says.
  static std::unique_ptr<TraceReader> open(const std::filesystem::path& file, const TraceReadOptions& options);
  ~TraceReader();
  TraceReader(const TraceReader&) = delete;
  TraceReader& operator=(const TraceReader&) = delete;

  // Replaces the batch with up to `max` next requests; false (and an empty batch) at the
  // end. Throws TraceError naming the line or byte of a broken trace.
  bool read(TraceBatch& batch, std::size_t max);

  bool has_sizes() const { return has_sizes_; }
  bool has_next_access() const { return format_ == TraceFormat::oracle_general; }
  std::uint64_t requests_read() const { return requests_; }
  // Bytes of the file read so far (compressed bytes for .zst), for progress; -1 when the
  // reader was given a stream rather than a file.
  std::int64_t file_bytes_read() const;
  const std::string& name() const { return name_; }

 private:
  TraceReader(std::unique_ptr<std::istream> file, std::unique_ptr<std::istream> plain, TraceFormat format,
              const TraceReadOptions& options, std::string name);
  void read_header();
  bool read_records(TraceBatch& batch, std::size_t max);
  bool read_lines(TraceBatch& batch, std::size_t max);

  std::unique_ptr<std::istream> file_, plain_;  // owned when opened by name
  std::istream& in_;
  TraceFormat format_;
  TraceReadOptions options_;
  std::string name_;
  bool has_sizes_ = false;
  std::uint64_t requests_ = 0, line_no_ = 0;
  std::size_t key_col_ = 0;
  std::optional<std::size_t> size_col_;
  std::size_t columns_ = 0;
  std::vector<char> buffer_;  // oracleGeneral records
  std::string line_;
  bool ended_ = false;
};

}  // namespace loadlab
