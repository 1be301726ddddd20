#include "jrads/world/platform.hpp"

namespace jrads::world {

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
