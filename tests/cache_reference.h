#pragma once
// Straightforward reference implementations of the eviction policies, written from the
// papers' definitions with std::list and std::unordered_map and no attention to speed. The
// tests replay the same trace through these and through core/caches and require the same
// number of misses, to the request.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <list>
#include <map>
#include <unordered_map>

#include "caches/frequency_sketch.h"

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

struct RefWTinyLfu {
  std::size_t c, window_cap, protected_cap;
  Queue window, probation, prot;
  FrequencySketch sketch;
  explicit RefWTinyLfu(std::size_t capacity) : c(capacity) {
    window_cap = capacity ? std::max<std::size_t>(
                                1, static_cast<std::size_t>(std::llround(0.01 * static_cast<double>(capacity))))
                          : 0;
    protected_cap = static_cast<std::size_t>(std::llround(0.8 * static_cast<double>(capacity - window_cap)));
    sketch.reset(capacity);
  }
  bool access(Key k) {
    sketch.increment(k);
    if (window.has(k)) {
      window.erase(k);
      window.push_front(k);
      return true;
    }
    if (probation.has(k)) {
      probation.erase(k);
      prot.push_front(k);
      if (prot.size() > protected_cap) probation.push_front(prot.pop_back());
      return true;
    }
    if (prot.has(k)) {
      prot.erase(k);
      prot.push_front(k);
      return true;
    }
    if (c == 0) return false;
    window.push_front(k);
    if (window.size() > window_cap) {
      const Key candidate = window.pop_back();
      probation.push_front(candidate);
      if (window.size() + probation.size() + prot.size() > c) {
        Key victim = probation.items.back();
        bool victim_protected = false;
        if (victim == candidate) {
          if (prot.size() == 0) {
            probation.erase(candidate);
            return false;
          }
          victim = prot.items.back();
          victim_protected = true;
        }
        if (sketch.estimate(candidate) > sketch.estimate(victim))
          (victim_protected ? prot : probation).erase(victim);
        else
          probation.erase(candidate);
      }
    }
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
