#pragma once
// Compresses what is written to it into a zstd stream on `out`, a chunk at a time, so
// `loadlab-cli trace` can write the compressed traces researchers exchange (`.zst`) without
// holding the plain bytes. finish() ends the frame; without it the file is truncated.
#include <memory>
#include <ostream>
#include <string_view>

namespace loadlab {

class ZstdOutput {
 public:
  explicit ZstdOutput(std::ostream& out, int level = 3);
  ~ZstdOutput();
  ZstdOutput(const ZstdOutput&) = delete;
  ZstdOutput& operator=(const ZstdOutput&) = delete;

  void write(std::string_view bytes);
  void finish();

 private:
  std::ostream& out_;
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace loadlab
