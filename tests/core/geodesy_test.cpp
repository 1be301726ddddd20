#include "jrads/core/geodesy.hpp"

#include <cmath>

#include <gtest/gtest.h>

#include "jrads/core/rng.hpp"
#include "jrads/core/units.hpp"

namespace jrads {
namespace {

constexpr double a_m = 6378137.0;
constexpr double f = 1.0 / 298.257223563;

// The textbook closed form, written independently of GeographicLib.
Ecef reference_ecef(double lat_deg, double lon_deg, double h_m) {
  const double e2 = f * (2 - f);
  const double lat = units::rad_from_deg(lat_deg), lon = units::rad_from_deg(lon_deg);
  const double n = a_m / std::sqrt(1 - e2 * std::sin(lat) * std::sin(lat));
  return {(n + h_m) * std::cos(lat) * std::cos(lon), (n + h_m) * std::cos(lat) * std::sin(lon),
          (n * (1 - e2) + h_m) * std::sin(lat)};
}

TEST(Geodesy, EcefMatchesClosedFormAtKnownPoints) {
  const Ecef equator = ecef_from_geodetic({0, 0, 0});
  EXPECT_NEAR(equator.x_m, a_m, 1e-6);
  EXPECT_NEAR(equator.y_m, 0, 1e-6);
  const Ecef pole = ecef_from_geodetic({90, 0, 0});
  EXPECT_NEAR(pole.z_m, a_m * (1 - f), 1e-6);
  for (const auto& [lat, lon, h] : {std::tuple{45.0, 20.0, 1000.0}, {-33.9, 151.2, 50.0}, {60.1, -150.0, 11000.0}}) {
    const Ecef got = ecef_from_geodetic({lat, lon, h});
    const Ecef want = reference_ecef(lat, lon, h);
    EXPECT_NEAR(got.x_m, want.x_m, 1e-6);
    EXPECT_NEAR(got.y_m, want.y_m, 1e-6);
    EXPECT_NEAR(got.z_m, want.z_m, 1e-6);
  }
}

TEST(Geodesy, GeodeticEcefRoundTripWithinMicrometres) {
  RngStream rng = Rng(7).stream("geodesy");
  for (int i = 0; i < 2000; ++i) {
    const Geodetic p{rng.uniform(-89.9, 89.9), rng.uniform(-180, 180), rng.uniform(-500, 30000)};
    const Geodetic q = geodetic_from_ecef(ecef_from_geodetic(p));
    EXPECT_NEAR(q.lat_deg, p.lat_deg, 1e-10);
    EXPECT_NEAR(q.lon_deg, p.lon_deg, 1e-10);
    EXPECT_NEAR(q.alt_m, p.alt_m, 1e-6);
  }
}

TEST(Geodesy, LocalFrameAxesPointEastNorthUp) {
  const LocalFrame frame({45.0, 20.0, 500.0});
  const Enu up = frame.enu_from_geodetic({45.0, 20.0, 1500.0});
  EXPECT_NEAR(up.e_m, 0, 1e-6);
  EXPECT_NEAR(up.n_m, 0, 1e-6);
  EXPECT_NEAR(up.u_m, 1000, 1e-6);
  // 0.01 deg north is about 1111 m along the meridian; it drops below the tangent plane.
  const Enu north = frame.enu_from_geodetic({45.01, 20.0, 500.0});
  EXPECT_NEAR(north.e_m, 0, 1e-6);
  EXPECT_NEAR(north.n_m, 1111.5, 1.0);
  EXPECT_LT(north.u_m, 0);
  const Enu east = frame.enu_from_geodetic({45.0, 20.01, 500.0});
  EXPECT_GT(east.e_m, 780);
  // A parallel curves away from the tangent plane's east axis, towards the pole, by about
  // e^2 tan(lat) / (2 N): 4.8 cm at 786 m and 45 deg.
  const double n_m = radii_at(45.0).prime_vertical_m;
  EXPECT_NEAR(east.n_m, east.e_m * east.e_m * std::tan(units::rad_from_deg(45.0)) / (2 * n_m), 1e-3);
}

TEST(Geodesy, LocalFrameRoundTripWithinOneMillimetre) {
  RngStream rng = Rng(11).stream("enu");
  const LocalFrame frame({44.0, 21.0, 300.0});
  for (int i = 0; i < 2000; ++i) {
    const Enu p{rng.uniform(-4e5, 4e5), rng.uniform(-4e5, 4e5), rng.uniform(-1e4, 3e4)};
    const Enu q = frame.enu_from_ecef(frame.ecef_from_enu(p));
    EXPECT_NEAR(q.e_m, p.e_m, 1e-3);
    EXPECT_NEAR(q.n_m, p.n_m, 1e-3);
    EXPECT_NEAR(q.u_m, p.u_m, 1e-3);
  }
}

TEST(Geodesy, GeodesicInverseMatchesGeographicLibDocumentedExample) {
  // GeodSolve's documented example (JFK to LHR region): 40.6 -73.8 -> 51.6 -0.5.
  const GeodesicInverse g = geodesic_inverse(40.6, -73.8, 51.6, -0.5);
  EXPECT_NEAR(g.distance_m, 5551759.400319, 1e-3);
  EXPECT_NEAR(g.azi1_deg, 51.198882845, 1e-8);
  EXPECT_NEAR(g.azi2_deg, 107.821776735, 1e-8);
}

TEST(Geodesy, GeodesicDirectInvertsInverse) {
  RngStream rng = Rng(3).stream("geodesic");
  for (int i = 0; i < 500; ++i) {
    const Geodetic from{rng.uniform(-80, 80), rng.uniform(-180, 180), 0};
    const double azi = rng.uniform(-180, 180);
    const double dist = rng.uniform(1, 2e6);
    const Geodetic to = geodesic_direct(from, azi, dist);
    const GeodesicInverse back = geodesic_inverse(from.lat_deg, from.lon_deg, to.lat_deg, to.lon_deg);
    EXPECT_NEAR(back.distance_m, dist, 1e-6);
    EXPECT_NEAR(std::remainder(back.azi1_deg - azi, 360.0), 0.0, 1e-7);
  }
}

TEST(Geodesy, RadiiOfCurvatureAtEquatorAndPole) {
  const Radii eq = radii_at(0);
  EXPECT_NEAR(eq.prime_vertical_m, a_m, 1e-6);
  EXPECT_NEAR(eq.meridional_m, a_m * (1 - f * (2 - f)), 1e-6);
  const Radii pole = radii_at(90);
  EXPECT_NEAR(pole.meridional_m, pole.prime_vertical_m, 1e-6);
  EXPECT_NEAR(mean_earth_radius_m(), 6371008.771, 1e-3);
}

}  // namespace
}  // namespace jrads
