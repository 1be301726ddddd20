#pragma once
// A mechanically rotating antenna: the beam turns clockwise at a constant rate,
// azimuth(t) = start_azimuth_deg + 360 t / scan_period_s, and scan k covers [k P, (k + 1) P).
// A target is measured at the instant the beam sweeps it, found by iterating on its motion.
#include <cstdint>
#include <optional>

#include "jrads/core/geodesy.hpp"
#include "jrads/core/id.hpp"
#include "jrads/core/sim_time.hpp"
#include "jrads/sensors/sensor_site.hpp"
#include "jrads/world/world.hpp"

namespace jrads::sensors {

class RotatingBeam {
 public:
  // scan_period_s > 0 (kept to the nanosecond); start_azimuth_deg any value.
  RotatingBeam(double scan_period_s, double start_azimuth_deg);

  [[nodiscard]] SimTime period() const noexcept { return SimTime::from_ns(period_ns_); }
  [[nodiscard]] SimTime scan_start(std::int64_t k) const noexcept { return SimTime::from_ns(k * period_ns_); }
  [[nodiscard]] SimTime scan_end(std::int64_t k) const noexcept { return SimTime::from_ns((k + 1) * period_ns_); }
  // The first scan whose end is at or after t (t >= 0 gives k >= 0).
  [[nodiscard]] std::int64_t first_scan_ending_at_or_after(SimTime t) const noexcept;
  // Beam azimuth in [0, 360) at t.
  [[nodiscard]] double azimuth_deg(SimTime t) const noexcept;
  // The instant within scan k, in [scan_start(k), scan_end(k)), at which the beam points at
  // azimuth_deg.
  [[nodiscard]] SimTime crossing_time(std::int64_t k, double azimuth_deg) const noexcept;

 private:
  std::int64_t period_ns_;
  double start_azimuth_deg_;
};

// A platform as the beam of one scan sees it: its state at the crossing instant and its
// geometric position in the sensor's ENU frame.
struct BeamHit {
  world::PlatformState state;
  Enu pos_enu;
  Polar polar;
};

// Where scan k of the beam meets platform i, if the platform exists then and could be within
// reach_m of the site (a cheap ECEF distance test culls everything else before any
// trigonometry). The crossing instant is solved on the target's motion (Newton's method with the
// azimuth rate from its velocity) until the beam is within 0.1 ms of the target's azimuth:
// usually two state queries in all, the cull's and one at the predicted crossing. The hit is the
// target's state at that instant, which must lie in the scan; states are queried only within
// the scan, so the world needs history from scan_start(k) on. A target that slips across the
// scan's start azimuth may be swept twice in one scan (then only one hit is returned) or not at
// all (then none). Terrain and range limits are the caller's.
[[nodiscard]] std::optional<BeamHit> find_beam_hit(const RotatingBeam& beam, std::int64_t k, const SensorSite& site,
                                                   const world::WorldView& world, PlatformIndex i, double reach_m);

}  // namespace jrads::sensors
