#pragma once
// Scenario files: JSON in, JSON out. Reading rejects unknown fields, wrong types and bad
// values with a ScenarioError naming the field, so a typo never becomes a silent default.
#include <filesystem>
#include <string>
#include <string_view>

#include "scenario/scenario.h"

namespace loadlab {

// Relative paths in the scenario (service.file) are resolved against `base_dir`, which
// load_scenario sets to the scenario file's directory; the current directory when empty.
Scenario parse_scenario(std::string_view json_text, const std::filesystem::path& base_dir = {});
Scenario load_scenario(const std::filesystem::path& file);
std::string scenario_to_json(const Scenario& scenario);

}  // namespace loadlab
