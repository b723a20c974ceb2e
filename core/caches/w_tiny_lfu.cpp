#include "caches/w_tiny_lfu.h"

#include <algorithm>
#include <cmath>

namespace loadlab {

namespace {
constexpr std::uint32_t kAdmitHashDosThreshold = 6;  // Caffeine's ADMIT_HASHDOS_THRESHOLD
// Caffeine's hill climber (BoundedLocalCache's HILL_CLIMBER_* and QUEUE_TRANSFER_THRESHOLD).
constexpr double kClimberRestartThreshold = 0.05;
constexpr double kClimberStepPercent = 0.0625;
constexpr double kClimberStepDecayRate = 0.98;
constexpr double kClimberMinInitialStep = 2.0;
constexpr std::size_t kSmallCacheThreshold = 512;
constexpr double kSmallCacheSampleRatioCap = 4.0;
constexpr double kSmallCacheStepDecayRate = 0.995;
constexpr int kQueueTransferThreshold = 1'000;

// The step a climb starts (and restarts) with: 6.25% of the maximum, at least 2 entries.
double initial_step(std::size_t capacity) {
  return std::max(kClimberStepPercent * static_cast<double>(capacity), kClimberMinInitialStep);
}
}  // namespace

std::uint64_t WTinyLfu::splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

void WTinyLfu::reset(std::size_t capacity) {
  capacity_ = capacity;
  // Caffeine's setMaximumSize, in Java's (long) casts: the window is what 99% leaves over.
  const auto max = static_cast<double>(capacity);
  window_capacity_ = capacity - static_cast<std::size_t>(0.99 * max);
  protected_capacity_ = static_cast<std::size_t>(0.8 * static_cast<double>(capacity - window_capacity_));
  const std::size_t slots = capacity + 1;  // one more: the new entry joins before a victim leaves
  key_.assign(slots, 0);
  where_.assign(slots, window);
  lists_.resize(slots);
  window_ = probation_ = protected_ = {};
  pool_.reset(slots);
  index_ = KeyIndex{};
  index_.reserve(slots);
  sketch_.clear();
  random_state_ = seed_;
  random_admissions_ = 0;
  hits_in_sample_ = misses_in_sample_ = 0;
  // The first move shrinks the window, except in a small cache, whose window of one or a few
  // entries has nothing to give.
  step_size_ = capacity <= kSmallCacheThreshold ? initial_step(capacity) : -initial_step(capacity);
  previous_sample_hit_rate_ = 0;
  adjustment_ = 0;
  climber_samples_ = 0;
}

SlotLists::List& WTinyLfu::list_of(std::uint32_t s) {
  return where_[s] == window ? window_ : where_[s] == probation ? probation_ : protected_;
}

bool WTinyLfu::access(std::uint64_t key) {
  if (const std::uint32_t s = index_.find(key); s != KeyIndex::kAbsent) {
    // onAccess
    sketch_.increment(key);
    switch (where_[s]) {
      case window:
        lists_.move_to_front(window_, window_, s);
        break;
      case probation:
        if (protected_capacity_ < 1) {
          lists_.move_to_front(probation_, probation_, s);
        } else {
          lists_.move_to_front(probation_, protected_, s);
          where_[s] = protected_segment;
        }
        break;
      case protected_segment:
        lists_.move_to_front(protected_, protected_, s);
        break;
    }
    ++hits_in_sample_;
    climb();  // the maintenance that follows: nothing to evict
    return true;
  }
  if (capacity_ == 0) return false;  // an entry heavier than the maximum is evicted at once
  // AddTask
  const std::uint32_t n = pool_.take();
  key_[n] = key;
  where_[n] = window;
  lists_.push_front(window_, n);
  index_.insert(key, n);
  if (size() >= (capacity_ >> 1)) sketch_.ensure_capacity(capacity_);  // lazily, near half full
  sketch_.increment(key);
  ++misses_in_sample_;
  // Maintenance: evictFromWindow, evictFromMain, then climb().
  std::uint32_t first_candidate = SlotLists::kNil;
  while (window_.size > window_capacity_) {
    const std::uint32_t moved = window_.back;
    lists_.move_to_front(window_, probation_, moved);
    where_[moved] = probation;
    if (first_candidate == SlotLists::kNil) first_candidate = moved;
  }
  evict_from_main(first_candidate);
  climb();
  return false;
}

void WTinyLfu::climb() {
  if (hill_climb_) determine_adjustment();
  demote_from_protected();
  if (!hill_climb_) return;
  if (adjustment_ > 0) {
    increase_window();
  } else if (adjustment_ < 0) {
    decrease_window();
  }
}

void WTinyLfu::determine_adjustment() {
  if (!sketch_.initialized()) {
    previous_sample_hit_rate_ = 0;
    hits_in_sample_ = misses_in_sample_ = 0;
    return;
  }
  const std::uint64_t requests = std::uint64_t{hits_in_sample_} + misses_in_sample_;
  double decay = kClimberStepDecayRate;
  std::uint64_t sample = sketch_.sample_size();
  if (capacity_ <= kSmallCacheThreshold) {
    // A small cache samples longer as its step decays (up to 4 times), so that it does not
    // settle near where it started, and decays more slowly, keeping steps big enough to move.
    const double initial = kClimberStepPercent * static_cast<double>(capacity_);
    const double magnitude = std::max(initial / kSmallCacheSampleRatioCap, std::abs(step_size_));
    const double ratio =
        magnitude == 0.0 ? 1.0 : std::max(1.0, std::min(kSmallCacheSampleRatioCap, initial / magnitude));
    sample = static_cast<std::uint64_t>(static_cast<double>(sample) * ratio);
    decay = kSmallCacheStepDecayRate;
  }
  if (requests < sample) return;
  const double hit_rate = static_cast<double>(hits_in_sample_) / static_cast<double>(requests);
  const double change = hit_rate - previous_sample_hit_rate_;
  const double amount = change >= 0 ? step_size_ : -step_size_;
  // A large change means the workload moved: start again with a full step, in the direction
  // just taken; a small one, keep going with a smaller step, so the window settles.
  step_size_ =
      std::abs(change) >= kClimberRestartThreshold ? std::copysign(initial_step(capacity_), amount) : decay * amount;
  previous_sample_hit_rate_ = hit_rate;
  adjustment_ = static_cast<std::int64_t>(amount);  // Java's (long): toward zero
  hits_in_sample_ = misses_in_sample_ = 0;
  ++climber_samples_;
}

void WTinyLfu::increase_window() {
  if (protected_capacity_ == 0) return;
  auto quota =
      static_cast<std::size_t>(std::min<std::int64_t>(adjustment_, static_cast<std::int64_t>(protected_capacity_)));
  protected_capacity_ -= quota;
  window_capacity_ += quota;
  demote_from_protected();
  for (int i = 0; i < kQueueTransferThreshold && quota > 0; ++i) {
    // Probation's LRU entry, or protected's once probation is empty.
    std::uint32_t moved = probation_.back;
    if (moved == SlotLists::kNil) moved = protected_.back;
    if (moved == SlotLists::kNil) break;
    --quota;
    lists_.move_to_front(list_of(moved), window_, moved);
    where_[moved] = window;
  }
  // What could not move is given back, to try again at the next maintenance.
  protected_capacity_ += quota;
  window_capacity_ -= quota;
  adjustment_ = static_cast<std::int64_t>(quota);
}

void WTinyLfu::decrease_window() {
  if (window_capacity_ <= 1) return;
  auto quota =
      static_cast<std::size_t>(std::min<std::int64_t>(-adjustment_, static_cast<std::int64_t>(window_capacity_ - 1)));
  protected_capacity_ += quota;
  window_capacity_ -= quota;
  for (int i = 0; i < kQueueTransferThreshold && quota > 0; ++i) {
    const std::uint32_t moved = window_.back;
    if (moved == SlotLists::kNil) break;
    --quota;
    lists_.move_to_front(window_, probation_, moved);
    where_[moved] = probation;
  }
  protected_capacity_ -= quota;
  window_capacity_ += quota;
  adjustment_ = -static_cast<std::int64_t>(quota);
}

std::uint32_t WTinyLfu::evict_and_advance(std::uint32_t s) {
  const std::uint32_t next = lists_.newer(s);
  lists_.unlink(list_of(s), s);
  index_.erase(key_[s]);
  pool_.give(s);
  return next;
}

void WTinyLfu::evict_from_main(std::uint32_t candidate) {
  // Caffeine's evictFromMain, for entries of weight 1 that are all alive.
  constexpr std::uint32_t kNil = SlotLists::kNil;
  Where victim_queue = probation, candidate_queue = probation;
  std::uint32_t victim = probation_.back;
  while (size() > capacity_) {
    // Search the window for more candidates.
    if (candidate == kNil && candidate_queue == probation) {
      candidate = window_.back;
      candidate_queue = window;
    }
    // Try evicting from the protected and window queues.
    if (candidate == kNil && victim == kNil) {
      if (victim_queue == probation) {
        victim = protected_.back;
        victim_queue = protected_segment;
        continue;
      }
      if (victim_queue == protected_segment) {
        victim = window_.back;
        victim_queue = window;
        continue;
      }
      break;
    }
    if (victim == kNil) {  // only one of them: evict it
      candidate = evict_and_advance(candidate);
      continue;
    }
    if (candidate == kNil) {
      victim = evict_and_advance(victim);
      continue;
    }
    if (candidate == victim) {
      victim = evict_and_advance(victim);
      candidate = kNil;
      continue;
    }
    if (admit(key_[candidate], key_[victim])) {
      victim = evict_and_advance(victim);
      candidate = lists_.newer(candidate);
    } else {
      candidate = evict_and_advance(candidate);
    }
  }
}

bool WTinyLfu::admit(std::uint64_t candidate, std::uint64_t victim) {
  const std::uint32_t candidate_freq = sketch_.frequency(candidate);
  const std::uint32_t victim_freq = sketch_.frequency(victim);
  if (candidate_freq > victim_freq) return true;
  if (candidate_freq >= kAdmitHashDosThreshold) {
    // A hot victim kept by hash collisions would shut every candidate out: a warm candidate
    // gets in 1 time in 128.
    const auto random = static_cast<std::uint32_t>(splitmix64(random_state_));
    if ((random & 127) == 0) {
      ++random_admissions_;
      return true;
    }
  }
  return false;
}

void WTinyLfu::demote_from_protected() {
  for (int i = 0; i < kQueueTransferThreshold && protected_.size > protected_capacity_; ++i) {
    const std::uint32_t demoted = protected_.back;
    lists_.move_to_front(protected_, probation_, demoted);
    where_[demoted] = probation;
  }
}

std::vector<std::uint64_t> WTinyLfu::keys_by_value() const {
  std::vector<std::uint64_t> out;
  for (const SlotLists::List* l : {&protected_, &window_, &probation_})
    for (std::uint32_t s = l->front; s != SlotLists::kNil; s = lists_.older(s)) out.push_back(key_[s]);
  return out;
}

}  // namespace loadlab
