#pragma once
// WGS84 geodesy through GeographicLib: geodetic <-> ECEF <-> local East-North-Up, and
// geodesic distance and azimuth on the ellipsoid. Heights are above the ellipsoid.
#include <array>

#include <Eigen/Core>

namespace jrads {

struct Geodetic {
  double lat_deg = 0.0;  // [-90, 90]
  double lon_deg = 0.0;  // [-180, 180)
  double alt_m = 0.0;    // height above the WGS84 ellipsoid
};

struct Ecef {
  double x_m = 0.0, y_m = 0.0, z_m = 0.0;
  [[nodiscard]] Eigen::Vector3d vec() const noexcept { return {x_m, y_m, z_m}; }
  [[nodiscard]] static Ecef from(const Eigen::Vector3d& v) noexcept { return {v.x(), v.y(), v.z()}; }
};

struct Enu {
  double e_m = 0.0, n_m = 0.0, u_m = 0.0;
  [[nodiscard]] Eigen::Vector3d vec() const noexcept { return {e_m, n_m, u_m}; }
  [[nodiscard]] static Enu from(const Eigen::Vector3d& v) noexcept { return {v.x(), v.y(), v.z()}; }
};

[[nodiscard]] Ecef ecef_from_geodetic(const Geodetic& p) noexcept;
[[nodiscard]] Geodetic geodetic_from_ecef(const Ecef& p) noexcept;

// Rotation taking ECEF vector components to ENU components at a geodetic point.
[[nodiscard]] Eigen::Matrix3d rot_enu_from_ecef(double lat_deg, double lon_deg) noexcept;

// Tangent plane at a fixed origin. Fixed at construction; queries are const and cheap
// (one rotation and one translation, no trigonometry).
class LocalFrame {
 public:
  explicit LocalFrame(const Geodetic& origin) noexcept;
  [[nodiscard]] const Geodetic& origin() const noexcept { return origin_; }
  [[nodiscard]] const Ecef& origin_ecef() const noexcept { return origin_ecef_; }
  [[nodiscard]] Enu enu_from_ecef(const Ecef& pos_ecef) const noexcept;
  [[nodiscard]] Ecef ecef_from_enu(const Enu& pos_enu) const noexcept;
  // Vectors (velocities, differences): rotation only.
  [[nodiscard]] Eigen::Vector3d enu_from_ecef_vec(const Eigen::Vector3d& v_ecef) const noexcept;
  [[nodiscard]] Eigen::Vector3d ecef_from_enu_vec(const Eigen::Vector3d& v_enu) const noexcept;
  [[nodiscard]] Enu enu_from_geodetic(const Geodetic& p) const noexcept;
  [[nodiscard]] Geodetic geodetic_from_enu(const Enu& p) const noexcept;

 private:
  Geodetic origin_;
  Ecef origin_ecef_;
  Eigen::Matrix3d rot_enu_from_ecef_;
};

struct GeodesicInverse {
  double distance_m = 0.0;  // along the ellipsoid surface
  double azi1_deg = 0.0;    // azimuth at the first point, clockwise from north, (-180, 180]
  double azi2_deg = 0.0;    // forward azimuth at the second point
};
// Shortest path between two points on the WGS84 ellipsoid (heights ignored).
[[nodiscard]] GeodesicInverse geodesic_inverse(double lat1_deg, double lon1_deg, double lat2_deg,
                                               double lon2_deg) noexcept;
// Point reached from (lat, lon) going distance_m along azimuth azi_deg; alt_m is copied.
[[nodiscard]] Geodetic geodesic_direct(const Geodetic& from, double azi_deg, double distance_m) noexcept;

// Radii of curvature of the WGS84 ellipsoid at a latitude: meridional (M) and prime vertical (N).
struct Radii {
  double meridional_m = 0.0;
  double prime_vertical_m = 0.0;
};
[[nodiscard]] Radii radii_at(double lat_deg) noexcept;

// WGS84 mean earth radius (R1 = (2a + b) / 3), for spherical approximations such as the
// 4/3-earth refraction model.
[[nodiscard]] double mean_earth_radius_m() noexcept;

}  // namespace jrads
