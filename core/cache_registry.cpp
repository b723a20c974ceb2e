#include "cache_registry.h"

#include "caches/lru.h"
#include "caches/no_cache.h"

namespace loadlab {

const CacheRegistry& caches() {
  static const CacheRegistry registry("cache policy", {
      {"none", "no cache: every request pays the miss (backing store) time",
       [](const CacheOptions&) { return std::make_unique<NoCache>(); }},
      {"lru", "evicts the least recently used object",
       [](const CacheOptions& o) { return std::make_unique<Lru>(o.capacity); }},
  });
  return registry;
}

}  // namespace loadlab
