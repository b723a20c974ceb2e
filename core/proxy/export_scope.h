#pragma once
// Checks every writer makes first: what no proxy configuration holds. Partitioning and
// replication live in the data store, not in the proxy (a proxy sends each request to one
// server), so they are unexpressible; the workload, the service model and the caches belong
// to the nodes and the clients, so they are only noted.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "proxy/export_notes.h"

namespace loadlab {

void check_export_scope(const Scenario& scenario, ExportNotes& notes);

// The scenario's weights as the product's integers: exact when the ratios allow, else an
// error naming the weights or, with best effort, rounded with the resulting share error noted.
std::vector<std::uint64_t> export_weights(const Scenario& scenario, ExportNotes& notes, std::uint64_t max_weight);

// True when every node has the same weight (zero weights aside): a policy that ignores
// weights then balances as the model does.
bool equal_positive_weights(const Scenario& scenario);

// Text that goes into a "#" comment or a name: control characters (a newline in a scenario
// name would start a directive of its own) become spaces.
std::string one_line(std::string_view text);

}  // namespace loadlab
