#pragma once
// A sweep's definition as a file, so another process (a Slurm array task, a Kubernetes pod)
// runs exactly the sweep that was asked for without its --vary specs ever passing through a
// shell:
//   {"vary": ["rate=1000:3000:1000", "balancer=round-robin,p2c"], "seeds": 5}
// Each spec is the text the user gave, parsed again on reading, so both sides enumerate the
// same grid. The warm-up is the scenario's own (warmup_s) and travels with the scenario.
#include <filesystem>
#include <string>

#include "sweep/sweep_definition.h"

namespace loadlab {

std::string sweep_definition_to_json(const SweepDefinition& definition);

// Throws ScenarioError naming the file and the field for a missing or unreadable file, bad
// JSON, an unknown field, a spec that does not parse or a seed count out of range.
SweepDefinition load_sweep_definition(const std::filesystem::path& file);

}  // namespace loadlab
