#include "jrads/sensors/detection.hpp"

namespace jrads::sensors {

const char* to_string(SensorType t) noexcept {
  switch (t) {
    case SensorType::radar:
      return "radar";
    case SensorType::iff:
      return "iff";
    case SensorType::adsb:
      return "adsb";
  }
  return "?";
}

}  // namespace jrads::sensors
