#pragma once
// Tuning knobs of the balancers that have them. One struct for all, so a scenario file, the
// CLI and the GUI carry them the same way; each policy reads only its own fields.
#include <cstdint>

namespace loadlab {

struct BalancerParams {
  unsigned choices = 2;               // p2c: nodes sampled per pick (Envoy's choice_count)
  double decay_ms = 10'000;           // peak-ewma: time constant of the latency average (Finagle: 10 s)
  unsigned vnodes = 100;              // ring-hash, bounded-load: ring points per unit of weight
  std::uint64_t table_size = 65'537;  // maglev: lookup table entries, a prime (Envoy's default)
  double balance_factor = 1.25;       // bounded-load: no node takes more than this × the mean load
};

// Limits checked by validate(): beyond them a run would take minutes to set up or be meaningless.
inline constexpr unsigned kMaxChoices = 64;
inline constexpr unsigned kMaxVnodes = 10'000;
inline constexpr std::uint64_t kMaxMaglevTableSize = 16'777'259;  // a prime just above 2^24
inline constexpr std::uint64_t kMaxRingPoints = 1ULL << 23;

bool is_prime(std::uint64_t n);

}  // namespace loadlab
