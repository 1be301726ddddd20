#pragma once
// Parameters of every sensor kind, as the scenario states them. Defaults are notional and
// generic; units are in the names. docs/SCENARIO.md lists each key with unit and default.
#include <optional>
#include <string>
#include <variant>

#include "jrads/security/item_label.hpp"
#include "jrads/core/geodesy.hpp"
#include "jrads/core/result.hpp"

namespace jrads::sensors {

// Registration errors of a radar, off (zero) by default; the picture must detect them.
struct RegistrationError {
  double azimuth_bias_deg = 0.0;  // north misalignment: added to every measured azimuth
  double range_bias_m = 0.0;      // added to every measured range
  double clock_offset_s = 0.0;    // added to every reported time stamp
};

// Where an antenna stands: the height above the terrain is added to the terrain height at
// (lat, lon) when the sensor is built.
struct AntennaSite {
  double lat_deg = 0.0;  // [-90, 90]
  double lon_deg = 0.0;  // [-180, 180]; 180 is taken as -180
  double height_agl_m = 10.0;
};

struct RadarParams {
  std::string id;
  std::string party;
  security::ItemLabel label;  // of its reports (the scenario sets it; the default is empty: refused at every egress)
  std::string band = "S";          // informational: L, S, C, X ...
  AntennaSite antenna;
  double scan_period_s = 10.0;     // one full 360 deg rotation, clockwise; [0.001, 86400]
  double start_azimuth_deg = 0.0;  // beam azimuth at t = 0
  // Sensitivity: a 1 m^2 Swerling 1 target at this range is detected with probability
  // reference_pd at false-alarm probability pfa. The SNR at other ranges scales as R^-4.
  double reference_range_m = 100000.0;
  double reference_pd = 0.5;
  double pfa = 1e-6;
  double max_range_m = 250000.0;   // instrumented range
  double min_range_m = 500.0;      // blind range
  double min_elevation_deg = -2.0;
  double max_elevation_deg = 60.0;
  double sigma_range_m = 50.0;
  double sigma_azimuth_deg = 0.2;
  double sigma_elevation_deg = 0.5;
  double range_resolution_m = 150.0;    // two targets closer in range AND azimuth give one report
  double azimuth_resolution_deg = 1.5;  // the beamwidth
  double clutter_per_scan = 5.0;        // mean number of false reports per scan (Poisson)
  double k_factor = 4.0 / 3.0;          // effective earth radius factor for refraction
  RegistrationError registration;
};

struct IffParams {
  std::string id;
  std::string party;
  security::ItemLabel label;  // of its reports (the scenario sets it; the default is empty: refused at every egress)
  AntennaSite antenna;
  double scan_period_s = 10.0;
  double start_azimuth_deg = 0.0;
  double max_range_m = 300000.0;
  double p_miss = 0.05;      // a reply that should come does not
  double p_garble = 0.02;    // a reply comes but cannot be decoded (iff field empty)
  double sigma_range_m = 30.0;
  double sigma_azimuth_deg = 0.1;
  double sigma_elevation_deg = 1.0;
  double k_factor = 4.0 / 3.0;
};

struct AdsbReceiverParams {
  std::string id;
  std::string party;
  security::ItemLabel label;  // of its reports (the scenario sets it; the default is empty: refused at every egress)
  AntennaSite antenna;
  double max_range_m = 250000.0;
  double p_receive = 0.95;   // probability a message in range and line of sight is decoded
  double k_factor = 4.0 / 3.0;
};

using SensorParams = std::variant<RadarParams, IffParams, AdsbReceiverParams>;

// Broadcast side of ADS-B, common to every transmitter.
struct AdsbBroadcastParams {
  double mean_interval_s = 1.0;   // position squitters about once a second; [0.001, 86400]
  double jitter_s = 0.1;          // uniform +- jitter on each interval
  double sigma_alt_m = 8.0;       // 1-sigma Gaussian error (m) on the height above the ellipsoid; no quantisation
};

// Checks what the sensor models rely on: every number finite; periods and intervals in
// [0.001, 86400] s (kept in integer ns); positive ranges, min below max; probabilities in
// range, reference_pd above pfa; latitudes in [-90, 90], longitudes in [-180, 180]. The error
// names the sensor id and, in where.path, the offending key ("reference_pd",
// "antenna.lon_deg"). SensorSuite aborts on parameters that fail.
[[nodiscard]] Result<void> validate(const SensorParams& params);
[[nodiscard]] Result<void> validate(const AdsbBroadcastParams& params);

}  // namespace jrads::sensors
