#pragma once
// The cache policies users can name (CLI, scenario files, GUI).
#include <cstddef>

#include "base/registry.h"
#include "caches/cache.h"

namespace loadlab {

struct CacheOptions {
  std::size_t capacity = 0;  // objects
};

using CacheRegistry = Registry<Cache, CacheOptions>;
const CacheRegistry& caches();

}  // namespace loadlab
