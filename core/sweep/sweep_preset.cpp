#include "sweep/sweep_preset.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "base/input_file.h"
#include "scenario/scenario_json.h"
#include "sweep/run_metrics.h"
#include "sweep/scenario_parameter.h"
#include "sweep/sweep_parameter.h"
#include "sweep/sweep_preset_data.h"

namespace loadlab {
namespace {

using Json = nlohmann::json;

std::string known_list(const std::vector<std::string>& names) {
  std::string s;
  for (const std::string& n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

const Json& required(const Json& j, const char* field, const std::string& where) {
  const auto it = j.find(field);
  if (it == j.end()) throw ScenarioError(where + ": " + field, "missing");
  return *it;
}

std::string text_field(const Json& j, const char* field, const std::string& where) {
  const Json& v = required(j, field, where);
  if (!v.is_string() || v.get<std::string>().empty())
    throw ScenarioError(where + ": " + field, fmt::format("expected a non-empty string (got {})", v.dump()));
  return v.get<std::string>();
}

const SweepParameter* varied(const SweepDefinition& d, const std::string& name) {
  for (const SweepParameter& p : d.parameters)
    if (p.name == name) return &p;
  return nullptr;
}

std::string varied_names(const SweepDefinition& d) {
  std::vector<std::string> names;
  for (const SweepParameter& p : d.parameters) names.push_back(p.name);
  return known_list(names);
}

void check_metric(const std::string& name, const std::string& where) {
  if (run_metric_index(name) == kRunMetricCount)
    throw ScenarioError(where, fmt::format("unknown metric '{}' (see `loadlab-cli list`)", name));
}

SweepChartHints parse_chart(const Json& j, const SweepDefinition& d, const std::string& where) {
  if (!j.is_object())
    throw ScenarioError(where, "expected an object with x, y and optionally by, theory, target, log_x");
  for (const auto& [key, value] : j.items())
    if (key != "x" && key != "y" && key != "by" && key != "theory" && key != "target" && key != "log_x")
      throw ScenarioError(where + ": " + key, "unknown field (known: x, y, by, theory, target, log_x)");
  SweepChartHints c;
  c.x = text_field(j, "x", where);
  const SweepParameter* x = varied(d, c.x);
  if (!x) throw ScenarioError(where + ": x", fmt::format("'{}' is not varied (varied: {})", c.x, varied_names(d)));
  if (find_sweep_parameter(c.x)->kind == ParameterKind::categorical)
    throw ScenarioError(where + ": x", fmt::format("'{}' is categorical: give it as `by`", c.x));
  c.y = text_field(j, "y", where);
  check_metric(c.y, where + ": y");
  if (j.contains("by")) {
    c.by = text_field(j, "by", where);
    if (!varied(d, *c.by))
      throw ScenarioError(where + ": by", fmt::format("'{}' is not varied (varied: {})", *c.by, varied_names(d)));
    if (*c.by == c.x) throw ScenarioError(where + ": by", "is the x parameter");
  }
  if (j.contains("theory")) {
    c.theory = text_field(j, "theory", where);
    check_metric(*c.theory, where + ": theory");
  }
  if (j.contains("target")) {
    const Json& t = j["target"];
    if (!t.is_number() || !std::isfinite(t.get<double>()))
      throw ScenarioError(where + ": target", fmt::format("expected a number (got {})", t.dump()));
    c.target = t.get<double>();
  }
  if (j.contains("log_x")) {
    if (!j["log_x"].is_boolean()) throw ScenarioError(where + ": log_x", "expected true or false");
    c.log_x = j["log_x"].get<bool>();
    if (c.log_x &&
        std::any_of(x->values.begin(), x->values.end(), [](const ParameterValue& v) { return v.number <= 0; }))
      throw ScenarioError(where + ": log_x", fmt::format("'{}' takes values <= 0", c.x));
  }
  // Every parameter with more than one value is on the chart: another would put several
  // points of one curve at one x.
  for (const SweepParameter& p : d.parameters)
    if (p.values.size() > 1 && p.name != c.x && (!c.by || p.name != *c.by))
      throw ScenarioError(where, fmt::format("varies '{}', which neither x nor by draws", p.name));
  return c;
}

}  // namespace

std::vector<std::string> sweep_preset_names() {
  std::vector<std::string> names;
  for (const EmbeddedSweepPreset& p : embedded_sweep_presets()) names.emplace_back(p.name);
  std::sort(names.begin(), names.end());
  return names;
}

SweepPreset load_sweep_preset(std::string_view name) {
  for (const EmbeddedSweepPreset& p : embedded_sweep_presets())
    if (p.name == name) return parse_sweep_preset(p.json, name, fmt::format("preset {}", name));
  throw ScenarioError("--preset",
                      fmt::format("unknown sweep preset '{}' (known: {})", name, known_list(sweep_preset_names())));
}

SweepPreset parse_sweep_preset(std::string_view json_text, std::string_view name, std::string_view where_view) {
  const std::string where(where_view);
  Json j;
  try {
    j = Json::parse(json_text);
  } catch (const Json::exception& e) {
    throw ScenarioError(where, fmt::format("not valid JSON: {}", e.what()));
  }
  if (!j.is_object()) throw ScenarioError(where, "expected an object with title, lesson, scenario, vary, seeds, chart");
  for (const auto& [key, value] : j.items())
    if (key != "title" && key != "lesson" && key != "scenario" && key != "vary" && key != "seeds" && key != "chart")
      throw ScenarioError(where + ": " + key, "unknown field (known: title, lesson, scenario, vary, seeds, chart)");
  SweepPreset preset;
  preset.name = std::string(name);
  preset.title = text_field(j, "title", where);
  preset.lesson = text_field(j, "lesson", where);

  const Json& scenario = required(j, "scenario", where);
  if (!scenario.is_object()) throw ScenarioError(where + ": scenario", "expected a scenario object");
  try {
    preset.scenario = parse_scenario(scenario.dump());
    validate(preset.scenario);
  } catch (const ScenarioError& e) {
    throw ScenarioError(where + ": scenario", e.what());
  }
  if (preset.scenario.workload.requests == 0 && preset.scenario.workload.duration_s == 0)
    throw ScenarioError(where + ": scenario: workload.requests",
                        "give requests or duration_s: a sweep's runs need an end");

  const Json& vary = required(j, "vary", where);
  if (!vary.is_array() || vary.empty())
    throw ScenarioError(where + ": vary", "expected a list of PARAM=SPEC strings, at least one");
  for (const Json& spec : vary) {
    if (!spec.is_string())
      throw ScenarioError(where + ": vary", fmt::format("expected a string (got {})", spec.dump()));
    try {
      preset.definition.parameters.push_back(parse_sweep_parameter(spec.get<std::string>()));
    } catch (const ScenarioError& e) {
      throw ScenarioError(where + ": vary", e.what());
    }
  }
  const Json& seeds = required(j, "seeds", where);
  if (!seeds.is_number_unsigned() || seeds.get<std::uint64_t>() == 0 || seeds.get<std::uint64_t>() > kMaxSweepSeeds)
    throw ScenarioError(where + ": seeds",
                        fmt::format("expected a whole number from 1 to {} (got {})", kMaxSweepSeeds, seeds.dump()));
  preset.definition.seeds = seeds.get<unsigned>();
  preset.definition.warmup_s = preset.scenario.warmup_s;
  try {
    check_definition(preset.definition);
  } catch (const ScenarioError& e) {
    throw ScenarioError(where, e.what());
  }
  preset.chart = parse_chart(required(j, "chart", where), preset.definition, where + ": chart");
  return preset;
}

SweepPreset load_sweep_preset_file(const std::string& file) {
  if (auto problem = unreadable_file_problem(file)) throw ScenarioError(file, *problem);
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) throw ScenarioError(file, "cannot be read");
  return parse_sweep_preset(text.str(), std::filesystem::path(file).stem().string(), file);
}

}  // namespace loadlab
