#pragma once
// A 2D/3D surveillance radar with a rotating beam (RadarParams).
//
// Per scan and per target in view: the mean SNR follows the radar equation,
//   snr = snr_ref * rcs_m2 * (reference_range_m / range_m)^4,
// where snr_ref makes a 1 m^2 Swerling 1 target at reference_range_m detected with
// reference_pd; the RCS is drawn once per scan (Swerling 0/1/3); targets closer than one
// range and one azimuth resolution cell are merged (the powers add, the report sits at the
// power-weighted centroid, the truth is the strongest); a single complex noise sample decides
// detection against the threshold -ln(pfa) (swerling.hpp). Reports carry Gaussian range /
// azimuth / elevation errors of the stated sigmas, the registration errors, and Poisson clutter.
#include <cstdint>
#include <vector>

#include "jrads/core/id.hpp"
#include "jrads/core/rng.hpp"
#include "jrads/sensors/detection.hpp"
#include "jrads/sensors/rotating_beam.hpp"
#include "jrads/sensors/sensor_params.hpp"
#include "jrads/sensors/sensor_site.hpp"
#include "jrads/world/world.hpp"

namespace jrads::sensors {

class Radar {
 public:
  // Builds the site and its horizon profile. params must satisfy validate() (sensor_params.hpp).
  Radar(RadarParams params, const world::ElevationGrid& terrain);

  [[nodiscard]] const RadarParams& params() const noexcept { return params_; }
  [[nodiscard]] const SensorSite& site() const noexcept { return site_; }
  [[nodiscard]] const RotatingBeam& beam() const noexcept { return beam_; }
  // Mean SNR (power ratio) of a 1 m^2 target at reference_range_m.
  [[nodiscard]] double reference_snr() const noexcept { return snr_ref_; }
  // Mean SNR of a target of mean RCS rcs_m2 at range_m.
  [[nodiscard]] double snr(double rcs_m2, double range_m) const noexcept;
  // Detection threshold on noise-normalised power.
  [[nodiscard]] double threshold() const noexcept { return threshold_; }
  // How far behind the end of a scan its time stamps can go: a period plus a negative clock
  // offset.
  [[nodiscard]] double max_lag_s() const noexcept;

  // Appends the reports of scan k ([k P, (k + 1) P)): targets, then clutter. Needs world
  // history over the scan. Draws from rng in an order fixed by the world alone.
  void scan(std::int64_t k, const world::WorldView& world, SensorIndex self, RngStream& rng,
            std::vector<Detection>& out) const;

 private:
  RadarParams params_;
  SensorSite site_;
  RotatingBeam beam_;
  double snr_ref_ = 0.0;
  double threshold_ = 0.0;
};

}  // namespace jrads::sensors
