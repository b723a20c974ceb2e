#include "cachesim/trace.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <fstream>
#include <optional>
#include <unordered_map>

#include "caches/key_index.h"
#include "cachesim/trace_reader.h"
#include "cachesim/zstd_input.h"
#include "cachesim/zstd_output.h"

namespace loadlab {

namespace {

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

TraceFormat trace_format_of(const std::filesystem::path& file) {
  // "t.oracleGeneral.zst" has the format of "t.oracleGeneral".
  const std::string ext = (is_zstd_path(file.string()) ? file.stem() : file).extension().string();
  return ext == ".csv"                                ? TraceFormat::csv
         : (ext == ".oracleGeneral" || ext == ".bin") ? TraceFormat::oracle_general
                                                      : TraceFormat::text;
}

namespace {

Trace read_all(TraceReader& reader) {
  Trace t;
  TraceBatch batch;
  while (reader.read(batch, 1 << 16)) {
    t.keys.insert(t.keys.end(), batch.keys.begin(), batch.keys.end());
    t.sizes.insert(t.sizes.end(), batch.sizes.begin(), batch.sizes.end());
  }
  return t;
}

}  // namespace

Trace read_trace(const std::filesystem::path& file, const TraceReadOptions& options) {
  return read_all(*TraceReader::open(file, options));
}

Trace parse_trace(std::istream& in, TraceFormat format, const TraceReadOptions& options, const std::string& name) {
  TraceReader reader(in, format, options, name);
  return read_all(reader);
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
  // "t.oracleGeneral.zst": the same bytes, zstd-compressed as they are written.
  std::optional<ZstdOutput> zstd;
  if (is_zstd_path(file.string())) zstd.emplace(out);
  std::string buffer;
  const auto drain = [&] {
    if (zstd)
      zstd->write(buffer);
    else
      out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    buffer.clear();
  };
  if (format == TraceFormat::oracle_general) {
    const auto next = next_use(trace.keys);
    for (std::size_t i = 0; i < trace.keys.size(); ++i) {
      put(buffer, static_cast<std::uint32_t>(i));
      put(buffer, trace.keys[i]);
      put(buffer, sized ? trace.sizes[i] : std::uint32_t{1});
      put(buffer, next[i] == kNever ? std::int64_t{-1} : static_cast<std::int64_t>(next[i]));
      if (buffer.size() > (1 << 20)) drain();
    }
  } else if (format == TraceFormat::text) {
    for (std::uint64_t k : trace.keys) {
      buffer += fmt::format("{}\n", k);
      if (buffer.size() > (1 << 20)) drain();
    }
  } else {
    buffer = sized ? "key,size\n" : "key\n";
    for (std::size_t i = 0; i < trace.keys.size(); ++i) {
      buffer += sized ? fmt::format("{},{}\n", trace.keys[i], trace.sizes[i]) : fmt::format("{}\n", trace.keys[i]);
      if (buffer.size() > (1 << 20)) drain();
    }
  }
  drain();
  if (zstd) zstd->finish();
  out.flush();
  if (!out) throw std::runtime_error(fmt::format("error while writing '{}'", file.string()));
}

}  // namespace loadlab
