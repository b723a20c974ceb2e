#include "caches/cache_registry.h"

#include "caches/arc.h"
#include "caches/clock.h"
#include "caches/fifo.h"
#include "caches/lfu.h"
#include "caches/lru.h"
#include "caches/no_cache.h"
#include "caches/s3fifo.h"
#include "caches/sieve.h"
#include "caches/w_tiny_lfu.h"
#include "caches/w_tiny_lfu_libcachesim.h"

namespace loadlab {

const CacheRegistry& caches() {
  static const CacheRegistry registry(
      "cache policy", {
                          {"none", "no cache: every request pays the miss (backing store) time",
                           [](const CacheOptions&) { return std::make_unique<NoCache>(); }},
                          {"lru", "evicts the least recently used object",
                           [](const CacheOptions& o) { return std::make_unique<Lru>(o.capacity); }},
                          {"fifo", "evicts the object that entered first; hits change nothing",
                           [](const CacheOptions& o) { return std::make_unique<Fifo>(o.capacity); }},
                          {"clock", "FIFO with a reference bit: a hit earns one second chance",
                           [](const CacheOptions& o) { return std::make_unique<Clock>(o.capacity); }},
                          {"sieve", "one FIFO and a hand that skips visited objects without moving them (NSDI'24)",
                           [](const CacheOptions& o) { return std::make_unique<Sieve>(o.capacity); }},
                          {"lfu", "evicts the least frequently used; ties by who reached the count first",
                           [](const CacheOptions& o) { return std::make_unique<Lfu>(o.capacity); }},
                          {"arc", "Adaptive Replacement Cache: balances recency and frequency with ghost lists",
                           [](const CacheOptions& o) { return std::make_unique<Arc>(o.capacity); }},
                          {"s3fifo", "small, main and ghost FIFO queues that filter one-hit wonders (SOSP'23)",
                           [](const CacheOptions& o) { return std::make_unique<S3Fifo>(o.capacity); }},
                          {"wtinylfu",
                           "W-TinyLFU exact to Caffeine: 1% LRU window, SLRU main (80% protected), Caffeine's 4-bit "
                           "sketch, seeded random admission of warm candidates; --hill-climb (scenario "
                           "cache.hill_climb) adapts the window by Caffeine's hill climber",
                           [](const CacheOptions& o) {
                             return std::make_unique<WTinyLfu>(o.capacity, WTinyLfu::kDefaultSeed, o.params.hill_climb);
                           }},
                          {"wtinylfu-libcachesim",
                           "libCacheSim's WTinyLFU to the miss (not Caffeine's): 1% window, SLRU 1:4 main, counting "
                           "Bloom filter of misses and main hits; admits nothing below 100 objects",
                           [](const CacheOptions& o) { return std::make_unique<WTinyLfuLibCacheSim>(o.capacity); }},
                      });
  return registry;
}

}  // namespace loadlab
