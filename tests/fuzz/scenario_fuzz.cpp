// libFuzzer target: any bytes given to the scenario parser either parse into a scenario that
// validates, or raise ScenarioError — never a crash, a hang or another exception.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "scenario/scenario.h"
#include "scenario/scenario_json.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const loadlab::Scenario s = loadlab::parse_scenario(text);
    loadlab::validate(s);  // what parsed must be valid
    // And what is written back must parse again to the same thing.
    const loadlab::Scenario again = loadlab::parse_scenario(loadlab::scenario_to_json(s));
    if (again.nodes.size() != s.nodes.size() || again.faults.size() != s.faults.size()) __builtin_trap();
  } catch (const loadlab::ScenarioError&) {
  }
  return 0;
}
