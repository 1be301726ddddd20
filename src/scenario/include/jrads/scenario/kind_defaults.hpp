#pragma once
// Notional, generic per-kind defaults for platforms whose scenario entry omits them
// (docs/SCENARIO.md, "Platform kinds"). No real type's data.
#include "jrads/world/platform.hpp"

namespace jrads::scenario {

struct KindDefaults {
  world::Performance performance;
  double rcs_dbsm = 10.0;  // mean radar cross-section
  int swerling = 1;        // 0, 1 or 3
  double speed_mps = 200.0;  // cruise true airspeed, used for waypoints that give none
};

[[nodiscard]] KindDefaults kind_defaults(world::PlatformKind kind) noexcept;

}  // namespace jrads::scenario
