#pragma once
// What a sensor reports: one row of detections.csv (FORMATS.md). truth_index is kept beside
// the report for detections_truth.csv and tests only; the picture never sees it.
#include <cstdint>

#include "jrads/security/item_label.hpp"
#include "jrads/core/geodesy.hpp"
#include "jrads/core/id.hpp"
#include "jrads/core/sim_time.hpp"

namespace jrads::sensors {

enum class SensorType : std::uint8_t { radar, iff, adsb };
[[nodiscard]] const char* to_string(SensorType t) noexcept;  // "radar", "iff", "adsb"

enum class IffReply : std::uint8_t {
  none,         // no valid reply (garbled): the iff field is empty
  mode5_valid,  // a valid Mode 5 reply
  mode3,        // a Mode 3/A code, in squawk
};

struct Detection {
  SimTime time;              // as stamped by the sensor (includes its clock offset)
  SensorIndex sensor;
  SensorType type = SensorType::radar;
  // radar / iff: polar measurement in the sensor's local ENU frame.
  double range_m = 0.0, azimuth_deg = 0.0, elevation_deg = 0.0;
  double sigma_range_m = 0.0, sigma_azimuth_deg = 0.0, sigma_elevation_deg = 0.0;
  // adsb: reported position.
  Geodetic pos;
  double sigma_pos_m = 0.0;
  bool has_icao = false;
  std::uint32_t icao = 0;
  bool has_squawk = false;
  std::uint16_t squawk = 0;  // octal digits read as decimal (7000)
  IffReply iff = IffReply::none;
  std::int32_t truth_index = -1;  // platform index, or -1 for clutter / false reports
  security::ItemLabel label;       // its sensor's (SensorParams::label)
};

}  // namespace jrads::sensors
