#pragma once
#include <cstdint>
#include <vector>

#include "caches/frequency_sketch.h"
#include "caches/key_index.h"
#include "caches/slot_cache.h"
#include "caches/slot_lists.h"

namespace loadlab {

// `wtinylfu`: W-TinyLFU as Caffeine's BoundedLocalCache runs it (Einziger et al. 2017), with
// every read and write applied at once (as if each access drained Caffeine's buffers): each
// access is followed by Caffeine's maintenance (evictions, then climb()). The window stays at
// its 1% unless hill climbing is asked for (CacheParams::hill_climb).
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
// - Hill climbing (Caffeine's climb() and determineAdjustment() as of commit 33127bb, the last
//   with the step climber, to which this sketch belongs; its successor ccef955 probes by hit
//   density): hits and misses are counted into a sample; once the sketch exists and a sample
//   holds the sketch's sample size (10 × maximum, at least 2,560) requests, its hit rate is
//   compared with the previous sample's. The window moves by the step in the direction that
//   last improved the hit rate, reversing when the rate fell. The step starts at 6.25% of the
//   maximum (at least 2 entries), negative (the window shrinks first) above 512 entries and
//   positive at or below; a change of the hit rate by 5 points or more restarts it at that
//   size in the direction just taken, otherwise it decays by 0.98 per sample (0.995 at or
//   below 512 entries, where the sample also lengthens, up to 4×, as the step shrinks below
//   its initial size). Growing the window takes the room from protected (probation's
//   LRU entries, then protected's, move to the window's MRU end); shrinking it gives the room
//   to protected (the window's LRU entries move to probation's MRU end), the window keeping at
//   least one. At most 1,000 entries move per maintenance (QUEUE_TRANSFER_THRESHOLD); what is
//   left of an adjustment carries over to the next.
class WTinyLfu final : public SlotCache {
 public:
  static constexpr std::uint64_t kDefaultSeed = 0x5EEDCAFEULL;
  explicit WTinyLfu(std::size_t capacity, std::uint64_t seed = kDefaultSeed, bool hill_climb = false)
      : seed_(seed), hill_climb_(hill_climb) {
    reset(capacity);
  }
  bool access(std::uint64_t key) override;
  bool contains(std::uint64_t key) const override { return index_.find(key) != KeyIndex::kAbsent; }
  std::size_t size() const override { return window_.size + probation_.size + protected_.size; }
  std::vector<std::uint64_t> keys_by_value() const override;
  std::size_t window_capacity() const { return window_capacity_; }
  std::size_t protected_capacity() const { return protected_capacity_; }
  std::uint32_t frequency(std::uint64_t key) const { return sketch_.frequency(key); }
  const FrequencySketch& sketch() const { return sketch_; }
  std::uint64_t random_admissions() const { return random_admissions_; }
  bool hill_climbing() const { return hill_climb_; }
  // Samples the climber has judged (each a determineAdjustment() that changed the step).
  std::uint64_t climber_samples() const { return climber_samples_; }

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
  // Caffeine's climb(): the climber's step (when hill climbing), the protected demotion, and
  // the window's adjustment.
  void climb();
  void determine_adjustment();
  void increase_window();
  void decrease_window();

  std::uint64_t seed_, random_state_ = 0, random_admissions_ = 0;
  bool hill_climb_ = false;
  std::uint32_t hits_in_sample_ = 0, misses_in_sample_ = 0;
  double step_size_ = 0, previous_sample_hit_rate_ = 0;
  std::int64_t adjustment_ = 0;
  std::uint64_t climber_samples_ = 0;
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
