#include "theory/key_movement.h"

#include <algorithm>
#include <vector>

#include "balancers/balancer_registry.h"
#include "metrics/imbalance.h"

namespace loadlab {

namespace {
std::vector<std::uint32_t> owners(Balancer& b, std::uint64_t keys) {
  std::vector<std::uint32_t> out(keys);
  for (std::uint64_t k = 0; k < keys; ++k) out[k] = static_cast<std::uint32_t>(b.pick(PickContext{k, nullptr}));
  return out;
}

double moved(const std::vector<std::uint32_t>& a, const std::vector<std::uint32_t>& b) {
  std::uint64_t n = 0;
  for (std::size_t k = 0; k < a.size(); ++k) n += a[k] != b[k];
  return static_cast<double>(n) / static_cast<double>(a.size());
}
}  // namespace

std::optional<KeyMovement> measure_key_movement(const std::string& name, const BalancerParams& params,
                                                std::span<const double> weights, std::uint64_t keys) {
  auto balancer = balancers().make(name, BalancerOptions{1, params});
  if (!balancer->key_affine() || keys == 0) return std::nullopt;
  keys = std::min(keys, kMaxMovementKeys);
  std::vector<double> all(weights.begin(), weights.end());
  std::size_t in_rotation = 0, last = 0;
  double total = 0;
  for (std::size_t i = 0; i < all.size(); ++i)
    if (all[i] > 0) ++in_rotation, last = i, total += all[i];
  if (in_rotation < 2) return std::nullopt;

  KeyMovement m;
  m.removed_node = last;
  balancer->set_weights(all);
  const auto before = owners(*balancer, keys);
  std::vector<double> without = all;
  without[last] = 0;
  balancer->set_weights(without);
  const auto after = owners(*balancer, keys);
  m.moved_on_remove = moved(before, after);
  m.ideal_on_remove = all[last] / total;
  // Joining is removal in reverse; measured with a fresh instance so no state carries over.
  auto joining = balancers().make(name, BalancerOptions{1, params});
  joining->set_weights(without);
  const auto old_owners = owners(*joining, keys);
  joining->set_weights(all);
  m.moved_on_add = moved(old_owners, owners(*joining, keys));
  m.ideal_on_add = m.ideal_on_remove;

  std::vector<double> owned(all.size(), 0);
  for (std::uint32_t node : before) owned[node] += 1;
  std::vector<double> per_weight;
  for (std::size_t i = 0; i < all.size(); ++i)
    if (all[i] > 0) per_weight.push_back(balancer->honours_weights() ? owned[i] / all[i] : owned[i]);
  m.ownership_max_mean = imbalance(per_weight).max_mean;
  return m;
}

}  // namespace loadlab
