#include "sweep/sweep_definition_file.h"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "base/input_file.h"
#include "scenario/scenario.h"
#include "sweep/sweep_parameter.h"

namespace loadlab {

std::string sweep_definition_to_json(const SweepDefinition& definition) {
  nlohmann::ordered_json j;
  j["vary"] = nlohmann::ordered_json::array();
  for (const SweepParameter& p : definition.parameters) j["vary"].push_back(p.name + "=" + p.spec);
  j["seeds"] = definition.seeds;
  return j.dump(2) + "\n";
}

SweepDefinition load_sweep_definition(const std::filesystem::path& file) {
  const std::string where = file.string();
  if (auto problem = unreadable_file_problem(file)) throw ScenarioError(where, *problem);
  std::ifstream in(file, std::ios::binary);
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw ScenarioError(where, fmt::format("not valid JSON: {}", e.what()));
  }
  if (!j.is_object()) throw ScenarioError(where, "expected an object with \"vary\" and \"seeds\"");
  for (const auto& [key, value] : j.items())
    if (key != "vary" && key != "seeds") throw ScenarioError(where + ": " + key, "unknown field (known: vary, seeds)");
  SweepDefinition definition;
  const auto vary = j.find("vary");
  if (vary == j.end() || !vary->is_array() || vary->empty())
    throw ScenarioError(where + ": vary", "expected a list of PARAM=SPEC strings, at least one");
  for (const auto& spec : *vary) {
    if (!spec.is_string())
      throw ScenarioError(where + ": vary", fmt::format("expected a string (got {})", spec.dump()));
    definition.parameters.push_back(parse_sweep_parameter(spec.get<std::string>()));
  }
  const auto seeds = j.find("seeds");
  if (seeds == j.end() || !seeds->is_number_unsigned() || seeds->get<std::uint64_t>() > kMaxSweepSeeds)
    throw ScenarioError(where + ": seeds", fmt::format("expected a whole number from 1 to {} (got {})", kMaxSweepSeeds,
                                                       seeds == j.end() ? "nothing" : seeds->dump()));
  definition.seeds = seeds->get<unsigned>();
  check_definition(definition);
  return definition;
}

}  // namespace loadlab
