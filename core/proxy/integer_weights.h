#pragma once
// Proxies take integer weights (HAProxy 0-256, nginx and Envoy from 1); scenario weights are
// real numbers. The shares only depend on the ratios, so weights are scaled by the smallest
// factor that makes all of them whole — 0.5/1.5 becomes 1/3 — and only when no factor up to
// the product's limit does, the ratios can merely be approximated.
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace loadlab {

// Whole weights within `max_weight` as they are; otherwise the exact integer weights with the
// smallest scale, each at most `max_weight`; nullopt when the ratios cannot be kept exactly
// within that limit. Zero stays zero.
std::optional<std::vector<std::uint64_t>> exact_integer_weights(std::span<const double> weights,
                                                                std::uint64_t max_weight);

// Rounded: the largest weight becomes min(max_weight, 1000), the rest in proportion, and a
// positive weight never rounds to zero.
std::vector<std::uint64_t> rounded_integer_weights(std::span<const double> weights, std::uint64_t max_weight);

// The largest relative error of the shares that `integers` give against `weights`.
double share_error(std::span<const double> weights, std::span<const std::uint64_t> integers);

}  // namespace loadlab
