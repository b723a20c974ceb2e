#pragma once
#include "caches/cache.h"

namespace loadlab {

// `none`: every request goes to the backing store.
class NoCache final : public Cache {
 public:
  bool access(std::uint64_t) override { return false; }
  bool contains(std::uint64_t) const override { return false; }
  void set_capacity(std::size_t) override {}
  std::size_t capacity() const override { return 0; }
  std::size_t size() const override { return 0; }
  void clear() override {}
};

}  // namespace loadlab
