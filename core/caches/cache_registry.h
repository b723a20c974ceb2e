#pragma once
// The cache policies users can name (CLI, scenario files, GUI).
#include <cstddef>

#include "base/registry.h"
#include "caches/cache.h"
#include "caches/cache_params.h"

namespace loadlab {

struct CacheOptions {
  std::size_t capacity = 0;  // objects
  CacheParams params{};
};

using CacheRegistry = Registry<Cache, CacheOptions>;
const CacheRegistry& caches();

}  // namespace loadlab
