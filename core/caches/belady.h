#pragma once
// `belady`: the offline optimum (Belady's MIN) for objects of equal size. On a miss with a
// full cache it evicts the cached object whose next request lies farthest in the future —
// or does not admit the requested object when that is the farthest (it would be evicted
// before anyone asked for it again). It needs the whole future, so it lives only in the
// trace simulator, as the lower bound every other policy's miss ratio is drawn against.
// The future comes with each request (its next-access time), so MIN replays a stream: an
// oracleGeneral trace carries those times, other traces get them from next_use().
#include <cstdint>
#include <queue>
#include <utility>
#include <vector>

#include "caches/key_index.h"

namespace loadlab {

class Belady {
 public:
  explicit Belady(std::size_t capacity);
  // `next` orders this key's next request among the others' (a request index or a logical
  // time, kNever = ~0 when there is none). True on a hit.
  bool access(std::uint64_t key, std::uint64_t next);

 private:
  using Entry = std::pair<std::uint64_t, std::uint32_t>;  // (next request, slot)
  bool valid(const Entry& e) const;
  void compact();
  std::size_t capacity_;
  // cached key → its slot; the heap holds (next request, slot) and may hold stale entries,
  // recognised because the slot's current next request or key differs.
  KeyIndex slot_of_;
  std::vector<std::uint64_t> next_of_, key_of_;
  std::vector<std::uint32_t> free_slots_;
  std::priority_queue<Entry> farthest_;
  std::size_t size_ = 0;
};

// Misses of MIN over the trace. `next` is next_use(keys) (trace.h).
std::uint64_t belady_misses(const std::vector<std::uint64_t>& keys, const std::vector<std::uint64_t>& next,
                            std::size_t capacity);

}  // namespace loadlab
