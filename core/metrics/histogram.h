#pragma once
// Log-linear latency histogram in the style of HdrHistogram: values below 2^kSubBits are
// counted exactly, larger ones in 2^kSubBits buckets per power of two. A bucket is at most
// 1/128 of its lower bound wide, and we report bucket midpoints, so any percentile is within
// 0.4% of a recorded value (the issue asks for 1%).
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace loadlab {

class Histogram {
 public:
  static constexpr int kSubBits = 7;
  static constexpr std::uint64_t kSubCount = 1ULL << kSubBits;
  // Largest distinguishable value: 2^40 ns (about 18 minutes); larger values are clamped.
  static constexpr int kMaxExponent = 40;
  static constexpr std::size_t kBucketCount = kSubCount + (kMaxExponent - kSubBits) * kSubCount;

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
  std::uint64_t bucket_count(std::size_t bucket) const { return counts_[bucket]; }

  // Replaces this histogram with (newer - older), bucket by bucket: the interval histogram
  // between two cumulative readings.
  void assign_difference(const Histogram& newer, const Histogram& older);

 private:
  friend class HistogramRecorder;
  std::vector<std::uint64_t> counts_ = std::vector<std::uint64_t>(kBucketCount, 0);
  std::uint64_t total_ = 0;
};

// Cumulative histogram written by exactly one thread and read by any other without locks.
// The writer uses relaxed load+store (no read-modify-write needed with one writer), the
// reader copies the counts; an interval histogram is the difference of two copies.
class HistogramRecorder {
 public:
  HistogramRecorder() : counts_(Histogram::kBucketCount) {}
  void record(std::uint64_t value) {
    auto& c = counts_[Histogram::bucket_of(value)];
    c.store(c.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }
  void read_into(Histogram& out) const;

 private:
  std::vector<std::atomic<std::uint64_t>> counts_;
};

}  // namespace loadlab
