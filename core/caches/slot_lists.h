#pragma once
// Doubly linked lists threaded through index arrays: the queues of the eviction policies
// (FIFO, CLOCK, SIEVE, ARC's four lists, S3-FIFO's three queues, SLRU segments). A slot
// number is an object's place in the cache's arrays; indices instead of pointers keep the
// lists compact, and nothing is allocated after the arrays are sized. Front = newest,
// back = oldest.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace loadlab {

class SlotLists {
 public:
  static constexpr std::uint32_t kNil = 0xFFFFFFFFu;
  struct List {
    std::uint32_t front = kNil;  // newest
    std::uint32_t back = kNil;   // oldest
    std::size_t size = 0;
  };

  void resize(std::size_t slots) {
    prev_.assign(slots, kNil);
    next_.assign(slots, kNil);
  }
  // `next` points from newer to older, `prev` from older to newer.
  std::uint32_t older(std::uint32_t s) const { return next_[s]; }
  std::uint32_t newer(std::uint32_t s) const { return prev_[s]; }

  void push_front(List& l, std::uint32_t s) {
    prev_[s] = kNil;
    next_[s] = l.front;
    if (l.front != kNil)
      prev_[l.front] = s;
    else
      l.back = s;
    l.front = s;
    ++l.size;
  }
  void unlink(List& l, std::uint32_t s) {
    if (prev_[s] != kNil)
      next_[prev_[s]] = next_[s];
    else
      l.front = next_[s];
    if (next_[s] != kNil)
      prev_[next_[s]] = prev_[s];
    else
      l.back = prev_[s];
    --l.size;
  }
  void move_to_front(List& from, List& to, std::uint32_t s) {
    unlink(from, s);
    push_front(to, s);
  }

 private:
  std::vector<std::uint32_t> prev_, next_;
};

// Free slot numbers of a fixed-size pool.
class SlotPool {
 public:
  void reset(std::size_t slots) {
    free_.clear();
    free_.reserve(slots);
    for (std::size_t s = slots; s-- > 0;) free_.push_back(static_cast<std::uint32_t>(s));
  }
  std::uint32_t take() {
    const std::uint32_t s = free_.back();
    free_.pop_back();
    return s;
  }
  void give(std::uint32_t s) { free_.push_back(s); }
  bool empty() const { return free_.empty(); }

 private:
  std::vector<std::uint32_t> free_;
};

}  // namespace loadlab
