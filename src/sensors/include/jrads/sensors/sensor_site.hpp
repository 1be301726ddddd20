#pragma once
// Where a sensor's antenna stands, its local frame, and what it can see (terrain masking), plus
// the polar measurement geometry shared by radar and IFF.
#include <Eigen/Core>

#include "jrads/core/geodesy.hpp"
#include "jrads/sensors/horizon_profile.hpp"
#include "jrads/sensors/sensor_params.hpp"
#include "jrads/world/terrain.hpp"

namespace jrads::sensors {

// The antenna position: height_agl_m above the terrain at (lat, lon), the longitude wrapped
// into [-180, 180).
[[nodiscard]] Geodetic resolve_antenna(const AntennaSite& site, const world::ElevationGrid& terrain) noexcept;

// A geometric polar measurement in a local ENU frame: range along the straight line of sight,
// azimuth clockwise from north in [0, 360), elevation above the local horizontal in [-90, 90].
struct Polar {
  double range_m = 0.0;
  double azimuth_deg = 0.0;
  double elevation_deg = 0.0;
};
[[nodiscard]] Polar polar_from_enu(const Enu& pos_enu) noexcept;
// The azimuth part alone (one atan2).
[[nodiscard]] double azimuth_deg_of(const Enu& pos_enu) noexcept;
[[nodiscard]] Enu enu_from_polar(const Polar& polar) noexcept;
// An angle in degrees wrapped into [0, 360).
[[nodiscard]] double wrap_360(double deg) noexcept;
// An angle in degrees wrapped into [-180, 180): azimuth differences, and longitudes (the form
// the horizon profile and the terrain lookups use).
[[nodiscard]] double wrap_180(double deg) noexcept;

class SensorSite {
 public:
  // Resolves the antenna and builds its horizon profile out to max_range_m.
  SensorSite(const AntennaSite& site, const world::ElevationGrid& terrain, double max_range_m, double k_factor);

  [[nodiscard]] const Geodetic& antenna() const noexcept { return frame_.origin(); }
  [[nodiscard]] const LocalFrame& frame() const noexcept { return frame_; }
  [[nodiscard]] const Eigen::Vector3d& antenna_ecef() const noexcept { return antenna_ecef_; }
  [[nodiscard]] const HorizonProfile& horizon() const noexcept { return horizon_; }
  [[nodiscard]] double max_range_m() const noexcept { return max_range_m_; }

  // Squared straight-line distance from the antenna: the cheap first cull (no trigonometry).
  [[nodiscard]] double distance2_m2(const Ecef& pos_ecef) const noexcept {
    return (pos_ecef.vec() - antenna_ecef_).squaredNorm();
  }
  // Within max_range_m and not masked by terrain or the earth's bulge. alt_m is the point's
  // height above the ellipsoid (which the caller already has: no geodetic conversion here).
  [[nodiscard]] bool sees(const Enu& pos_enu, double alt_m) const noexcept;

 private:
  LocalFrame frame_;
  Eigen::Vector3d antenna_ecef_;
  HorizonProfile horizon_;
  double max_range_m_;
};

}  // namespace jrads::sensors
