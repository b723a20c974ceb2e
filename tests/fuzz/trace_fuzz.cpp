// libFuzzer target for the trace readers: the first byte picks the format (text, CSV,
// oracleGeneral) and whether the rest is read as zstd-compressed; the rest is the file. Any
// input reads or raises TraceError.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "cachesim/trace.h"
#include "cachesim/zstd_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static constexpr loadlab::TraceFormat kFormats[] = {loadlab::TraceFormat::text, loadlab::TraceFormat::csv,
                                                      loadlab::TraceFormat::oracle_general};
  const loadlab::TraceFormat format = kFormats[data[0] % 3];
  const bool compressed = (data[0] / 3) % 2 == 1;
  std::istringstream in(std::string(reinterpret_cast<const char*>(data + 1), size - 1));
  try {
    loadlab::Trace t;
    if (compressed) {
      loadlab::ZstdInput plain(in, "fuzz");
      t = loadlab::parse_trace(plain, format, {}, "fuzz");
    } else {
      t = loadlab::parse_trace(in, format, {}, "fuzz");
    }
    if (!t.sizes.empty() && t.sizes.size() != t.keys.size()) __builtin_trap();
    (void)loadlab::next_use(t.keys);
  } catch (const loadlab::TraceError&) {
  }
  return 0;
}
