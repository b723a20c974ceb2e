#pragma once
// The cache interface: one eviction policy per file under caches/, found by name through
// cache_registry.h. Capacity counts objects. A cache belongs to one node and is used only
// from that node's thread.
#include <cstddef>
#include <cstdint>

namespace loadlab {

class Cache {
 public:
  virtual ~Cache() = default;
  // Looks the key up. On a hit updates the policy's state and returns true; on a miss
  // admits the key (evicting as the policy decides) and returns false.
  virtual bool access(std::uint64_t key) = 0;
  // True when the key is cached; changes no state (tests and tools).
  virtual bool contains(std::uint64_t key) const = 0;
  // Shrinking evicts in the policy's own order until the contents fit.
  virtual void set_capacity(std::size_t objects) = 0;
  virtual std::size_t capacity() const = 0;
  virtual std::size_t size() const = 0;
  virtual void clear() = 0;
};

}  // namespace loadlab
