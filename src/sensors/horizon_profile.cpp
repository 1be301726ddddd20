#include "jrads/sensors/horizon_profile.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "jrads/core/result.hpp"
#include "jrads/core/units.hpp"

namespace jrads::sensors {
namespace {

// WGS84 defining constants (also in GeographicLib, which core keeps private).
constexpr double wgs84_a_m = 6378137.0;
constexpr double wgs84_f = 1.0 / 298.257223563;

// Latitude and longitude of an ECEF point within a few tens of km of the ellipsoid by Bowring's
// one-step formula (sub-millimetre there): about a third of the cost of the general solution,
// which matters because the profile converts every terrain sample.
void lat_lon_near_surface(double x, double y, double z, double& lat_deg, double& lon_deg) noexcept {
  constexpr double a = wgs84_a_m;
  constexpr double b = a * (1.0 - wgs84_f);
  constexpr double e2 = wgs84_f * (2.0 - wgs84_f);
  constexpr double ep2 = e2 / (1.0 - e2);
  const double r_xy = std::sqrt(x * x + y * y);
  const double za = z * a, pb = r_xy * b;
  const double r = std::sqrt(za * za + pb * pb);
  const double s = za / r, c = pb / r;  // sin and cos of the parametric latitude
  lat_deg = units::deg_from_rad(std::atan2(z + ep2 * b * s * s * s, r_xy - e2 * a * c * c * c));
  lon_deg = units::deg_from_rad(std::atan2(y, x));
}

double grid_spacing_m(const world::ElevationGrid& terrain) noexcept {
  const double mid_lat = 0.5 * (terrain.south_lat_deg() + terrain.north_lat_deg());
  const Radii radii = radii_at(mid_lat);
  const double ns = units::rad_from_deg(terrain.dlat_deg()) * radii.meridional_m;
  const double ew =
      units::rad_from_deg(terrain.dlon_deg()) * radii.prime_vertical_m * std::cos(units::rad_from_deg(mid_lat));
  return std::min(ns, ew);
}

}  // namespace

HorizonProfile::HorizonProfile(const Geodetic& antenna, const world::ElevationGrid& terrain,
                               const HorizonProfileParams& params)
    : antenna_(antenna) {
  JRADS_ASSERT(params.max_range_m > 0.0 && params.k_factor > 0.0 && params.azimuth_bin_deg > 0.0);
  bins_ = std::max(1, static_cast<int>(std::lround(360.0 / params.azimuth_bin_deg)));
  bin_deg_ = 360.0 / bins_;
  earth_m_ = mean_earth_radius_m();
  eff_earth_m_ = params.k_factor * earth_m_;
  if (params.step_m > 0.0) {
    step_m_ = params.step_m;
  } else if (terrain.empty()) {
    step_m_ = 500.0;  // constant terrain: only the smooth-earth horizon, which is flat-topped
  } else {
    step_m_ = std::max(grid_spacing_m(terrain), params.max_range_m / 2000.0);
  }
  const auto samples = static_cast<int>(std::ceil(params.max_range_m / step_m_));

  // Everything that depends only on the distance index is shared by all bins.
  const double h_a = antenna.alt_m;
  std::vector<double> horiz_m(static_cast<std::size_t>(samples)), vert_m(horiz_m.size());
  std::vector<double> cos_eff(horiz_m.size()), sin_eff(horiz_m.size()), dist_m(horiz_m.size());
  for (int i = 0; i < samples; ++i) {
    const auto k = static_cast<std::size_t>(i);
    dist_m[k] = (i + 1) * step_m_;
    // The point on a sphere of radius R tangent below the antenna, in the antenna's ENU frame;
    // its latitude and longitude locate the terrain sample.
    const double theta = dist_m[k] / earth_m_;
    horiz_m[k] = earth_m_ * std::sin(theta);
    vert_m[k] = earth_m_ * (std::cos(theta) - 1.0) - h_a;
    cos_eff[k] = std::cos(dist_m[k] / eff_earth_m_);
    sin_eff[k] = std::sin(dist_m[k] / eff_earth_m_);
  }

  const LocalFrame frame(antenna);
  const Eigen::Vector3d origin = frame.origin_ecef().vec();
  const Eigen::Vector3d up = frame.ecef_from_enu_vec(Eigen::Vector3d(0, 0, 1));
  const double ra = eff_earth_m_ + h_a;
  first_.reserve(static_cast<std::size_t>(bins_) + 1);
  for (int b = 0; b < bins_; ++b) {
    first_.push_back(static_cast<std::uint32_t>(steps_.size()));
    const double az = units::rad_from_deg(bin_center_deg(b));
    const Eigen::Vector3d dir = frame.ecef_from_enu_vec(Eigen::Vector3d(std::sin(az), std::cos(az), 0));
    double running = -std::numeric_limits<double>::infinity();
    // Plain doubles in the inner loop: it runs millions of times per sensor.
    const double ox = origin.x(), oy = origin.y(), oz = origin.z();
    const double dx = dir.x(), dy = dir.y(), dz = dir.z(), ux = up.x(), uy = up.y(), uz = up.z();
    const auto lat_lon_at = [&](std::size_t k, double& lat, double& lon) {
      const double h = horiz_m[k], v = vert_m[k];
      lat_lon_near_surface(ox + h * dx + v * ux, oy + h * dy + v * uy, oz + h * dz + v * uz, lat, lon);
    };
    // Exact positions every knot_every samples, linear in between: over a few km the ray's
    // latitude and longitude bend by about a metre, far below any terrain grid's spacing, and
    // this saves most of the trigonometry.
    constexpr std::size_t knot_every = 8;
    double lat_a = 0.0, lon_a = 0.0, lat_b = 0.0, lon_b = 0.0;
    std::size_t knot_a = 0, knot_b = 0;
    lat_lon_at(0, lat_b, lon_b);
    for (std::size_t k = 0; k < horiz_m.size(); ++k) {
      if (k == knot_b) {
        knot_a = knot_b;
        lat_a = lat_b;
        lon_a = lon_b;
        knot_b = std::min(knot_a + knot_every, horiz_m.size() - 1);
        if (knot_b > knot_a) {
          lat_lon_at(knot_b, lat_b, lon_b);
          lon_b = lon_a + std::remainder(lon_b - lon_a, 360.0);  // no jump across the antimeridian
        }
      }
      const double f = knot_b > knot_a ? static_cast<double>(k - knot_a) / static_cast<double>(knot_b - knot_a) : 0.0;
      const double lat = lat_a + f * (lat_b - lat_a);
      double lon = lon_a + f * (lon_b - lon_a);
      // The interpolation runs on across the antimeridian either way; terrain grids use
      // [-180, 180) (as wrap_180 does; two branches suffice here: |lon| < 540).
      if (lon >= 180.0) {
        lon -= 360.0;
      } else if (lon < -180.0) {
        lon += 360.0;
      }
      const double rp = eff_earth_m_ + terrain.height_m(lat, lon);
      const double t = (rp * cos_eff[k] - ra) / (rp * sin_eff[k]);
      if (t > running) {
        running = t;
        steps_.push_back({static_cast<float>(dist_m[k]), static_cast<float>(t)});
      }
    }
  }
  first_.push_back(static_cast<std::uint32_t>(steps_.size()));
  steps_.shrink_to_fit();
}

int HorizonProfile::bin_of(double azimuth_deg) const noexcept {
  double a = std::fmod(azimuth_deg, 360.0);
  if (a < 0.0) a += 360.0;
  const int b = static_cast<int>(a / bin_deg_);
  return b >= bins_ ? bins_ - 1 : b;  // a = 360 - tiny can round up
}

double HorizonProfile::ground_distance_m(const Enu& pos_enu) const noexcept {
  const double horiz = std::sqrt(pos_enu.e_m * pos_enu.e_m + pos_enu.n_m * pos_enu.n_m);
  const double below = earth_m_ + antenna_.alt_m + pos_enu.u_m;
  // Earth central angles of sensor ranges are small: a short series (relative error < x^8/9,
  // under 5e-12 below x = 0.05, i.e. 300 km) replaces atan2 in the per-target path.
  const double x = horiz / below;
  if (below > 0.0 && x < 0.05) {
    const double x2 = x * x;
    return earth_m_ * x * (1.0 - x2 * (1.0 / 3.0 - x2 * (1.0 / 5.0 - x2 / 7.0)));
  }
  return earth_m_ * std::atan2(horiz, below);
}

double HorizonProfile::tan_elevation(double ground_distance_m, double alt_m) const noexcept {
  const double theta = ground_distance_m / eff_earth_m_;
  double sin_t = 0.0, cos_t = 0.0;
  if (theta < 0.05) {
    // Taylor series, relative error < 1e-14 here; cheaper than sin and cos per target.
    const double t2 = theta * theta;
    sin_t = theta * (1.0 - t2 / 6.0 * (1.0 - t2 / 20.0 * (1.0 - t2 / 42.0)));
    cos_t = 1.0 - t2 / 2.0 * (1.0 - t2 / 12.0 * (1.0 - t2 / 30.0 * (1.0 - t2 / 56.0)));
  } else {
    sin_t = std::sin(theta);
    cos_t = std::cos(theta);
  }
  const double rp = eff_earth_m_ + alt_m;
  const double s = rp * sin_t;
  const double v = rp * cos_t - (eff_earth_m_ + antenna_.alt_m);
  if (s <= 0.0) return v > 0.0 ? std::numeric_limits<double>::infinity() : -std::numeric_limits<double>::infinity();
  return v / s;
}

double HorizonProfile::terrain_tan_elevation(double azimuth_deg, double ground_distance_m) const noexcept {
  const auto b = static_cast<std::size_t>(bin_of(azimuth_deg));
  const Step* lo = steps_.data() + first_[b];
  const Step* hi = steps_.data() + first_[b + 1];
  // The last breakpoint strictly before the point: terrain under or beyond it cannot mask it.
  const auto d = static_cast<float>(ground_distance_m);
  const Step* it = std::lower_bound(lo, hi, d, [](const Step& s, float x) { return s.ground_distance_m < x; });
  if (it == lo) return -std::numeric_limits<double>::infinity();
  return static_cast<double>((it - 1)->tan_elevation);
}

bool HorizonProfile::visible(double azimuth_deg, double ground_distance_m, double alt_m) const noexcept {
  return tan_elevation(ground_distance_m, alt_m) > terrain_tan_elevation(azimuth_deg, ground_distance_m);
}

bool HorizonProfile::visible(const Enu& pos_enu, double alt_m) const noexcept {
  const double az = units::deg_from_rad(std::atan2(pos_enu.e_m, pos_enu.n_m));  // bin_of wraps it
  return visible(az, ground_distance_m(pos_enu), alt_m);
}

}  // namespace jrads::sensors
