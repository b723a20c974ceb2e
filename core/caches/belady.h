#pragma once
// `belady`: the offline optimum (Belady's MIN) for objects of equal size. On a miss with a
// full cache it evicts the cached object whose next request lies farthest in the future —
// or does not admit the requested object when that is the farthest (it would be evicted
// before anyone asked for it again). It needs the whole future, so it lives only in the
// trace simulator, as the lower bound every other policy's miss ratio is drawn against.
#include <cstdint>
#include <vector>

namespace loadlab {

// Misses of MIN over the trace. `next` is next_use(keys) (trace.h).
std::uint64_t belady_misses(const std::vector<std::uint64_t>& keys, const std::vector<std::uint64_t>& next,
                            std::size_t capacity);

}  // namespace loadlab
