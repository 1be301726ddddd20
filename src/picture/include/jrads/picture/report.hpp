#pragma once
// What the picture sees: sensor sites and their reports, as read from sensors.csv and
// detections.csv (shared/FORMATS.md). The picture never sees truth: these types hold nothing
// that tells a real report from clutter.
#include <cstdint>
#include <string>

#include "jrads/core/geodesy.hpp"
#include "jrads/core/sim_time.hpp"
#include "jrads/security/item_label.hpp"

namespace jrads::picture {

enum class SensorKind : std::uint8_t { radar, iff, adsb };
[[nodiscard]] const char* to_string(SensorKind k) noexcept;  // "radar", "iff", "adsb"

// One row of sensors.csv.
struct SensorSite {
  std::string id;     // "KAL-R1"
  std::string party;  // "KAL"
  SensorKind kind = SensorKind::radar;
  Geodetic pos;       // antenna position, WGS84
  // The label of its reports. sensors.csv carries none: a site read from it has an empty
  // (invalid) label, which every release gate refuses. The run sets it from the scenario.
  security::ItemLabel label;
};

enum class IffCode : std::uint8_t {
  none,         // no valid reply (empty iff field)
  mode5_valid,  // "mode5_valid"
  mode3,        // "mode3:NNNN": the code is in Report::squawk
};

// One row of detections.csv.
struct Report {
  SimTime time;
  std::uint32_t sensor = 0;  // index into the sensor table the reader was given
  SensorKind kind = SensorKind::radar;
  // radar / iff: polar measurement in the sensor's own local ENU frame (azimuth clockwise
  // from north in [0, 360), elevation above the local horizontal), with standard deviations.
  double range_m = 0.0, azimuth_deg = 0.0, elevation_deg = 0.0;
  double sigma_range_m = 0.0, sigma_azimuth_deg = 0.0, sigma_elevation_deg = 0.0;
  // adsb: reported position and its standard deviation (per axis).
  Geodetic pos;
  double sigma_pos_m = 0.0;
  bool has_icao = false;
  std::uint32_t icao = 0;  // 24-bit address
  bool has_squawk = false;
  std::uint16_t squawk = 0;  // Mode 3/A code, its four octal digits read as decimal (7000)
  IffCode iff = IffCode::none;
};

}  // namespace jrads::picture
