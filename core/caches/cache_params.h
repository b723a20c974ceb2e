#pragma once
// Tuning for the cache policies that have any, carried as the balancers' BalancerParams are:
// one struct the scenario, the CLI (`--hill-climb`) and cachesim fill, each policy reading
// only its own fields.
namespace loadlab {

struct CacheParams {
  // wtinylfu: adapt the window by Caffeine's hill climber instead of keeping it at 1%.
  bool hill_climb = false;
};

}  // namespace loadlab
