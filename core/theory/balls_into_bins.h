#pragma once
// The most requests any node holds when n requests land on n nodes at once (n balls into n
// bins), to leading order as n grows (Azar, Broder, Karlin & Upfal, "Balanced allocations",
// SIAM J. Comput. 1999):
//   each to a node chosen at random:                 ln n / ln ln n
//   each to the least loaded of d random nodes (d>=2): ln ln n / ln d
// Leading order only: the exact maximum is larger by terms that shrink slowly (at n = 1,000
// random gives about 5 against the formula's 3.6; two choices about 3 against 2.8), but the
// shapes are the lesson: one grows without bound, the other barely moves.
#include <cstddef>

namespace loadlab {

// NaN for n < 3 (ln ln n <= 0 there: the formulas say nothing).
double max_load_one_choice(std::size_t n);
// NaN for n < 3 or d < 2.
double max_load_d_choices(std::size_t n, unsigned d);

}  // namespace loadlab
