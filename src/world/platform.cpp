#include "jrads/world/platform.hpp"

#include <algorithm>

namespace jrads::world {

double pitch_accel_mps2(const Performance& perf) noexcept {
  constexpr double climb_onset_s = 4.0;
  return std::max(perf.max_accel_mps2, perf.max_climb_mps / climb_onset_s);
}

const char* to_string(Category c) noexcept {
  switch (c) {
    case Category::civil: return "civil";
    case Category::friendly: return "friend";
    case Category::hostile: return "hostile";
  }
  return "civil";
}

const char* to_string(PlatformKind k) noexcept {
  switch (k) {
    case PlatformKind::airliner: return "airliner";
    case PlatformKind::business_jet: return "business_jet";
    case PlatformKind::light_aircraft: return "light_aircraft";
    case PlatformKind::fighter: return "fighter";
    case PlatformKind::transport: return "transport";
    case PlatformKind::helicopter: return "helicopter";
    case PlatformKind::cruise_missile: return "cruise_missile";
    case PlatformKind::drone: return "drone";
  }
  return "airliner";
}

}  // namespace jrads::world
