#pragma once
// Next-access times for traces that do not carry them (text, CSV), so `belady` can stream
// those too: one extra pass over the trace writes each request's next-use index into an
// unlinked temporary file (mapped, grown as the trace goes on), and the replay reads them
// from there beside the trace. Memory is one entry per distinct key (its last request) plus
// whatever pages of the file the kernel keeps cached; the file is 8 bytes a request.
#include <cstdint>
#include <string>
#include <vector>

namespace loadlab {

class TraceReader;

class NextUseFile {
 public:
  // Reads `reader` to its end. Throws TraceError (the trace) or std::runtime_error (the file).
  explicit NextUseFile(TraceReader& reader);
  ~NextUseFile();
  NextUseFile(const NextUseFile&) = delete;
  NextUseFile& operator=(const NextUseFile&) = delete;

  std::uint64_t requests() const { return requests_; }
  // The next-use indices of requests [first, first + n) into `out` (kNever when none).
  void read(std::uint64_t first, std::size_t n, std::vector<std::uint64_t>& out) const;
  const std::string& path() const { return path_; }

 private:
  void map(std::uint64_t entries);
  void release();
  int fd_ = -1;
  std::uint64_t* data_ = nullptr;
  std::uint64_t mapped_ = 0, requests_ = 0;
  std::string path_;
};

}  // namespace loadlab
