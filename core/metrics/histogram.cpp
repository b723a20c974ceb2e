#include "metrics/histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace loadlab {

std::size_t Histogram::bucket_of(std::uint64_t value) {
  if (value < kSubCount) return static_cast<std::size_t>(value);
  const int exponent = std::bit_width(value) - 1;  // >= kSubBits
  if (exponent >= kMaxExponent) return kBucketCount - 1;
  const int shift = exponent - kSubBits;
  const std::uint64_t sub = (value >> shift) - kSubCount;  // 0 .. kSubCount-1
  return static_cast<std::size_t>(kSubCount + static_cast<std::uint64_t>(shift) * kSubCount + sub);
}

std::uint64_t Histogram::bucket_low(std::size_t bucket) {
  if (bucket < kSubCount) return bucket;
  const std::uint64_t shift = (bucket - kSubCount) / kSubCount;
  const std::uint64_t sub = (bucket - kSubCount) % kSubCount;
  return (kSubCount + sub) << shift;
}

std::uint64_t Histogram::bucket_high(std::size_t bucket) {
  if (bucket < kSubCount) return bucket + 1;
  const std::uint64_t shift = (bucket - kSubCount) / kSubCount;
  return bucket_low(bucket) + (1ULL << shift);
}

double Histogram::bucket_mid(std::size_t bucket) {
  if (bucket < kSubCount) return static_cast<double>(bucket);
  return (static_cast<double>(bucket_low(bucket)) + static_cast<double>(bucket_high(bucket) - 1)) / 2.0;
}

void Histogram::record(std::uint64_t value, std::uint64_t count) {
  counts_[bucket_of(value)] += count;
  total_ += count;
}

void Histogram::merge(const Histogram& other) {
  for (std::size_t i = 0; i < kBucketCount; ++i) counts_[i] += other.counts_[i];
  total_ += other.total_;
}

void Histogram::clear() {
  std::fill(counts_.begin(), counts_.end(), 0);
  total_ = 0;
}

std::vector<double> Histogram::quantiles(const std::vector<double>& qs) const {
  std::vector<double> out(qs.size(), 0.0);
  if (total_ == 0) return out;
  std::size_t qi = 0;
  std::uint64_t seen = 0;
  for (std::size_t b = 0; b < kBucketCount && qi < qs.size(); ++b) {
    if (counts_[b] == 0) continue;
    seen += counts_[b];
    // The q-quantile is the value of the ceil(q * n)-th smallest sample (1-based).
    while (qi < qs.size()) {
      const double q = std::clamp(qs[qi], 0.0, 1.0);
      auto rank = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(total_)));
      rank = std::max<std::uint64_t>(rank, 1);
      if (seen < rank) break;
      out[qi++] = bucket_mid(b);
    }
  }
  return out;
}

double Histogram::quantile(double q) const { return quantiles({q})[0]; }

double Histogram::mean() const {
  if (total_ == 0) return 0.0;
  double sum = 0.0;
  for (std::size_t b = 0; b < kBucketCount; ++b)
    if (counts_[b] != 0) sum += bucket_mid(b) * static_cast<double>(counts_[b]);
  return sum / static_cast<double>(total_);
}

void Histogram::assign_difference(const Histogram& newer, const Histogram& older) {
  total_ = 0;
  for (std::size_t i = 0; i < kBucketCount; ++i) {
    // A reader may see a bucket of `older` that a later copy of `newer` had not yet caught
    // up with only if the copies were swapped; clamp rather than wrap around.
    counts_[i] = newer.counts_[i] >= older.counts_[i] ? newer.counts_[i] - older.counts_[i] : 0;
    total_ += counts_[i];
  }
}

void HistogramRecorder::read_into(Histogram& out) const {
  out.total_ = 0;
  for (std::size_t i = 0; i < Histogram::kBucketCount; ++i) {
    out.counts_[i] = counts_[i].load(std::memory_order_relaxed);
    out.total_ += out.counts_[i];
  }
}

}  // namespace loadlab
