#pragma once
// The minimum of n values, kept under point updates, with the first index at or after a
// start that holds it: what least-connections needs to pick in O(log n) with nginx's tie
// order. A complete binary tree in one array (root at 1, leaves at [S, 2S) for S a power of
// two >= n); each inner entry is the smaller of its children, so values compare exactly as
// the caller's doubles do. Values must not be NaN; padding leaves hold +infinity.
#include <cstddef>
#include <limits>
#include <span>
#include <vector>

namespace loadlab {

class MinTree {
 public:
  void assign(std::span<const double> values);
  std::size_t size() const { return size_; }
  double min() const { return v_[1]; }
  double at(std::size_t i) const { return v_[i + leaves_]; }

  void set(std::size_t i, double value) {
    // Every ancestor is recomputed, without a branch: the value travels up in a register and
    // each level only adds its sibling, whose load does not wait on the level below. (Stopping
    // at the first ancestor that comes out the same costs more in mispredictions than it saves.)
    std::size_t p = i + leaves_;
    v_[p] = value;
    while (p > 1) {
      const double sibling = v_[p ^ 1];
      value = sibling < value ? sibling : value;
      p >>= 1;
      v_[p] = value;
    }
  }

  // The first index in start, start + 1, ..., size − 1, 0, ..., start − 1 whose value equals
  // `value` (normally min()); the caller guarantees one exists.
  std::size_t first_equal_from(std::size_t start, double value) const {
    std::size_t p = start + leaves_;
    if (v_[p] == value) return start;
    // Walking up from the start, each right sibling covers the next indices after the part
    // already seen; the first one holding the value has the answer at its leftmost such leaf.
    while (p > 1 && ((p & 1) != 0 || v_[p + 1] != value)) p >>= 1;
    p = p > 1 ? p + 1 : 1;  // none after the start: the leftmost of all
    while (p < leaves_) {
      p <<= 1;
      p += v_[p] != value;
    }
    return p - leaves_;
  }

 private:
  std::size_t size_ = 0;
  std::size_t leaves_ = 1;
  std::vector<double> v_ = std::vector<double>(2, std::numeric_limits<double>::infinity());
};

}  // namespace loadlab
