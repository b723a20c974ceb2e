#include "proxy/export_scope.h"

#include <fmt/format.h>

#include "proxy/integer_weights.h"

namespace loadlab {

void check_export_scope(const Scenario& scenario, ExportNotes& notes) {
  validate(scenario);
  if (scenario.partitioning.kind != Partitioning::Kind::none)
    notes.unsupported(
        "partitioning",
        fmt::format("{} sends each request to one server; partitioning '{}' with replication {} "
                    "is the data store's job",
                    notes.product(), to_string(scenario.partitioning.kind), scenario.partitioning.replication),
        "the balancer over all nodes");
  if (scenario.workload.write_fraction > 0)
    notes.note(fmt::format("writes ({:.0f}%) go to one node like reads: replication is not the proxy's",
                           scenario.workload.write_fraction * 100));
  notes.note("each node's speed, slots, cache and service times belong to the backends (loadlab-node), not the proxy");
  if (!scenario.faults.empty())
    notes.note(fmt::format("the scenario's {} scheduled faults happen to the backends, not in this file",
                           scenario.faults.size()));
}

std::vector<std::uint64_t> export_weights(const Scenario& scenario, ExportNotes& notes, std::uint64_t max_weight) {
  std::vector<double> weights;
  weights.reserve(scenario.nodes.size());
  for (const auto& n : scenario.nodes) weights.push_back(n.weight);
  if (auto exact = exact_integer_weights(weights, max_weight)) return *exact;
  auto rounded = rounded_integer_weights(weights, max_weight);
  std::string listed;
  for (std::size_t i = 0; i < weights.size() && i < 6; ++i) listed += fmt::format("{}{}", i ? "/" : "", weights[i]);
  if (weights.size() > 6) listed += "/...";
  notes.unsupported("nodes[].weight",
                    fmt::format("weights {} have no whole-number ratio with {} as the largest (the most {} takes)",
                                listed, max_weight, notes.product()),
                    fmt::format("rounded weights (shares off by up to {:.2f}%)", share_error(weights, rounded) * 100));
  return rounded;
}

bool equal_positive_weights(const Scenario& scenario) {
  double seen = 0;
  for (const auto& n : scenario.nodes) {
    if (n.weight <= 0) continue;
    if (seen == 0) seen = n.weight;
    if (n.weight != seen) return false;
  }
  return true;
}

std::string one_line(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  return out;
}

}  // namespace loadlab
