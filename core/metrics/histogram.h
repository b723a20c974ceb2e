#pragma once
// Log-linear latency histogram in the style of HdrHistogram: values below 2^kSubBits are
// counted exactly, larger ones in 2^kSubBits buckets per power of two. A bucket is at most
// 1/128 of its lower bound wide, and we report bucket midpoints, so any percentile is within
// 0.4% of a recorded value (the issue asks for 1%).
//
// Buckets are stored in chunks of one power of two (kSubCount buckets), allocated when a
// value first falls in them: latencies span a few powers of two, so a histogram holds a few
// kilobytes instead of 35, which is what lets the virtual clock keep one per node for 10,000
// nodes. Each chunk also keeps its total, so a pass over a histogram (quantiles, merge, the
// interval difference) skips whole powers of two that are empty or hold no quantile: the
// virtual clock reads every node's histogram at every metric tick, and a bucket-by-bucket
// scan there was a sixth of its time.
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace loadlab {

class Histogram {
 public:
  static constexpr int kSubBits = 7;
  static constexpr std::uint64_t kSubCount = 1ULL << kSubBits;
  // Largest distinguishable value: 2^40 ns (about 18 minutes); larger values are clamped.
  static constexpr int kMaxExponent = 40;
  static constexpr std::size_t kBucketCount = kSubCount + (kMaxExponent - kSubBits) * kSubCount;
  static constexpr std::size_t kChunkCount = kBucketCount / kSubCount;

  Histogram() = default;
  Histogram(const Histogram& other);
  Histogram& operator=(const Histogram& other);
  Histogram(Histogram&&) noexcept = default;
  Histogram& operator=(Histogram&&) noexcept = default;

  static std::size_t bucket_of(std::uint64_t value);
  static std::uint64_t bucket_low(std::size_t bucket);
  static std::uint64_t bucket_high(std::size_t bucket);  // exclusive
  static double bucket_mid(std::size_t bucket);

  void record(std::uint64_t value, std::uint64_t count = 1);
  void merge(const Histogram& other);
  void clear();

  std::uint64_t count() const { return total_; }
  // q in [0, 1]; returns the midpoint of the bucket holding the q-quantile, 0 when empty.
  double quantile(double q) const;
  // Several quantiles in one pass; qs must be ascending.
  std::vector<double> quantiles(const std::vector<double>& qs) const;
  double mean() const;  // from bucket midpoints
  std::uint64_t bucket_count(std::size_t bucket) const {
    const auto& chunk = chunks_[bucket / kSubCount];
    return chunk ? chunk[bucket % kSubCount] : 0;
  }

  // Replaces this histogram with (newer - older), bucket by bucket: the interval histogram
  // between two cumulative readings.
  void assign_difference(const Histogram& newer, const Histogram& older);

 private:
  friend class HistogramRecorder;
  std::uint64_t* chunk(std::size_t c);  // allocated (zeroed) on first use
  void clear_chunk(std::size_t c);      // zeroes an allocated chunk's buckets and total
  std::array<std::unique_ptr<std::uint64_t[]>, kChunkCount> chunks_;
  std::array<std::uint64_t, kChunkCount> chunk_totals_{};  // the sum of each chunk's buckets
  std::uint64_t total_ = 0;
};

// Cumulative histogram written by exactly one thread and read by any other without locks.
// The writer uses relaxed load+store (no read-modify-write needed with one writer), the
// reader copies the counts; an interval histogram is the difference of two copies.
//
// Each chunk also counts its records, stored (release) after the bucket: a reader that finds
// a chunk's count equal to the total it saw last time knows no record has landed there since
// and skips the chunk. (Equal means every record counted so far was among the buckets it
// summed, since it can only have seen records that happened; a record it did not see yet
// makes the count differ next time, so nothing is lost, only read one interval later.)
class HistogramRecorder {
 public:
  HistogramRecorder() = default;
  ~HistogramRecorder();
  HistogramRecorder(const HistogramRecorder&) = delete;
  HistogramRecorder& operator=(const HistogramRecorder&) = delete;
  void record(std::uint64_t value) {
    const std::size_t b = Histogram::bucket_of(value);
    std::atomic<std::uint64_t>* chunk = chunks_[b / Histogram::kSubCount].load(std::memory_order_acquire);
    if (!chunk) chunk = allocate(b / Histogram::kSubCount);
    auto& c = chunk[b % Histogram::kSubCount];
    c.store(c.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    auto& n = chunk_counts_[b / Histogram::kSubCount];
    n.store(n.load(std::memory_order_relaxed) + 1, std::memory_order_release);
    records_.store(records_.load(std::memory_order_relaxed) + 1, std::memory_order_release);
  }
  void read_into(Histogram& out) const;
  // One pass for an interval: `interval` becomes (now − previous) and `previous` becomes now.
  void read_interval(Histogram& previous, Histogram& interval) const;

 private:
  std::atomic<std::uint64_t>* allocate(std::size_t c);  // the writer, once per chunk
  std::array<std::atomic<std::atomic<std::uint64_t>*>, Histogram::kChunkCount> chunks_{};
  std::array<std::atomic<std::uint64_t>, Histogram::kChunkCount> chunk_counts_{};
  // All records, by the same rule one level up: with 10,000 nodes most have had no record
  // since the last tick, and one load tells so instead of one per chunk.
  std::atomic<std::uint64_t> records_{0};
};

}  // namespace loadlab
