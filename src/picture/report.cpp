#include "jrads/picture/report.hpp"

namespace jrads::picture {

const char* to_string(SensorKind k) noexcept {
  switch (k) {
    case SensorKind::radar: return "radar";
    case SensorKind::iff: return "iff";
    case SensorKind::adsb: return "adsb";
  }
  return "unknown";
}

}  // namespace jrads::picture
