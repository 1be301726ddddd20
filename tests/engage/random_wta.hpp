#pragma once
// Random weapon-target assignment problems shared by the engage tests and benchmarks.
#include <cmath>
#include <cstdint>
#include <numbers>
#include <vector>

#include "jrads/core/rng.hpp"
#include "jrads/engage/wta.hpp"

namespace jrads::engage::test {

// Every pair feasible (harder for the exact search): values uniform in [1, 10], p in
// [0.2, 0.9], rounds uniform in [min_rounds, max_rounds], the same channels for every unit.
inline WtaProblem dense_problem(RngStream& rng, int units, int targets, int min_rounds, int max_rounds, int channels) {
  WtaProblem pb;
  pb.n_units = units;
  pb.n_targets = targets;
  for (int j = 0; j < targets; ++j) pb.value.push_back(rng.uniform(1.0, 10.0));
  for (int k = 0; k < units * targets; ++k) pb.p_kill.push_back(rng.uniform(0.2, 0.9));
  for (int i = 0; i < units; ++i) {
    pb.rounds.push_back(min_rounds +
                        static_cast<int>(rng.below(static_cast<std::uint64_t>(max_rounds - min_rounds + 1))));
    pb.channels.push_back(channels);
  }
  return pb;
}

// The benchmark's geographic instances: units and targets in a 200 km square, each unit's
// envelope covering 5-30 % of it with p falling off towards its edge (about 14 % of the pairs
// feasible); rounds 2-4, 2 channels, values uniform in [1, 10]. Stream "bench/engage/wta/sparse"
// of `seed`, so the tests rebuild exactly the benchmark's instances.
inline WtaProblem sparse_instance(int units, int targets, std::uint64_t seed) {
  RngStream rng = Rng(seed).stream("bench/engage/wta/sparse");
  WtaProblem pb;
  pb.n_units = units;
  pb.n_targets = targets;
  constexpr double kSide_m = 200e3;
  std::vector<double> east(static_cast<std::size_t>(targets));
  std::vector<double> north(static_cast<std::size_t>(targets));
  for (int j = 0; j < targets; ++j) {
    east[static_cast<std::size_t>(j)] = rng.uniform(0.0, kSide_m);
    north[static_cast<std::size_t>(j)] = rng.uniform(0.0, kSide_m);
    pb.value.push_back(rng.uniform(1.0, 10.0));
  }
  pb.p_kill.assign(static_cast<std::size_t>(units) * static_cast<std::size_t>(targets), 0.0);
  for (int i = 0; i < units; ++i) {
    const double e_m = rng.uniform(0.0, kSide_m);
    const double n_m = rng.uniform(0.0, kSide_m);
    const double coverage = rng.uniform(0.05, 0.30);
    const double range_m = std::sqrt(coverage * kSide_m * kSide_m / std::numbers::pi);
    const double p_max = rng.uniform(0.6, 0.95);
    for (int j = 0; j < targets; ++j) {
      const double d =
          std::hypot(east[static_cast<std::size_t>(j)] - e_m, north[static_cast<std::size_t>(j)] - n_m) / range_m;
      if (d <= 1.0) {
        pb.p_kill[static_cast<std::size_t>(i) * static_cast<std::size_t>(targets) + static_cast<std::size_t>(j)] =
            p_max * (1.0 - 0.5 * d * d);
      }
    }
    pb.rounds.push_back(2 + static_cast<int>(rng.below(3)));
    pb.channels.push_back(2);
  }
  return pb;
}

}  // namespace jrads::engage::test
