#include "jrads/core/geodesy.hpp"

#include <cmath>

#include <GeographicLib/Constants.hpp>
#include <GeographicLib/Geocentric.hpp>
#include <GeographicLib/Geodesic.hpp>

#include "jrads/core/units.hpp"

namespace jrads {

Ecef ecef_from_geodetic(const Geodetic& p) noexcept {
  Ecef out;
  GeographicLib::Geocentric::WGS84().Forward(p.lat_deg, p.lon_deg, p.alt_m, out.x_m, out.y_m, out.z_m);
  return out;
}

Geodetic geodetic_from_ecef(const Ecef& p) noexcept {
  Geodetic out;
  GeographicLib::Geocentric::WGS84().Reverse(p.x_m, p.y_m, p.z_m, out.lat_deg, out.lon_deg, out.alt_m);
  return out;
}

Eigen::Matrix3d rot_enu_from_ecef(double lat_deg, double lon_deg) noexcept {
  const double lat = units::rad_from_deg(lat_deg);
  const double lon = units::rad_from_deg(lon_deg);
  const double sl = std::sin(lat), cl = std::cos(lat), so = std::sin(lon), co = std::cos(lon);
  Eigen::Matrix3d r;
  r << -so, co, 0.0,             //
      -sl * co, -sl * so, cl,    //
      cl * co, cl * so, sl;
  return r;
}

LocalFrame::LocalFrame(const Geodetic& origin) noexcept
    : origin_(origin),
      origin_ecef_(ecef_from_geodetic(origin)),
      rot_enu_from_ecef_(rot_enu_from_ecef(origin.lat_deg, origin.lon_deg)) {}

Enu LocalFrame::enu_from_ecef(const Ecef& pos_ecef) const noexcept {
  return Enu::from(rot_enu_from_ecef_ * (pos_ecef.vec() - origin_ecef_.vec()));
}

Ecef LocalFrame::ecef_from_enu(const Enu& pos_enu) const noexcept {
  return Ecef::from(rot_enu_from_ecef_.transpose() * pos_enu.vec() + origin_ecef_.vec());
}

Eigen::Vector3d LocalFrame::enu_from_ecef_vec(const Eigen::Vector3d& v_ecef) const noexcept {
  return rot_enu_from_ecef_ * v_ecef;
}

Eigen::Vector3d LocalFrame::ecef_from_enu_vec(const Eigen::Vector3d& v_enu) const noexcept {
  return rot_enu_from_ecef_.transpose() * v_enu;
}

Enu LocalFrame::enu_from_geodetic(const Geodetic& p) const noexcept { return enu_from_ecef(ecef_from_geodetic(p)); }

Geodetic LocalFrame::geodetic_from_enu(const Enu& p) const noexcept { return geodetic_from_ecef(ecef_from_enu(p)); }

GeodesicInverse geodesic_inverse(double lat1_deg, double lon1_deg, double lat2_deg, double lon2_deg) noexcept {
  GeodesicInverse out;
  GeographicLib::Geodesic::WGS84().Inverse(lat1_deg, lon1_deg, lat2_deg, lon2_deg, out.distance_m, out.azi1_deg,
                                           out.azi2_deg);
  return out;
}

Geodetic geodesic_direct(const Geodetic& from, double azi_deg, double distance_m) noexcept {
  Geodetic out{0.0, 0.0, from.alt_m};
  GeographicLib::Geodesic::WGS84().Direct(from.lat_deg, from.lon_deg, azi_deg, distance_m, out.lat_deg,
                                          out.lon_deg);
  return out;
}

Radii radii_at(double lat_deg) noexcept {
  const double a = GeographicLib::Constants::WGS84_a();
  const double f = GeographicLib::Constants::WGS84_f();
  const double e2 = f * (2.0 - f);
  const double s = std::sin(units::rad_from_deg(lat_deg));
  const double w = std::sqrt(1.0 - e2 * s * s);
  return Radii{a * (1.0 - e2) / (w * w * w), a / w};
}

double mean_earth_radius_m() noexcept {
  const double a = GeographicLib::Constants::WGS84_a();
  const double b = a * (1.0 - GeographicLib::Constants::WGS84_f());
  return (2.0 * a + b) / 3.0;
}

}  // namespace jrads
