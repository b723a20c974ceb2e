#pragma once
#include <vector>

#include "caches/frequency_sketch.h"
#include "caches/key_index.h"
#include "caches/slot_cache.h"
#include "caches/slot_lists.h"

namespace loadlab {

// `wtinylfu`: W-TinyLFU as Caffeine's BoundedLocalCache runs it (Einziger et al. 2017), with
// every read and write applied at once (as if each access drained Caffeine's buffers) and
// the window fixed (Caffeine's hill climber is not run).
//
// - Sizes: window = max - (long) (0.99 × max); protected = (long) (0.8 × (max - window));
//   probation holds the rest of the main space.
// - Sketch: FrequencySketch (Caffeine's), created when the cache first holds half its
//   maximum; before that nothing is counted. Every access counts: hits, and each new entry
//   once it is added. No doorkeeper.
// - Hit: window → its MRU end; probation → protected's MRU end (or probation's MRU end if
//   protected has room for nothing); protected → its MRU end. Afterwards protected's LRU
//   entries are demoted to probation's MRU end while protected is over its maximum.
// - Miss: the entry joins the window's MRU end; while the window is over its maximum its LRU
//   entries move to probation's MRU end (the candidates). While the cache is over its
//   maximum, the first candidate meets probation's LRU entry (the victim; protected's and
//   then the window's when probation runs out) and the one with the lower frequency is
//   evicted, the victim kept on a tie — except that a warm candidate (frequency >= 6) that
//   loses is admitted anyway with probability 1/128 (Caffeine's defence against hash
//   flooding), drawn from a seeded generator so runs repeat.
class WTinyLfu final : public SlotCache {
 public:
  static constexpr std::uint64_t kDefaultSeed = 0x5EEDCAFEULL;
  explicit WTinyLfu(std::size_t capacity, std::uint64_t seed = kDefaultSeed) : seed_(seed) { reset(capacity); }
  bool access(std::uint64_t key) override;
  bool contains(std::uint64_t key) const override { return index_.find(key) != KeyIndex::kAbsent; }
  std::size_t size() const override { return window_.size + probation_.size + protected_.size; }
  std::vector<std::uint64_t> keys_by_value() const override;
  std::size_t window_capacity() const { return window_capacity_; }
  std::size_t protected_capacity() const { return protected_capacity_; }
  std::uint32_t frequency(std::uint64_t key) const { return sketch_.frequency(key); }
  const FrequencySketch& sketch() const { return sketch_; }
  std::uint64_t random_admissions() const { return random_admissions_; }

  // The generator behind the random admission: splitmix64; Caffeine tests the low 7 bits of
  // ThreadLocalRandom.nextInt(), here of the generator's next value.
  static std::uint64_t splitmix64(std::uint64_t& state);

 private:
  enum Where : std::uint8_t { window, probation, protected_segment };
  void reset(std::size_t capacity) override;
  SlotLists::List& list_of(std::uint32_t s);
  void evict_from_main(std::uint32_t candidate);
  bool admit(std::uint64_t candidate, std::uint64_t victim);
  // Evicts `s` and returns the entry after it in access order (toward MRU), or kNil.
  std::uint32_t evict_and_advance(std::uint32_t s);
  void demote_from_protected();

  std::uint64_t seed_, random_state_ = 0, random_admissions_ = 0;
  std::size_t window_capacity_ = 0, protected_capacity_ = 0;
  std::vector<std::uint64_t> key_;
  std::vector<Where> where_;
  SlotLists lists_;
  SlotLists::List window_, probation_, protected_;
  SlotPool pool_;
  KeyIndex index_;
  FrequencySketch sketch_;
};

}  // namespace loadlab
