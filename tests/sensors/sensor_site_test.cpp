#include "jrads/sensors/sensor_site.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "jrads/core/rng.hpp"
#include "sensors/fake_world.hpp"

namespace jrads::sensors {
namespace {

TEST(SensorSite, AntennaStandsOnTheTerrain) {
  const world::ElevationGrid g = testing::wall_terrain(45.0, 20.0, 30000.0, 2000.0, 1000.0, 350.0);
  const Geodetic a = resolve_antenna({45.0, 20.0, 12.0}, g);
  EXPECT_DOUBLE_EQ(a.lat_deg, 45.0);
  EXPECT_DOUBLE_EQ(a.lon_deg, 20.0);
  EXPECT_NEAR(a.alt_m, 362.0, 1e-3);
  const SensorSite site({45.0, 20.0, 12.0}, g, 100000.0, 4.0 / 3.0);
  EXPECT_NEAR(site.antenna().alt_m, 362.0, 1e-3);
  EXPECT_NEAR((site.antenna_ecef() - ecef_from_geodetic(a).vec()).norm(), 0.0, 1e-6);
}

TEST(SensorSite, PolarRoundTripsAndFollowsTheConventions) {
  RngStream rng = Rng(1).stream("polar");
  for (int i = 0; i < 500; ++i) {
    const Enu p{rng.uniform(-2e5, 2e5), rng.uniform(-2e5, 2e5), rng.uniform(-2e4, 2e4)};
    const Polar q = polar_from_enu(p);
    EXPECT_GE(q.azimuth_deg, 0.0);
    EXPECT_LT(q.azimuth_deg, 360.0);
    const Enu back = enu_from_polar(q);
    EXPECT_NEAR(back.e_m, p.e_m, 1e-6);
    EXPECT_NEAR(back.n_m, p.n_m, 1e-6);
    EXPECT_NEAR(back.u_m, p.u_m, 1e-6);
  }
  // Clockwise from north: east is 90, west 270; elevation above the horizontal.
  EXPECT_NEAR(polar_from_enu({1000, 0, 0}).azimuth_deg, 90.0, 1e-12);
  EXPECT_NEAR(polar_from_enu({-1000, 0, 0}).azimuth_deg, 270.0, 1e-12);
  EXPECT_NEAR(polar_from_enu({0, 1000, 1000}).elevation_deg, 45.0, 1e-12);
  EXPECT_NEAR(polar_from_enu({0, 3000, 4000}).range_m, 5000.0, 1e-9);
  EXPECT_EQ(wrap_360(-1e-18), 0.0);
  EXPECT_DOUBLE_EQ(wrap_360(-90.0), 270.0);
  EXPECT_DOUBLE_EQ(wrap_360(725.0), 5.0);
}

TEST(SensorSite, SeesWithinRangeAndAboveTheHorizonOnly) {
  const SensorSite site({45.0, 20.0, 10.0}, world::ElevationGrid::constant(0.0), 100000.0, 4.0 / 3.0);
  const auto enu_of = [&](double az, double d, double alt) {
    return site.frame().enu_from_geodetic(testing::point_from(site.antenna(), az, d, alt));
  };
  EXPECT_TRUE(site.sees(enu_of(30, 50000, 3000), 3000));
  EXPECT_TRUE(site.sees(enu_of(30, 99000, 9000), 9000));      // slant range 99.5 km
  EXPECT_FALSE(site.sees(enu_of(30, 99700, 12000), 12000));   // ground 99.7 km, slant 100.5 km
  EXPECT_FALSE(site.sees(enu_of(30, 60000, 50), 50));         // below the radio horizon
  EXPECT_FALSE(site.sees(enu_of(30, 101000, 12000), 12000));  // beyond max range
}

TEST(SensorSite, TheKFactorSetsTheRadioHorizon) {
  // Antenna 10 m, target 300 m: the radio horizon is 84 km for k = 4/3, 73 km for k = 1.
  const SensorSite standard({45.0, 20.0, 10.0}, world::ElevationGrid::constant(0.0), 120000.0, 4.0 / 3.0);
  const SensorSite geometric({45.0, 20.0, 10.0}, world::ElevationGrid::constant(0.0), 120000.0, 1.0);
  for (const double az : {0.0, 135.0, 300.0}) {
    const Geodetic between = testing::point_from(standard.antenna(), az, 78000.0, 300.0);
    const Geodetic inside = testing::point_from(standard.antenna(), az, 70000.0, 300.0);
    const Geodetic beyond = testing::point_from(standard.antenna(), az, 88000.0, 300.0);
    EXPECT_TRUE(standard.sees(standard.frame().enu_from_geodetic(between), 300.0)) << az;
    EXPECT_FALSE(geometric.sees(geometric.frame().enu_from_geodetic(between), 300.0)) << az;
    EXPECT_TRUE(geometric.sees(geometric.frame().enu_from_geodetic(inside), 300.0)) << az;
    EXPECT_FALSE(standard.sees(standard.frame().enu_from_geodetic(beyond), 300.0)) << az;
  }
}

TEST(SensorSite, LongitudesAreTakenInMinus180To180) {
  EXPECT_EQ(wrap_180(0.0), 0.0);
  EXPECT_EQ(wrap_180(179.5), 179.5);
  EXPECT_EQ(wrap_180(180.0), -180.0);
  EXPECT_EQ(wrap_180(-180.0), -180.0);
  EXPECT_DOUBLE_EQ(wrap_180(190.0), -170.0);
  EXPECT_DOUBLE_EQ(wrap_180(-190.0), 170.0);
  EXPECT_DOUBLE_EQ(wrap_180(545.0), -175.0);
  EXPECT_EQ(wrap_180(-1e-18), -1e-18);
  EXPECT_EQ(resolve_antenna({10.0, 180.0, 5.0}, world::ElevationGrid::constant(0.0)).lon_deg, -180.0);
}

}  // namespace
}  // namespace jrads::sensors
