#include "caches/w_tiny_lfu_libcachesim.h"

namespace loadlab {

void WTinyLfuLibCacheSim::reset(std::size_t capacity) {
  capacity_ = capacity;
  // libCacheSim: `cache_size *= window_size` on an int64, then the SLRU's "seg-size=1:4" as
  // (int64) ((double) 1 / 5 × main) and (int64) ((double) 4 / 5 × main).
  window_capacity_ = static_cast<std::size_t>(static_cast<double>(capacity) * 0.01);
  main_capacity_ = capacity - window_capacity_;
  const auto main = static_cast<double>(main_capacity_);
  segment_capacity_[0] = static_cast<std::size_t>(static_cast<double>(1) / 5 * main);
  segment_capacity_[1] = static_cast<std::size_t>(static_cast<double>(4) / 5 * main);
  // WTinyLFU_can_insert: an object must fit the window and SLRU's first segment.
  admits_ = window_capacity_ >= 1 && segment_capacity_[0] >= 1;
  hits_per_decay_ = 32 * main_capacity_;
  main_hits_ = 0;
  const std::size_t slots = capacity + 1;
  key_.assign(slots, 0);
  where_.assign(slots, window);
  lists_.resize(slots);
  window_ = segment_[0] = segment_[1] = {};
  pool_.reset(slots);
  index_ = KeyIndex{};
  index_.reserve(slots);
  sketch_ = CountingBloomFilter(static_cast<std::int64_t>(main_capacity_));
}

std::uint32_t WTinyLfuLibCacheSim::take(std::uint64_t key, Where where) {
  const std::uint32_t n = pool_.take();
  key_[n] = key;
  where_[n] = where;
  index_.insert(key, n);
  return n;
}

void WTinyLfuLibCacheSim::drop(SlotLists::List& l, std::uint32_t s) {
  lists_.unlink(l, s);
  index_.erase(key_[s]);
  pool_.give(s);
}

bool WTinyLfuLibCacheSim::access(std::uint64_t key) {
  if (const std::uint32_t s = index_.find(key); s != KeyIndex::kAbsent) {
    if (where_[s] == window) {
      lists_.move_to_front(window_, window_, s);  // a window hit is not counted
      return true;
    }
    if (where_[s] == protected_segment)
      lists_.move_to_front(segment_[1], segment_[1], s);
    else
      main_promote(s);
    sketch_.add(key);
    if (++main_hits_ >= hits_per_decay_) {
      main_hits_ = 0;
      sketch_.decay();
    }
    return true;
  }
  if (!admits_) return false;
  while (size() + 1 > capacity_) evict();
  lists_.push_front(window_, take(key, window));
  sketch_.add(key);
  return false;
}

void WTinyLfuLibCacheSim::evict() {
  for (bool evicted = false; !evicted;) {
    if (window_.size == 0) {
      main_evict();
      return;
    }
    const std::uint32_t candidate = window_.back;
    const std::uint64_t candidate_key = key_[candidate];
    if (main_size() + 1 <= main_capacity_) {
      drop(window_, candidate);
      main_insert(candidate_key);
    } else if (sketch_.estimate(candidate_key) > sketch_.estimate(key_[main_victim()])) {
      main_evict();
      drop(window_, candidate);
      main_insert(candidate_key);
    } else {
      drop(window_, candidate);
      evicted = true;
    }
    sketch_.add(candidate_key);  // every window victim considered counts once more
  }
}

std::uint32_t WTinyLfuLibCacheSim::main_victim() const {
  return segment_[0].size > 0 ? segment_[0].back : segment_[1].back;
}

void WTinyLfuLibCacheSim::main_evict() {
  const std::uint32_t victim = main_victim();
  drop(segment_[where_[victim] == probation ? 0 : 1], victim);
}

void WTinyLfuLibCacheSim::main_insert(std::uint64_t key) {
  // SLRU_insert: the first segment with room; when none has, evict until main has room and
  // use probation (which can then run over its own share when the shares sum below main).
  int segment = segment_[0].size + 1 <= segment_capacity_[0]   ? 0
                : segment_[1].size + 1 <= segment_capacity_[1] ? 1
                                                               : -1;
  if (segment < 0) {
    while (main_size() + 1 > main_capacity_) main_evict();
    segment = 0;
  }
  lists_.push_front(segment_[segment], take(key, segment == 0 ? probation : protected_segment));
}

void WTinyLfuLibCacheSim::main_promote(std::uint32_t s) {
  // SLRU_promote_to_next_seg, then SLRU_cool while protected is over its share: its LRU
  // object goes to probation's head, and probation over its share evicts its LRU object.
  lists_.move_to_front(segment_[0], segment_[1], s);
  where_[s] = protected_segment;
  while (segment_[1].size > segment_capacity_[1]) {
    const std::uint32_t cooled = segment_[1].back;
    lists_.move_to_front(segment_[1], segment_[0], cooled);
    where_[cooled] = probation;
    while (segment_[0].size > segment_capacity_[0]) main_evict();
  }
}

std::vector<std::uint64_t> WTinyLfuLibCacheSim::keys_by_value() const {
  std::vector<std::uint64_t> out;
  for (const SlotLists::List* l : {&segment_[1], &segment_[0], &window_})
    for (std::uint32_t s = l->front; s != SlotLists::kNil; s = lists_.older(s)) out.push_back(key_[s]);
  return out;
}

}  // namespace loadlab
