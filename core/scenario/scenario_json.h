#pragma once
// Scenario files: JSON in, JSON out. Reading rejects unknown fields, wrong types and bad
// values with a ScenarioError naming the field, so a typo never becomes a silent default.
#include <filesystem>
#include <string>
#include <string_view>

#include "scenario/scenario.h"

namespace loadlab {

Scenario parse_scenario(std::string_view json_text);
Scenario load_scenario(const std::filesystem::path& file);
std::string scenario_to_json(const Scenario& scenario);

}  // namespace loadlab
