#include "jrads/scenario/kind_defaults.hpp"

namespace jrads::scenario {

// Notional round numbers for generic classes of platform; docs/SCENARIO.md repeats them.
KindDefaults kind_defaults(world::PlatformKind kind) noexcept {
  using world::PlatformKind;
  switch (kind) {
    case PlatformKind::airliner: return {{3.0, 15.0, 1.5}, 20.0, 1, 230.0};
    case PlatformKind::business_jet: return {{4.0, 20.0, 2.0}, 10.0, 1, 210.0};
    case PlatformKind::light_aircraft: return {{6.0, 4.0, 1.0}, 3.0, 1, 60.0};
    case PlatformKind::fighter: return {{15.0, 150.0, 8.0}, 5.0, 1, 250.0};
    case PlatformKind::transport: return {{3.0, 10.0, 1.0}, 25.0, 1, 160.0};
    case PlatformKind::helicopter: return {{10.0, 8.0, 2.0}, 10.0, 1, 60.0};
    case PlatformKind::cruise_missile: return {{5.0, 30.0, 3.0}, -10.0, 3, 250.0};
    case PlatformKind::drone: return {{10.0, 5.0, 1.0}, -15.0, 3, 40.0};
  }
  return {};
}

}  // namespace jrads::scenario
