#pragma once
// Random weapon-target assignment problems shared by the engage tests and benchmarks.
#include <cstdint>

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

}  // namespace jrads::engage::test
