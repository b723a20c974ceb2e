#include "caches/fifo.h"

namespace loadlab {

bool Fifo::access(std::uint64_t key) {
  if (contains(key)) return true;
  if (capacity_ == 0) return false;
  if (full()) evict(queue_.back);
  insert_newest(key);
  return false;
}

}  // namespace loadlab
