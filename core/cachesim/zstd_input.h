#pragma once
// Reads a zstd-compressed stream as the plain bytes it holds, so every trace reader takes
// `.zst` files (how libCacheSim's oracleGeneral traces are distributed) without a
// decompressed copy on disk. Decompression is incremental: memory is two fixed buffers, not
// the file. Errors (not zstd, corrupt data, a stream cut short) throw TraceError naming the
// compressed byte offset; the reading istream must have badbit in its exceptions() mask for
// them to reach the caller (ZstdInput does this).
#include <istream>
#include <memory>
#include <streambuf>
#include <string>
#include <vector>

namespace loadlab {

class ZstdInputBuffer : public std::streambuf {
 public:
  ZstdInputBuffer(std::istream& compressed, std::string name);
  ~ZstdInputBuffer() override;
  ZstdInputBuffer(const ZstdInputBuffer&) = delete;
  ZstdInputBuffer& operator=(const ZstdInputBuffer&) = delete;

 protected:
  int_type underflow() override;

 private:
  std::istream& compressed_;
  std::string name_;
  struct State;
  std::unique_ptr<State> state_;
  std::vector<char> in_, out_;
  std::size_t in_pos_ = 0, in_end_ = 0;
  std::uint64_t consumed_ = 0;  // compressed bytes handed to the decoder
  bool frame_open_ = false;     // inside a frame the decoder has not finished
  bool any_input_ = false;
};

// An istream over a compressed one.
class ZstdInput : public std::istream {
 public:
  ZstdInput(std::istream& compressed, std::string name);

 private:
  ZstdInputBuffer buffer_;
};

// True when the file's name ends in ".zst".
bool is_zstd_path(const std::string& file);

}  // namespace loadlab
