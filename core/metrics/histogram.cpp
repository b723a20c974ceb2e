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

Histogram::Histogram(const Histogram& other) : chunk_totals_(other.chunk_totals_), total_(other.total_) {
  for (std::size_t c = 0; c < kChunkCount; ++c)
    if (other.chunks_[c]) std::copy_n(other.chunks_[c].get(), kSubCount, chunk(c));
}

Histogram& Histogram::operator=(const Histogram& other) {
  if (this == &other) return *this;
  for (std::size_t c = 0; c < kChunkCount; ++c) {
    if (other.chunks_[c])
      std::copy_n(other.chunks_[c].get(), kSubCount, chunk(c));
    else if (chunks_[c])
      std::fill_n(chunks_[c].get(), kSubCount, 0);
  }
  chunk_totals_ = other.chunk_totals_;
  total_ = other.total_;
  return *this;
}

std::uint64_t* Histogram::chunk(std::size_t c) {
  if (!chunks_[c]) chunks_[c] = std::make_unique<std::uint64_t[]>(kSubCount);  // value-initialised: zeros
  return chunks_[c].get();
}

void Histogram::clear_chunk(std::size_t c) {
  if (chunk_totals_[c] == 0) return;  // already all zeros
  std::fill_n(chunks_[c].get(), kSubCount, 0);
  chunk_totals_[c] = 0;
}

void Histogram::record(std::uint64_t value, std::uint64_t count) {
  const std::size_t b = bucket_of(value);
  chunk(b / kSubCount)[b % kSubCount] += count;
  chunk_totals_[b / kSubCount] += count;
  total_ += count;
}

void Histogram::merge(const Histogram& other) {
  for (std::size_t c = 0; c < kChunkCount; ++c) {
    if (other.chunk_totals_[c] == 0) continue;
    std::uint64_t* mine = chunk(c);
    for (std::size_t i = 0; i < kSubCount; ++i) mine[i] += other.chunks_[c][i];
    chunk_totals_[c] += other.chunk_totals_[c];
  }
  total_ += other.total_;
}

void Histogram::clear() {
  for (std::size_t c = 0; c < kChunkCount; ++c) clear_chunk(c);
  total_ = 0;
}

std::vector<double> Histogram::quantiles(const std::vector<double>& qs) const {
  std::vector<double> out(qs.size(), 0.0);
  if (total_ == 0) return out;
  // The q-quantile is the value of the ceil(q * n)-th smallest sample (1-based).
  std::vector<std::uint64_t> ranks(qs.size());
  for (std::size_t qi = 0; qi < qs.size(); ++qi) {
    const double q = std::clamp(qs[qi], 0.0, 1.0);
    ranks[qi] = std::max<std::uint64_t>(static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(total_))), 1);
  }
  std::size_t qi = 0;
  std::uint64_t seen = 0;
  for (std::size_t c = 0; c < kChunkCount && qi < qs.size(); ++c) {
    // A chunk that ends before the next rank holds no quantile: count it whole.
    if (seen + chunk_totals_[c] < ranks[qi]) {
      seen += chunk_totals_[c];
      continue;
    }
    for (std::size_t i = 0; i < kSubCount && qi < qs.size(); ++i) {
      const std::uint64_t n = chunks_[c][i];
      if (n == 0) continue;
      seen += n;
      while (qi < qs.size() && seen >= ranks[qi]) out[qi++] = bucket_mid(c * kSubCount + i);
    }
  }
  return out;
}

double Histogram::quantile(double q) const { return quantiles({q})[0]; }

double Histogram::mean() const {
  if (total_ == 0) return 0.0;
  double sum = 0.0;
  for (std::size_t c = 0; c < kChunkCount; ++c) {
    if (chunk_totals_[c] == 0) continue;
    for (std::size_t i = 0; i < kSubCount; ++i)
      if (chunks_[c][i] != 0) sum += bucket_mid(c * kSubCount + i) * static_cast<double>(chunks_[c][i]);
  }
  return sum / static_cast<double>(total_);
}

void Histogram::assign_difference(const Histogram& newer, const Histogram& older) {
  total_ = 0;
  for (std::size_t c = 0; c < kChunkCount; ++c) {
    if (newer.chunk_totals_[c] == older.chunk_totals_[c]) {
      // Unchanged between the readings (counts only grow), or both empty.
      if (chunks_[c]) clear_chunk(c);
      continue;
    }
    std::uint64_t* mine = chunk(c);
    const std::uint64_t* a = newer.chunks_[c].get();
    const std::uint64_t* b = older.chunks_[c].get();
    std::uint64_t sum = 0;
    for (std::size_t i = 0; i < kSubCount; ++i) {
      // A reader may see a bucket of `older` that a later copy of `newer` had not yet caught
      // up with only if the copies were swapped; clamp rather than wrap around.
      const std::uint64_t before = b ? b[i] : 0;
      mine[i] = a[i] >= before ? a[i] - before : 0;
      sum += mine[i];
    }
    chunk_totals_[c] = sum;
    total_ += sum;
  }
}

HistogramRecorder::~HistogramRecorder() {
  for (auto& c : chunks_) delete[] c.load();
}

std::atomic<std::uint64_t>* HistogramRecorder::allocate(std::size_t c) {
  auto* chunk = new std::atomic<std::uint64_t>[Histogram::kSubCount];
  for (std::size_t i = 0; i < Histogram::kSubCount; ++i) chunk[i].store(0, std::memory_order_relaxed);
  chunks_[c].store(chunk, std::memory_order_release);  // published whole: readers see zeros, not garbage
  return chunk;
}

void HistogramRecorder::read_into(Histogram& out) const {
  out.total_ = 0;
  for (std::size_t c = 0; c < Histogram::kChunkCount; ++c) {
    const std::atomic<std::uint64_t>* chunk = chunks_[c].load(std::memory_order_acquire);
    if (!chunk) {
      if (out.chunks_[c]) out.clear_chunk(c);
      continue;
    }
    std::uint64_t* dst = out.chunk(c);
    std::uint64_t sum = 0;
    for (std::size_t i = 0; i < Histogram::kSubCount; ++i) {
      dst[i] = chunk[i].load(std::memory_order_relaxed);
      sum += dst[i];
    }
    out.chunk_totals_[c] = sum;
    out.total_ += sum;
  }
}

void HistogramRecorder::read_interval(Histogram& previous, Histogram& interval) const {
  if (records_.load(std::memory_order_acquire) == previous.total_) {  // nothing recorded since
    if (interval.total_ != 0) interval.clear();
    return;
  }
  interval.total_ = 0;
  std::uint64_t total = 0;
  for (std::size_t c = 0; c < Histogram::kChunkCount; ++c) {
    // Acquire: the buckets read below are at least as new as this count (see the class comment).
    const std::uint64_t count = chunk_counts_[c].load(std::memory_order_acquire);
    if (count == previous.chunk_totals_[c]) {  // no record here since the last reading
      if (interval.chunks_[c]) interval.clear_chunk(c);
      total += count;
      continue;
    }
    const std::atomic<std::uint64_t>* chunk = chunks_[c].load(std::memory_order_acquire);
    std::uint64_t* prev = previous.chunk(c);
    std::uint64_t* out = interval.chunk(c);
    std::uint64_t now_sum = 0, out_sum = 0;
    for (std::size_t i = 0; i < Histogram::kSubCount; ++i) {
      const std::uint64_t now = chunk[i].load(std::memory_order_relaxed);
      out[i] = now >= prev[i] ? now - prev[i] : 0;
      prev[i] = now;
      now_sum += now;
      out_sum += out[i];
    }
    previous.chunk_totals_[c] = now_sum;
    interval.chunk_totals_[c] = out_sum;
    interval.total_ += out_sum;
    total += now_sum;
  }
  previous.total_ = total;
}

}  // namespace loadlab
