#include "theory/theory.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace loadlab {

std::vector<double> expected_shares(ShareModel model, std::span<const double> weights) {
  std::vector<double> shares(weights.size(), std::numeric_limits<double>::quiet_NaN());
  if (model == ShareModel::other) return shares;
  double total = 0;
  std::size_t eligible = 0;
  for (double w : weights) {
    if (w > 0) {
      total += w;
      ++eligible;
    }
  }
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (eligible == 0 || weights[i] <= 0)
      shares[i] = 0;
    else
      shares[i] = model == ShareModel::weighted ? weights[i] / total : 1.0 / static_cast<double>(eligible);
  }
  return shares;
}

std::vector<double> key_owned_shares(Balancer& balancer, const KeyDistribution& keys, std::size_t nodes) {
  std::vector<double> shares(nodes, std::numeric_limits<double>::quiet_NaN());
  const std::uint64_t k_count = keys.popularity().keys;
  if (k_count > kMaxKeyTheoryKeys) return shares;
  std::fill(shares.begin(), shares.end(), 0.0);
  double total = 0;
  for (std::uint64_t k = 0; k < k_count; ++k) {
    const std::size_t node = balancer.pick(PickContext{k, nullptr});
    const double p = keys.probability(k);
    total += p;
    if (node < nodes) shares[node] += p;
  }
  if (total > 0)
    for (double& s : shares) s /= total;  // guards against rounding in the probabilities
  return shares;
}

namespace {

double lru_in_cache(double p, double t) { return -std::expm1(-p * t); }
double fifo_in_cache(double p, double t) { return p * t / (1 + p * t); }

// The characteristic time T with Σ occupancy(p_i, T) = C, by bisection (occupancy grows
// with T); infinity when C holds every key.
template <class Occupancy>
double characteristic_time(std::span<const double> p, double capacity, Occupancy occupancy) {
  std::size_t keys = 0;
  for (double x : p) keys += x > 0;
  if (capacity >= static_cast<double>(keys)) return std::numeric_limits<double>::infinity();
  if (capacity <= 0) return 0;
  auto total = [&](double t) {
    double sum = 0;
    for (double x : p)
      if (x > 0) sum += occupancy(x, t);
    return sum;
  };
  double lo = 0, hi = 1;
  while (total(hi) < capacity) hi *= 2;
  for (int i = 0; i < 100 && hi - lo > 1e-12 * hi; ++i) {
    const double mid = (lo + hi) / 2;
    (total(mid) < capacity ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

template <class Occupancy>
double hit_ratio(std::span<const double> p, double capacity, Occupancy occupancy) {
  const double t = characteristic_time(p, capacity, occupancy);
  if (std::isinf(t)) return 1;
  double ratio = 0;
  for (double x : p)
    if (x > 0) ratio += x * occupancy(x, t);
  return ratio;
}

template <class Occupancy>
double trace_misses(std::span<const std::uint64_t> counts, double capacity, Occupancy occupancy) {
  double n = 0;
  for (std::uint64_t c : counts) n += static_cast<double>(c);
  std::vector<double> p;
  p.reserve(counts.size());
  for (std::uint64_t c : counts) p.push_back(static_cast<double>(c) / n);
  const double t = characteristic_time(p, capacity, occupancy);
  double misses = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    if (counts[i] == 0) continue;
    const double hit = std::isinf(t) ? 1.0 : occupancy(p[i], t);
    misses += 1 + static_cast<double>(counts[i] - 1) * (1 - hit);
  }
  return misses;
}

}  // namespace

double che_lru_hit_ratio(std::span<const double> p, double capacity) { return hit_ratio(p, capacity, lru_in_cache); }
double fifo_hit_ratio(std::span<const double> p, double capacity) { return hit_ratio(p, capacity, fifo_in_cache); }
double che_lru_trace_misses(std::span<const std::uint64_t> counts, double capacity) {
  return trace_misses(counts, capacity, lru_in_cache);
}
double fifo_trace_misses(std::span<const std::uint64_t> counts, double capacity) {
  return trace_misses(counts, capacity, fifo_in_cache);
}

double mg1_mean_latency_us(double rate, double hit_ratio, double hit_us, double miss_us, bool exponential,
                           double speed) {
  const double a = hit_us / speed, b = miss_us / speed;
  const double k = exponential ? 2.0 : 1.0;  // E[X²] = k · E[X]² for each kind of service
  const double s1 = hit_ratio * a + (1 - hit_ratio) * b;
  const double s2 = k * (hit_ratio * a * a + (1 - hit_ratio) * b * b);
  const double lambda = rate / 1e6;  // per microsecond
  const double rho = lambda * s1;
  if (rho >= 1) return std::numeric_limits<double>::quiet_NaN();
  return lambda * s2 / (2 * (1 - rho)) + s1;
}

}  // namespace loadlab
