#pragma once
// The sweep preset files as the build embedded them (cmake/embed_sweep_presets.cmake writes
// the definition from resources/sweeps/*.json): name = file name without .json, sorted.
#include <span>
#include <string_view>

namespace loadlab {

struct EmbeddedSweepPreset {
  std::string_view name;
  std::string_view json;
};

std::span<const EmbeddedSweepPreset> embedded_sweep_presets();

}  // namespace loadlab
