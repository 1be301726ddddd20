#include "jrads/sensors/sensor_site.hpp"

#include <cmath>

#include "jrads/core/units.hpp"

namespace jrads::sensors {

Geodetic resolve_antenna(const AntennaSite& site, const world::ElevationGrid& terrain) noexcept {
  const double lon_deg = wrap_180(site.lon_deg);
  return Geodetic{site.lat_deg, lon_deg, terrain.height_m(site.lat_deg, lon_deg) + site.height_agl_m};
}

double wrap_360(double deg) noexcept {
  double a = std::fmod(deg, 360.0);
  if (a < 0.0) a += 360.0;
  // fmod of a tiny negative number plus 360 rounds to exactly 360.
  return a >= 360.0 ? 0.0 : a;
}

double wrap_180(double deg) noexcept {
  // Exact (no change) for angles already in range, unlike a shift by 180 and back.
  const double a = deg - 360.0 * std::floor((deg + 180.0) / 360.0);
  return a >= 180.0 ? a - 360.0 : (a < -180.0 ? a + 360.0 : a);  // rounding at the edges
}

double azimuth_deg_of(const Enu& p) noexcept {
  // atan2 gives (-180, 180]: one branch instead of fmod. -tiny + 360 rounds to 360.
  double az = units::deg_from_rad(std::atan2(p.e_m, p.n_m));
  if (az < 0.0) az += 360.0;
  return az >= 360.0 ? 0.0 : az;
}

Polar polar_from_enu(const Enu& p) noexcept {
  // sqrt rather than hypot: no overflow is possible at these magnitudes and glibc's hypot is
  // several times slower, which shows in per-target loops.
  const double horiz2 = p.e_m * p.e_m + p.n_m * p.n_m;
  const double horiz = std::sqrt(horiz2);
  return Polar{std::sqrt(horiz2 + p.u_m * p.u_m), azimuth_deg_of(p), units::deg_from_rad(std::atan2(p.u_m, horiz))};
}

Enu enu_from_polar(const Polar& polar) noexcept {
  const double az = units::rad_from_deg(polar.azimuth_deg);
  const double el = units::rad_from_deg(polar.elevation_deg);
  const double horiz = polar.range_m * std::cos(el);
  return Enu{horiz * std::sin(az), horiz * std::cos(az), polar.range_m * std::sin(el)};
}

SensorSite::SensorSite(const AntennaSite& site, const world::ElevationGrid& terrain, double max_range_m,
                       double k_factor)
    : frame_(resolve_antenna(site, terrain)),
      antenna_ecef_(frame_.origin_ecef().vec()),
      horizon_(frame_.origin(), terrain, HorizonProfileParams{max_range_m, k_factor, 0.25, 0.0}),
      max_range_m_(max_range_m) {}

bool SensorSite::sees(const Enu& pos_enu, double alt_m) const noexcept {
  const double r2 = pos_enu.e_m * pos_enu.e_m + pos_enu.n_m * pos_enu.n_m + pos_enu.u_m * pos_enu.u_m;
  return r2 <= max_range_m_ * max_range_m_ && horizon_.visible(pos_enu, alt_m);
}

}  // namespace jrads::sensors
