#pragma once
// What flies: the parameters of one platform (aircraft, missile, drone) as the scenario
// states them. Plain data; the motion model is in motion.hpp.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "jrads/core/geodesy.hpp"

namespace jrads::world {

// The truth category used by identification metrics.
enum class Category : std::uint8_t { civil, friendly, hostile };
[[nodiscard]] const char* to_string(Category c) noexcept;  // "civil", "friend", "hostile"

enum class PlatformKind : std::uint8_t { airliner, business_jet, light_aircraft, fighter, transport, helicopter,
                                          cruise_missile, drone };
[[nodiscard]] const char* to_string(PlatformKind k) noexcept;

struct Waypoint {
  double lat_deg = 0.0;
  double lon_deg = 0.0;
  // Exactly one of alt_m (above the ellipsoid) or agl_m (above the terrain: terrain following).
  std::optional<double> alt_m;
  std::optional<double> agl_m;
  double speed_mps = 200.0;  // commanded true airspeed on the leg towards this waypoint (no wind)
};

// Transponder and broadcast equipment. icao is the 24-bit address; squawk the Mode 3/A code
// as its octal digits read as a decimal number (7000 means code 7000).
struct Transponder {
  std::optional<std::uint32_t> icao;    // 0..0xFFFFFF
  std::optional<std::uint16_t> squawk;  // digits 0-7, four of them
  bool mode3_on = true;                 // replies to Mode 3/A interrogation (when squawk is set)
  bool mode5_equipped = false;
  bool mode5_on = true;                 // a Mode 5 transponder switched off does not reply
  bool adsb_out = false;                // broadcasts ADS-B position about once a second
  int nacp = 9;                         // ADS-B navigation accuracy category (position), 0..11
};

// A hostile broadcasting false ADS-B: a stolen or invented address and a position offset
// from its true one.
struct AdsbSpoof {
  std::uint32_t icao = 0;
  std::optional<std::uint16_t> squawk;
  double offset_east_m = 0.0;
  double offset_north_m = 0.0;
  int nacp = 9;
};

struct Performance {
  double max_turn_rate_dps = 3.0;   // rate-one turn for airliners
  double max_climb_mps = 15.0;      // both climb and descent
  double max_accel_mps2 = 1.5;      // along-track speed change
};

// The normal acceleration (m/s^2) a platform uses to change its flight-path angle (to start or
// end a climb): max(max_accel_mps2, max_climb_mps / 4 s), so that it reaches its maximum
// climb rate from level flight in about 4 s, or less if its along-track limit is larger.
// Fighter defaults (150 m/s, 8 m/s^2): 37.5 m/s^2; airliner (15 m/s, 1.5 m/s^2): 3.75 m/s^2.
// With speed V, flight-path angle gamma and the turn rate omega, the velocity vector then
// changes at most by (max_accel_mps2 + pitch_accel_mps2 + omega V cos(gamma)) per second,
// and the vertical speed by at most (max_accel_mps2 + pitch_accel_mps2) per second.
[[nodiscard]] double pitch_accel_mps2(const Performance& perf) noexcept;

struct PlatformParams {
  std::string id;          // unique; truth_id in the output files
  std::string callsign;    // may be empty
  Category category = Category::civil;
  PlatformKind kind = PlatformKind::airliner;
  double start_time_s = 0.0;  // appears at the first waypoint at this time, flying towards the second
  std::vector<Waypoint> route;  // >= 2 waypoints; the platform leaves the world at the last one
  Performance performance;
  double rcs_dbsm = 10.0;   // mean radar cross-section
  int swerling = 1;         // 0 (steady), 1 or 3 (scan-to-scan fluctuation)
  Transponder transponder;
  std::optional<AdsbSpoof> spoof;
};

}  // namespace jrads::world
