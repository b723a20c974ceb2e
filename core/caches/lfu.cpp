#include "caches/lfu.h"

namespace loadlab {

void Lfu::reset(std::size_t capacity) {
  capacity_ = capacity;
  size_ = 0;
  key_.assign(capacity, 0);
  bucket_of_.assign(capacity, kNil);
  lists_.resize(capacity);
  pool_.reset(capacity);
  buckets_.assign(capacity + 1, Bucket{});  // at most one bucket per object, plus one being made
  bucket_pool_.reset(capacity + 1);
  lowest_ = kNil;
  index_ = KeyIndex{};
  index_.reserve(capacity);
}

std::uint32_t Lfu::bucket_after(std::uint32_t b, std::uint64_t count) {
  const std::uint32_t next = b == kNil ? lowest_ : buckets_[b].higher;
  if (next != kNil && buckets_[next].count == count) return next;
  const std::uint32_t n = bucket_pool_.take();
  buckets_[n] = Bucket{count, {}, b, next};
  if (b != kNil)
    buckets_[b].higher = n;
  else
    lowest_ = n;
  if (next != kNil) buckets_[next].lower = n;
  return n;
}

void Lfu::drop_if_empty(std::uint32_t b) {
  Bucket& bucket = buckets_[b];
  if (bucket.objects.size != 0) return;
  if (bucket.lower != kNil)
    buckets_[bucket.lower].higher = bucket.higher;
  else
    lowest_ = bucket.higher;
  if (bucket.higher != kNil) buckets_[bucket.higher].lower = bucket.lower;
  bucket_pool_.give(b);
}

bool Lfu::access(std::uint64_t key) {
  if (const std::uint32_t s = index_.find(key); s != KeyIndex::kAbsent) {
    const std::uint32_t from = bucket_of_[s];
    const std::uint32_t to = bucket_after(from, buckets_[from].count + 1);
    lists_.unlink(buckets_[from].objects, s);
    lists_.push_front(buckets_[to].objects, s);
    bucket_of_[s] = to;
    drop_if_empty(from);
    return true;
  }
  if (capacity_ == 0) return false;
  if (size_ == capacity_) {
    const std::uint32_t b = lowest_;
    const std::uint32_t victim = buckets_[b].objects.back;
    lists_.unlink(buckets_[b].objects, victim);
    index_.erase(key_[victim]);
    pool_.give(victim);
    --size_;
    drop_if_empty(b);
  }
  const std::uint32_t s = pool_.take();
  key_[s] = key;
  const std::uint32_t b = bucket_after(kNil, 1);
  lists_.push_front(buckets_[b].objects, s);
  bucket_of_[s] = b;
  index_.insert(key, s);
  ++size_;
  return false;
}

std::uint64_t Lfu::count(std::uint64_t key) const {
  const std::uint32_t s = index_.find(key);
  return s == KeyIndex::kAbsent ? 0 : buckets_[bucket_of_[s]].count;
}

std::vector<std::uint64_t> Lfu::keys_by_value() const {
  std::vector<std::uint32_t> order;
  for (std::uint32_t b = lowest_; b != kNil; b = buckets_[b].higher) {
    std::vector<std::uint32_t> in_bucket;
    for (std::uint32_t s = buckets_[b].objects.back; s != kNil; s = lists_.newer(s)) in_bucket.push_back(s);
    order.insert(order.end(), in_bucket.begin(), in_bucket.end());
  }
  std::vector<std::uint64_t> out;
  for (auto it = order.rbegin(); it != order.rend(); ++it) out.push_back(key_[*it]);
  return out;
}

}  // namespace loadlab
