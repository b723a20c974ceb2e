#include "balancers/maglev.h"

#include <algorithm>

#include "base/hash.h"

namespace loadlab {

namespace {
constexpr std::uint32_t kEmpty = 0xFFFFFFFF;
}

void Maglev::set_weights(std::span<const double> weights) {
  if (std::equal(weights.begin(), weights.end(), weights_.begin(), weights_.end()) && !table_.empty()) return;
  weights_.assign(weights.begin(), weights.end());
  table_.clear();

  struct Entry {
    std::size_t node;
    double weight;
    std::uint64_t offset, skip, next = 0, turns = 0;
  };
  const std::uint64_t m = table_size_;
  std::vector<Entry> entries;
  double max_weight = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (weights[i] <= 0) continue;
    entries.push_back({i, weights[i], mix64(i + 1, 0x6d61676c6576ULL) % m, mix64(i + 1, 0x736b6970ULL) % (m - 1) + 1});
    max_weight = std::max(max_weight, weights[i]);
  }
  if (entries.empty()) return;

  std::vector<std::uint32_t> table(m, kEmpty);
  std::uint64_t filled = 0;
  for (std::uint64_t round = 1; filled < m; ++round) {
    for (Entry& e : entries) {
      // Relative tolerance so that w_i = w_max takes a turn in every round despite rounding.
      if (static_cast<double>(e.turns + 1) * max_weight > static_cast<double>(round) * e.weight * (1 + 1e-12)) continue;
      std::uint64_t slot = (e.offset + e.next * e.skip) % m;
      while (table[slot] != kEmpty) {
        ++e.next;
        slot = (e.offset + e.next * e.skip) % m;
      }
      table[slot] = static_cast<std::uint32_t>(e.node);
      ++e.next;
      ++e.turns;
      if (++filled == m) break;
    }
  }
  table_ = std::move(table);
}

std::size_t Maglev::pick(const PickContext& context) {
  if (table_.empty()) return kNoNode;
  return table_[mix64(context.key) % table_.size()];
}

}  // namespace loadlab
