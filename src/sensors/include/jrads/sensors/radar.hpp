#pragma once
// A 2D/3D surveillance radar with a rotating beam (RadarParams).
//
// Per scan and per target in view: the mean SNR follows the radar equation,
//   snr = snr_ref * rcs_m2 * (reference_range_m / range_m)^4,
// where snr_ref makes a 1 m^2 Swerling 1 target at reference_range_m detected with
// reference_pd; the RCS is drawn once per scan (Swerling 0/1/3).
//
// Resolution cells: echoes are taken in beam-time order; an echo joins the first open cell
// whose anchor (the cell's first echo in beam-time order) is less than one range resolution
// and one azimuth resolution (as beam time: azimuth_resolution_deg / 360 * period) away,
// otherwise it opens a cell of its own. Cells do not chain: a line of targets each within a
// cell of the next gives several reports. The time order runs on across scans, so echoes
// either side of the start azimuth share a cell like any others; a cell that may still grow
// at the end of scan k is reported with scan k + 1.
//
// A cell's echoes add as fields: each echo after the anchor gets a uniformly random phase
// relative to it, and the complex sum plus one complex noise sample goes to the square-law
// detector, whose threshold is -ln(pfa) (swerling.hpp). A lone echo draws no phase: its
// statistics are those of the single-target formulas. A detected cell is reported at the
// power-weighted centroid of its echoes, with the truth of the strongest. Reports carry
// Gaussian range / azimuth / elevation errors of the stated sigmas, the registration errors,
// and Poisson clutter.
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
  // Azimuth resolution as beam time (ns): echoes closer than this may share a cell.
  [[nodiscard]] std::int64_t cell_ns() const noexcept { return cell_ns_; }
  // How far back from the end of a scan the world is queried: a period, plus a cell for the
  // cells carried over from the previous scan.
  [[nodiscard]] double max_history_s() const noexcept;
  // How far behind the end of a scan its time stamps can go: the history plus a negative
  // clock offset (a stamp error, which needs no world history).
  [[nodiscard]] double max_lag_s() const noexcept;

  // Appends the reports of scan k ([k P, (k + 1) P)): the cells carried over from scan k - 1,
  // then this scan's cells, then clutter. Cells that may still take echoes of scan k + 1 are
  // kept back for it, so scans must be called in order; a k other than the previous one + 1
  // starts afresh (what was kept back is dropped, as at the end of a run). Needs world
  // history over scan k only. Draws from rng in an order fixed by the world alone.
  void scan(std::int64_t k, const world::WorldView& world, SensorIndex self, RngStream& rng,
            std::vector<Detection>& out);

 private:
  // One target's echo in one scan, before detection.
  struct Echo {
    SimTime time;  // when the beam crossed it
    Polar polar;
    double power = 0.0;  // this scan's fluctuated SNR
    std::int32_t truth = -1;
    std::uint32_t cell = 0;  // its resolution cell
  };

  RadarParams params_;
  SensorSite site_;
  RotatingBeam beam_;
  double snr_ref_ = 0.0;
  double threshold_ = 0.0;
  std::int64_t cell_ns_ = 0;
  std::vector<Echo> pending_;      // the cells kept back for scan pending_scan_, in time order
  std::int64_t pending_scan_ = -1;
};

}  // namespace jrads::sensors
