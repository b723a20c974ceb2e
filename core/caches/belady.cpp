#include "caches/belady.h"

#include <queue>

#include "caches/key_index.h"
#include "cachesim/trace.h"

namespace loadlab {

std::uint64_t belady_misses(const std::vector<std::uint64_t>& keys, const std::vector<std::uint64_t>& next,
                            std::size_t capacity) {
  std::uint64_t misses = 0;
  if (capacity == 0) return keys.size();
  // cached key → its next request index; the heap holds (next request, key) and may hold
  // stale entries, recognised because the key's current next request differs.
  KeyIndex slot_of;
  slot_of.reserve(capacity + 1);
  std::vector<std::uint64_t> next_of(capacity + 1);
  std::vector<std::uint32_t> free_slots;
  for (std::size_t s = capacity + 1; s-- > 0;) free_slots.push_back(static_cast<std::uint32_t>(s));
  std::vector<std::uint64_t> key_of(capacity + 1);
  std::priority_queue<std::pair<std::uint64_t, std::uint32_t>> farthest;  // (next, slot)
  std::size_t size = 0;
  auto valid = [&](const std::pair<std::uint64_t, std::uint32_t>& e) {
    return slot_of.find(key_of[e.second]) == e.second && next_of[e.second] == e.first;
  };
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const std::uint64_t k = keys[i];
    const std::uint32_t s = slot_of.find(k);
    if (s != KeyIndex::kAbsent) {
      next_of[s] = next[i];
      farthest.emplace(next[i], s);
      continue;
    }
    ++misses;
    if (size == capacity) {
      while (!valid(farthest.top())) farthest.pop();
      if (farthest.top().first <= next[i]) continue;  // the newcomer is needed last: bypass
      const std::uint32_t victim = farthest.top().second;
      farthest.pop();
      slot_of.erase(key_of[victim]);
      free_slots.push_back(victim);
      --size;
    }
    const std::uint32_t n = free_slots.back();
    free_slots.pop_back();
    key_of[n] = k;
    next_of[n] = next[i];
    slot_of.insert(k, n);
    farthest.emplace(next[i], n);
    ++size;
    // Keep the heap from growing without bound on long traces: rebuild from live entries.
    if (farthest.size() > 8 * (capacity + 1)) {
      std::priority_queue<std::pair<std::uint64_t, std::uint32_t>> fresh;
      while (!farthest.empty()) {
        if (valid(farthest.top())) fresh.push(farthest.top());
        farthest.pop();
      }
      farthest.swap(fresh);
    }
  }
  return misses;
}

}  // namespace loadlab
