#include "jrads/engage/threat_class.hpp"

namespace jrads::engage {

const char* to_string(ThreatClass c) noexcept {
  switch (c) {
    case ThreatClass::any: return "any";
    case ThreatClass::aircraft: return "aircraft";
    case ThreatClass::cruise_missile: return "cruise_missile";
    case ThreatClass::drone: return "drone";
    case ThreatClass::ballistic_missile: return "ballistic_missile";
  }
  return "?";
}

ThreatClass threat_class_of(picture::Profile profile) noexcept {
  switch (profile) {
    case picture::Profile::missile_like: return ThreatClass::cruise_missile;
    case picture::Profile::drone_like: return ThreatClass::drone;
    case picture::Profile::ordinary:
    case picture::Profile::fast_jet: return ThreatClass::aircraft;
  }
  return ThreatClass::aircraft;
}

}  // namespace jrads::engage
