#pragma once
// What theory predicts, to draw beside what was measured.
#include <cstdint>
#include <span>
#include <vector>

#include "balancers/balancer.h"
#include "workload/key_distribution.h"

namespace loadlab {

// Expected share of requests per node: T_i / T = w_i / Σw for weighted policies, 1/n over
// the nodes with weight > 0 for equal ones, NaN where the share depends on load or keys.
std::vector<double> expected_shares(ShareModel model, std::span<const double> weights);

// For policies whose node depends on the key alone (hashing): node i's expected share is the
// total probability of the keys it owns, Σ_{k → i} P(k), so a hot key shows up in theory as
// well as in the measurement. `balancer` must have its weights set. All NaN when the key
// space is larger than kMaxKeyTheoryKeys (one pick per key would take too long).
std::vector<double> key_owned_shares(Balancer& balancer, const KeyDistribution& keys, std::size_t nodes);
inline constexpr std::uint64_t kMaxKeyTheoryKeys = 1'000'000;

// Mean latency of a node with one slot as an M/G/1 queue (Pollaczek–Khinchine): Poisson
// arrivals at `rate` per second; service is a hit (probability `hit_ratio`) or a miss, each
// fixed or exponential around its mean, divided by the node's speed. W = λE[S²] / (2(1 − ρ)) +
// E[S], with ρ = λE[S]; the M/M/1 formula S / (1 − ρ) is the exponential special case. NaN
// when ρ >= 1 (the queue grows without bound).
double mg1_mean_latency_us(double rate, double hit_ratio, double hit_us, double miss_us, bool exponential,
                           double speed);

// Cache hit ratios under the independent reference model, for key probabilities p_i
// (summing to 1) and a cache of C objects:
// - LRU, Che's approximation (Che, Tung & Wang 2002): the characteristic time T solves
//   Σ (1 − e^{−p_i T}) = C, and the hit ratio is Σ p_i (1 − e^{−p_i T}).
// - FIFO and RANDOM (Fricker, Robert & Roberts 2012): T solves Σ p_i T / (1 + p_i T) = C,
//   and the hit ratio is Σ p_i · p_i T / (1 + p_i T).
// Both are 1 when C reaches the number of keys with p_i > 0.
double che_lru_hit_ratio(std::span<const double> probabilities, double capacity);
double fifo_hit_ratio(std::span<const double> probabilities, double capacity);
// The same models over a finite trace in which key i is requested c_i times (p_i = c_i/N):
// the first request of each key is a compulsory miss, the others hit with the model's
// per-key probability. Returns the expected number of misses.
double che_lru_trace_misses(std::span<const std::uint64_t> counts, double capacity);
double fifo_trace_misses(std::span<const std::uint64_t> counts, double capacity);

}  // namespace loadlab
