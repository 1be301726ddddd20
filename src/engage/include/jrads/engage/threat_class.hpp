#pragma once
// What kind of threat a track is believed to be: the class that delegations, automatic
// engagement and the notional kill probability are stated for. Derived from what the picture
// sees (speed and height profile), never from truth.
#include <cstdint>

#include "jrads/picture/identity.hpp"

namespace jrads::engage {

enum class ThreatClass : std::uint8_t { any, aircraft, cruise_missile, drone, ballistic_missile };
[[nodiscard]] const char* to_string(ThreatClass c) noexcept;

// The class a track's profile suggests: missile-like -> cruise missile, drone-like -> drone,
// anything else (ordinary, fast jet) -> aircraft. Never `any`.
[[nodiscard]] ThreatClass threat_class_of(picture::Profile profile) noexcept;

}  // namespace jrads::engage
