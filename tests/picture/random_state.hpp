#pragma once
// Random filter states for the picture's tests: a symmetric positive definite covariance with
// the scales of a track (metres, m/s, rad/s), from a seeded stream.
#include "jrads/core/rng.hpp"
#include "jrads/picture/filter.hpp"

namespace jrads::picture::test {

inline StateCov random_spd(RngStream& rng) {
  StateCov a;
  for (int i = 0; i < kStateDim; ++i)
    for (int j = 0; j < kStateDim; ++j) a(i, j) = rng.normal();
  const StateVec scale = (StateVec() << 100, 100, 150, 20, 20, 5, 0.02).finished();
  StateCov p = scale.asDiagonal() * (a * a.transpose() + 0.5 * StateCov::Identity()) * scale.asDiagonal();
  return 0.5 * (p + p.transpose());
}

}  // namespace jrads::picture::test
