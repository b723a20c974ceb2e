#pragma once
// Straightforward reference implementations of the eviction policies, written from the
// papers' definitions with std::list and std::unordered_map and no attention to speed. The
// tests replay the same trace through these and through core/caches and require the same
// number of misses, to the request.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <list>
#include <map>
#include <unordered_map>

#include "caches/xxh64.h"

namespace loadlab::test {

using Key = std::uint64_t;

// Front = newest. A list plus a key → iterator map, for every queue below.
struct Queue {
  std::list<Key> items;
  std::unordered_map<Key, std::list<Key>::iterator> where;
  bool has(Key k) const { return where.count(k) != 0; }
  void push_front(Key k) {
    items.push_front(k);
    where[k] = items.begin();
  }
  void erase(Key k) {
    items.erase(where.at(k));
    where.erase(k);
  }
  Key pop_back() {
    const Key k = items.back();
    erase(k);
    return k;
  }
  std::size_t size() const { return items.size(); }
};

struct RefFifo {
  std::size_t c;
  Queue q;
  bool access(Key k) {
    if (q.has(k)) return true;
    if (c == 0) return false;
    if (q.size() == c) q.pop_back();
    q.push_front(k);
    return false;
  }
};

struct RefClock {
  std::size_t c;
  Queue q;
  std::unordered_map<Key, bool> bit;
  bool access(Key k) {
    if (q.has(k)) return bit[k] = true;
    if (c == 0) return false;
    if (q.size() == c) {
      while (bit[q.items.back()]) {
        const Key again = q.pop_back();
        bit[again] = false;
        q.push_front(again);
      }
      bit.erase(q.pop_back());
    }
    q.push_front(k);
    bit[k] = false;
    return false;
  }
};

struct RefSieve {
  explicit RefSieve(std::size_t capacity) : c(capacity), hand(q.end()) {}
  RefSieve(const RefSieve&) = delete;  // `hand` points into this object's own list
  std::size_t c;
  std::list<Key> q;                                                         // front = head (newest)
  std::unordered_map<Key, std::pair<std::list<Key>::iterator, bool>> meta;  // iterator, visited
  std::list<Key>::iterator hand;                                            // end(): start at the tail
  bool access(Key k) {
    if (auto it = meta.find(k); it != meta.end()) return it->second.second = true;
    if (c == 0) return false;
    if (q.size() == c) {
      auto o = hand == q.end() ? std::prev(q.end()) : hand;
      while (meta[*o].second) {
        meta[*o].second = false;
        o = o == q.begin() ? std::prev(q.end()) : std::prev(o);  // toward the head, wrapping
      }
      hand = o == q.begin() ? q.end() : std::prev(o);
      meta.erase(*o);
      q.erase(o);
    }
    q.push_front(k);
    meta[k] = {q.begin(), false};
    return false;
  }
};

struct RefLfu {
  std::size_t c;
  std::unordered_map<Key, std::uint64_t> count;
  std::unordered_map<Key, std::uint64_t> reached_at;  // when the key reached its count
  std::uint64_t clock = 0;
  bool access(Key k) {
    ++clock;
    if (auto it = count.find(k); it != count.end()) {
      ++it->second;
      reached_at[k] = clock;
      return true;
    }
    if (c == 0) return false;
    if (count.size() == c) {
      // The least count, and among those the earliest to reach it: a linear scan.
      Key victim = 0;
      bool first = true;
      for (const auto& [key, n] : count)
        if (first || n < count[victim] || (n == count[victim] && reached_at[key] < reached_at[victim]))
          victim = key, first = false;
      count.erase(victim);
      reached_at.erase(victim);
    }
    count[k] = 1;
    reached_at[k] = clock;
    return false;
  }
};

struct RefArc {
  std::size_t c;
  Queue t1, t2, b1, b2;
  double p = 0;
  void replace(bool in_b2) {
    const double t1s = static_cast<double>(t1.size());
    if (t1.size() >= 1 && ((in_b2 && t1s == p) || t1s > p))
      b1.push_front(t1.pop_back());
    else if (t2.size() >= 1)
      b2.push_front(t2.pop_back());
    else
      b1.push_front(t1.pop_back());
  }
  bool access(Key k) {
    const double cap = static_cast<double>(c);
    if (t1.has(k) || t2.has(k)) {
      (t1.has(k) ? t1 : t2).erase(k);
      t2.push_front(k);
      return true;
    }
    if (c == 0) return false;
    if (b1.has(k)) {
      p = std::min(cap, p + std::max(1.0, static_cast<double>(b2.size()) / static_cast<double>(b1.size())));
      replace(false);
      b1.erase(k);
      t2.push_front(k);
      return false;
    }
    if (b2.has(k)) {
      p = std::max(0.0, p - std::max(1.0, static_cast<double>(b1.size()) / static_cast<double>(b2.size())));
      replace(true);
      b2.erase(k);
      t2.push_front(k);
      return false;
    }
    const std::size_t l1 = t1.size() + b1.size();
    const std::size_t all = l1 + t2.size() + b2.size();
    if (l1 == c) {
      if (t1.size() < c) {
        b1.pop_back();
        replace(false);
      } else {
        t1.pop_back();
      }
    } else if (all >= c) {
      if (all == 2 * c) b2.pop_back();
      replace(false);
    }
    t1.push_front(k);
    return false;
  }
};

struct RefS3Fifo {
  std::size_t c, small_cap, main_cap;
  Queue s, m, g;
  std::unordered_map<Key, int> freq;
  explicit RefS3Fifo(std::size_t capacity)
      : c(capacity),
        small_cap(capacity ? std::max<std::size_t>(1, capacity / 10) : 0),
        main_cap(capacity - small_cap) {}
  void evict() {
    if (m.size() > main_cap || s.size() == 0) {
      while (m.size() > 0) {
        const Key t = m.items.back();
        if (freq[t] >= 1) {
          --freq[t];
          m.erase(t);
          m.push_front(t);
        } else {
          m.erase(t);
          freq.erase(t);
          return;
        }
      }
    } else {
      while (s.size() > 0) {
        const Key t = s.pop_back();
        if (freq[t] >= 2) {
          freq[t] = 0;
          m.push_front(t);
        } else {
          freq.erase(t);
          g.push_front(t);
          if (g.size() > main_cap) g.pop_back();
          return;
        }
      }
    }
  }
  bool access(Key k) {
    if (s.has(k) || m.has(k)) {
      freq[k] = std::min(freq[k] + 1, 3);
      return true;
    }
    if (c == 0) return false;
    const bool ghost = g.has(k);
    if (ghost) g.erase(k);
    while (s.size() + m.size() >= c) evict();
    (ghost ? m : s).push_front(k);
    freq[k] = 0;
    return false;
  }
};

// Caffeine's FrequencySketch written out plainly: counter (slot, nibble) as one small
// integer each, halving counter by counter.
struct RefCaffeineSketch {
  std::vector<std::uint8_t> counter;  // 16 per slot
  std::size_t slots = 0;
  std::uint64_t sample = 0, size = 0;
  bool ready() const { return slots != 0; }
  void init(std::uint64_t maximum_size) {
    const std::uint64_t maximum = std::max<std::uint64_t>(std::min<std::uint64_t>(maximum_size, 0x3FFFFFFF), 256);
    slots = 1;
    while (slots < maximum) slots *= 2;
    counter.assign(16 * slots, 0);
    sample = 10 * maximum;
    size = 0;
  }
  // The four (slot, nibble) places of a key.
  std::array<std::pair<std::size_t, std::size_t>, 4> places(Key k) const {
    std::uint32_t x = static_cast<std::uint32_t>(k) ^ static_cast<std::uint32_t>(k >> 32);  // Long.hashCode
    x ^= x >> 17, x *= 0xed5ad4bbU, x ^= x >> 11, x *= 0xac4c1b51U, x ^= x >> 15;           // spread
    std::uint32_t y = x * 0x31848babU;
    y ^= y >> 14;  // rehash
    const std::size_t block = (x & ((slots >> 3) - 1)) * 8;
    std::array<std::pair<std::size_t, std::size_t>, 4> out{};
    for (std::size_t i = 0; i < 4; ++i) {
      const std::uint32_t h = y >> (8 * i);
      out[i] = {block + 2 * i + (h & 1), (h >> 1) & 15};
    }
    return out;
  }
  unsigned frequency(Key k) const {
    if (!ready()) return 0;
    unsigned f = 15;
    for (auto [slot, nibble] : places(k)) f = std::min<unsigned>(f, counter[slot * 16 + nibble]);
    return f;
  }
  void increment(Key k) {
    if (!ready()) return;
    bool added = false;
    for (auto [slot, nibble] : places(k))
      if (counter[slot * 16 + nibble] < 15) ++counter[slot * 16 + nibble], added = true;
    if (added && ++size == sample) {
      std::uint64_t odd = 0;
      for (auto& c : counter) odd += c & 1, c = static_cast<std::uint8_t>(c / 2);
      size = (size - odd / 4) / 2;
    }
  }
};

// W-TinyLFU as Caffeine's BoundedLocalCache runs it with each access maintained at once.
// With weights of 1 and one access at a time, a miss on a full cache puts the cache over by
// exactly one entry, and evictFromMain reduces to one duel: the entry the window just pushed
// into probation (or, when the window had room, the window's LRU entry) against probation's
// LRU entry — or no duel, when probation holds nothing else. With `climb`, Caffeine's hill
// climber (commit 33127bb) runs after every access: counted samples, a step of 6.25% of the
// maximum (>= 2) that restarts on a 5-point change of the hit rate and decays otherwise, the
// window grown from protected or shrunk into it, at most 1,000 entries moved at a time.
struct RefWTinyLfu {
  std::size_t c, window_cap, protected_cap;
  Queue window, probation, prot;
  RefCaffeineSketch sketch;
  std::uint64_t rng;
  bool climbing;
  std::uint64_t hits = 0, misses = 0;
  double step, previous = 0;
  std::int64_t adjustment = 0;
  explicit RefWTinyLfu(std::size_t capacity, std::uint64_t seed = 0x5EEDCAFEULL, bool climb = false)
      : c(capacity), rng(seed), climbing(climb) {
    window_cap = capacity - static_cast<std::size_t>(0.99 * static_cast<double>(capacity));
    protected_cap = static_cast<std::size_t>(0.8 * static_cast<double>(capacity - window_cap));
    step = std::max(0.0625 * static_cast<double>(capacity), 2.0);
    if (capacity > 512) step = -step;
  }
  std::size_t size() const { return window.size() + probation.size() + prot.size(); }
  std::uint32_t next_random() {  // splitmix64, low 32 bits
    std::uint64_t z = (rng += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return static_cast<std::uint32_t>(z ^ (z >> 31));
  }
  void demote() {
    for (int i = 0; i < 1000 && prot.size() > protected_cap; ++i) probation.push_front(prot.pop_back());
  }
  void judge_sample() {
    if (!sketch.ready()) {
      previous = 0;
      hits = misses = 0;
      return;
    }
    double decay = 0.98;
    std::uint64_t sample = sketch.sample;
    if (c <= 512) {
      const double initial = 0.0625 * static_cast<double>(c);
      const double magnitude = std::max(initial / 4, std::abs(step));
      const double ratio = magnitude == 0 ? 1.0 : std::clamp(initial / magnitude, 1.0, 4.0);
      sample = static_cast<std::uint64_t>(static_cast<double>(sample) * ratio);
      decay = 0.995;
    }
    if (hits + misses < sample) return;
    const double rate = static_cast<double>(hits) / static_cast<double>(hits + misses);
    const double change = rate - previous;
    const double amount = change >= 0 ? step : -step;
    if (std::abs(change) >= 0.05)
      step = std::copysign(std::max(0.0625 * static_cast<double>(c), 2.0), amount);
    else
      step = decay * amount;
    previous = rate;
    adjustment = static_cast<std::int64_t>(amount);
    hits = misses = 0;
  }
  void grow_window() {
    if (protected_cap == 0) return;
    auto quota = std::min<std::int64_t>(adjustment, static_cast<std::int64_t>(protected_cap));
    protected_cap -= static_cast<std::size_t>(quota);
    window_cap += static_cast<std::size_t>(quota);
    demote();
    for (int i = 0; i < 1000 && quota > 0; ++i) {
      Queue& from = probation.size() ? probation : prot;
      if (from.size() == 0) break;
      window.push_front(from.pop_back());
      --quota;
    }
    protected_cap += static_cast<std::size_t>(quota);
    window_cap -= static_cast<std::size_t>(quota);
    adjustment = quota;
  }
  void shrink_window() {
    if (window_cap <= 1) return;
    auto quota = std::min<std::int64_t>(-adjustment, static_cast<std::int64_t>(window_cap - 1));
    protected_cap += static_cast<std::size_t>(quota);
    window_cap -= static_cast<std::size_t>(quota);
    for (int i = 0; i < 1000 && quota > 0 && window.size() > 0; ++i) {
      probation.push_front(window.pop_back());
      --quota;
    }
    protected_cap -= static_cast<std::size_t>(quota);
    window_cap += static_cast<std::size_t>(quota);
    adjustment = -quota;
  }
  void maintain() {
    if (climbing) judge_sample();
    demote();
    if (!climbing) return;
    if (adjustment > 0) grow_window();
    if (adjustment < 0) shrink_window();
  }
  bool access(Key k) {
    if (window.has(k) || probation.has(k) || prot.has(k)) {
      sketch.increment(k);
      if (window.has(k)) {
        window.erase(k);
        window.push_front(k);
      } else if (prot.has(k)) {
        prot.erase(k);
        prot.push_front(k);
      } else {
        probation.erase(k);
        (protected_cap == 0 ? probation : prot).push_front(k);
      }
      ++hits;
      maintain();
      return true;
    }
    if (c == 0) return false;
    window.push_front(k);
    if (size() >= c / 2 && !sketch.ready()) sketch.init(c);
    sketch.increment(k);
    ++misses;
    bool pushed = false;
    Key candidate = 0;
    while (window.size() > window_cap) {
      candidate = window.pop_back();
      probation.push_front(candidate);
      pushed = true;
    }
    if (size() > c) {
      if (!pushed) candidate = window.items.back();
      Queue& home = pushed ? probation : window;
      if (probation.size() == 0) {
        home.erase(candidate);
      } else {
        const Key victim = probation.items.back();
        if (victim == candidate) {
          probation.erase(candidate);
        } else {
          const unsigned cf = sketch.frequency(candidate), vf = sketch.frequency(victim);
          const bool admit = cf > vf || (cf >= 6 && (next_random() & 127) == 0);
          if (admit)
            probation.erase(victim);
          else
            home.erase(candidate);
        }
      }
    }
    maintain();
    return false;
  }
};

// libCacheSim's minimalIncrementCBF, plainly: ten positions (a + i·b) mod n from two XXH64s.
struct RefCbf {
  std::vector<std::uint32_t> counter;
  int hashes;
  explicit RefCbf(std::int64_t entries) {
    const double bpe = -std::log(0.001) / 0.480453013918201;
    hashes = static_cast<int>(std::ceil(0.693147180559945 * bpe));
    int n = static_cast<int>(std::ceil(bpe * static_cast<double>(entries)));
    if (n < hashes) n = 2 * hashes;
    counter.assign(static_cast<std::size_t>(n), 0);
  }
  std::vector<std::size_t> places(Key k) const {
    const auto a = static_cast<std::uint32_t>(xxh64_of_u64(k, 0x12345678));
    const auto b = static_cast<std::uint32_t>(xxh64_of_u64(k, 0x12344321));
    std::vector<std::size_t> out;
    for (std::uint32_t i = 0; i < static_cast<std::uint32_t>(hashes); ++i)
      out.push_back(static_cast<std::uint32_t>(a + i * b) % static_cast<std::uint32_t>(counter.size()));
    return out;
  }
  std::uint32_t estimate(Key k) const {
    std::uint32_t m = ~0u;
    for (std::size_t p : places(k)) m = std::min(m, counter[p]);
    return m;
  }
  void add(Key k) {
    for (std::size_t p : places(k)) ++counter[p];
  }
  void decay() {
    for (auto& x : counter) x /= 2;
  }
};

// libCacheSim's WTinyLFU (window LRU + SLRU "1:4" main + RefCbf), straight from WTinyLFU.c,
// SLRU.c and cache_get_base for objects of size 1.
struct RefWTinyLfuLibCacheSim {
  std::int64_t c, w, m, seg_max[2];
  Queue window, seg[2];
  RefCbf cbf;
  std::int64_t main_hits = 0;
  explicit RefWTinyLfuLibCacheSim(std::size_t capacity)
      : c(static_cast<std::int64_t>(capacity)),
        w(static_cast<std::int64_t>(static_cast<double>(capacity) * 0.01)),
        m(c - w),
        seg_max{static_cast<std::int64_t>(0.2 * static_cast<double>(m)),
                static_cast<std::int64_t>(0.8 * static_cast<double>(m))},
        cbf(m) {}
  std::int64_t main_n() const { return static_cast<std::int64_t>(seg[0].size() + seg[1].size()); }
  Key main_victim() const { return seg[0].size() ? seg[0].items.back() : seg[1].items.back(); }
  void main_evict() { (seg[0].size() ? seg[0] : seg[1]).pop_back(); }
  void main_insert(Key k) {
    for (int i = 0; i < 2; ++i)
      if (static_cast<std::int64_t>(seg[i].size()) + 1 <= seg_max[i]) return seg[i].push_front(k);
    while (main_n() + 1 > m) main_evict();
    seg[0].push_front(k);
  }
  void evict() {
    for (;;) {
      if (window.size() == 0) return main_evict();
      const Key v = window.items.back();
      bool done = false;
      if (main_n() + 1 <= m) {
        window.erase(v);
        main_insert(v);
      } else if (cbf.estimate(v) > cbf.estimate(main_victim())) {
        main_evict();
        window.erase(v);
        main_insert(v);
      } else {
        window.erase(v);
        done = true;
      }
      cbf.add(v);
      if (done) return;
    }
  }
  bool access(Key k) {
    if (window.has(k)) {
      window.erase(k);
      window.push_front(k);
      return true;
    }
    if (seg[0].has(k) || seg[1].has(k)) {
      if (seg[1].has(k)) {
        seg[1].erase(k);
        seg[1].push_front(k);
      } else {
        seg[0].erase(k);
        seg[1].push_front(k);
        while (static_cast<std::int64_t>(seg[1].size()) > seg_max[1]) {
          seg[0].push_front(seg[1].pop_back());
          while (static_cast<std::int64_t>(seg[0].size()) > seg_max[0]) seg[0].pop_back();
        }
      }
      cbf.add(k);
      if (++main_hits >= 32 * m) main_hits = 0, cbf.decay();
      return true;
    }
    if (w < 1 || seg_max[0] < 1) return false;  // WTinyLFU_can_insert
    while (static_cast<std::int64_t>(window.size()) + main_n() + 1 > c) evict();
    window.push_front(k);
    cbf.add(k);
    return false;
  }
};

// Belady's MIN by brute force: on a miss with a full cache, look ahead for every cached key.
struct RefBelady {
  std::size_t c;
  std::vector<Key> trace;
  std::uint64_t misses() {
    std::vector<Key> cached;
    std::uint64_t n = 0;
    for (std::size_t i = 0; i < trace.size(); ++i) {
      if (std::find(cached.begin(), cached.end(), trace[i]) != cached.end()) continue;
      ++n;
      if (c == 0) continue;
      if (cached.size() < c) {
        cached.push_back(trace[i]);
        continue;
      }
      auto next_of = [&](Key k) {
        for (std::size_t j = i + 1; j < trace.size(); ++j)
          if (trace[j] == k) return j;
        return trace.size() + 1;  // never: farther than anything
      };
      std::size_t far = 0, far_next = 0;
      for (std::size_t s = 0; s < cached.size(); ++s)
        if (const std::size_t nx = next_of(cached[s]); nx > far_next) far = s, far_next = nx;
      if (next_of(trace[i]) >= far_next) continue;  // bypass
      cached[far] = trace[i];
    }
    return n;
  }
};

}  // namespace loadlab::test
