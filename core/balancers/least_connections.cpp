#include "balancers/least_connections.h"

#include <limits>

namespace loadlab {

namespace {
constexpr double kOutOfRotation = std::numeric_limits<double>::infinity();
}

void LeastConnections::set_weights(std::span<const double> weights) {
  weight_.assign(weights.begin(), weights.end());
  eligible_ = 0;
  for (double w : weight_) eligible_ += w > 0;
  if (cursor_ >= weight_.size()) cursor_ = 0;
  tracked_ = nullptr;  // refilled from the view at the next pick
  changed_.assign(weight_.size(), 0);
  changes_ = 0;
  overflowed_ = false;
}

void LeastConnections::on_load_changed(std::size_t node) {
  if (changes_ < changed_.size())
    changed_[changes_++] = static_cast<std::uint32_t>(node);
  else
    overflowed_ = true;
}

std::size_t LeastConnections::scan(const LoadView* view) const {
  const std::size_t n = weight_.size();
  std::size_t best = kNoNode;
  double best_load = 0;
  std::size_t i = cursor_;
  for (std::size_t k = 0; k < n; ++k, i = (i + 1 == n ? 0 : i + 1)) {
    if (weight_[i] <= 0) continue;
    const double in_flight = view ? static_cast<double>(view->in_flight(i)) : 0.0;
    const double load = in_flight / weight_[i];
    if (best == kNoNode || load < best_load) {
      best = i;
      best_load = load;
    }
  }
  return best;
}

void LeastConnections::refill(const LoadView& view) {
  std::vector<double> loads(weight_.size(), kOutOfRotation);
  for (std::size_t i = 0; i < weight_.size(); ++i)
    if (weight_[i] > 0) loads[i] = load(i, view);
  tree_.assign(loads);
  changes_ = 0;
  overflowed_ = false;
  tracked_ = &view;
}

void LeastConnections::apply_changes(const LoadView& view) {
  if (overflowed_) return refill(view);
  for (std::size_t k = 0; k < changes_; ++k) {
    const std::size_t node = changed_[k];
    if (node >= weight_.size() || !(weight_[node] > 0)) continue;
    // A node reported twice, or one whose request finished as soon as it was sent, often has
    // the value it had: leave its path alone.
    const double value = load(node, view);
    if (value != tree_.at(node)) tree_.set(node, value);
  }
  changes_ = 0;
}

std::size_t LeastConnections::advance(std::size_t best) {
  cursor_ = best + 1 == weight_.size() ? 0 : best + 1;
  return best;
}

std::size_t LeastConnections::pick(const PickContext& context) {
  if (eligible_ == 0) return kNoNode;
  const LoadView* view = context.load;
  if (!view) return advance(scan(view));
  if (view == tracked_)
    apply_changes(*view);
  else if (view->reports_load_changes())
    refill(*view);
  else
    return advance(scan(view));
  const double least = tree_.min();
  // Only when every load overflowed to infinity does the tree's minimum fail to tell the
  // nodes in rotation from the rest; the scan settles that rare case.
  if (least == kOutOfRotation) return advance(scan(view));
  return advance(tree_.first_equal_from(cursor_, least));
}

}  // namespace loadlab
