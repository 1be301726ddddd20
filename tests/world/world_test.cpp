#include "jrads/world/world.hpp"

#include <cmath>

#include <gtest/gtest.h>

#include "jrads/core/geodesy.hpp"
#include "jrads/core/units.hpp"

namespace jrads::world {
namespace {

Waypoint wp(double lat, double lon, double alt, double speed) {
  Waypoint w;
  w.lat_deg = lat;
  w.lon_deg = lon;
  w.alt_m = alt;
  w.speed_mps = speed;
  return w;
}

PlatformParams airliner(std::vector<Waypoint> route, double start_s = 0) {
  PlatformParams p;
  p.id = "A1";
  p.route = std::move(route);
  p.start_time_s = start_s;
  p.performance = {3.0, 15.0, 1.5};
  return p;
}

// Collects every truth sample of a run.
std::vector<PlatformState> fly(const PlatformParams& p, const ElevationGrid& terrain, double duration_s,
                               double window_s = 60) {
  WorldParams wp_params;
  wp_params.duration_s = duration_s;
  wp_params.platforms = {p};
  World world(wp_params, terrain);
  std::vector<PlatformState> out;
  SimTime next;
  for (double t = window_s; ; t += window_s) {
    const SimTime t1 = SimTime::from_s(std::min(t, duration_s));
    world.advance_to(t1, window_s + 5);
    for (; next <= t1; next += SimTime::from_s(1.0))
      for (const auto& [idx, s] : world.samples_at(next)) out.push_back(s);
    if (t >= duration_s) break;
  }
  return out;
}

TEST(Motion, StraightLegAtConstantSpeedCoversSpeedTimesTime) {
  const auto samples = fly(airliner({wp(45, 20, 10000, 230), wp(45, 23, 10000, 230)}), ElevationGrid::constant(0), 600);
  ASSERT_GT(samples.size(), 590U);
  for (std::size_t i = 1; i < samples.size(); ++i) {
    const auto& a = samples[i - 1];
    const auto& b = samples[i];
    EXPECT_EQ((b.time - a.time).ns(), 1'000'000'000);
    // The integrator flies a rhumb-line-like path towards the waypoint; over one second the
    // ECEF chord equals the speed to within integration error.
    EXPECT_NEAR((b.pos_ecef.vec() - a.pos_ecef.vec()).norm(), 230.0, 0.05);
    EXPECT_NEAR(b.vel_ecef.norm(), 230.0, 1e-6);
    EXPECT_NEAR(b.pos.alt_m, 10000, 1e-6);
  }
  // Ground distance shrinks by R / (R + h) from the flight level to the ellipsoid.
  const GeodesicInverse g = geodesic_inverse(45, 20, samples.back().pos.lat_deg, samples.back().pos.lon_deg);
  const double r_m = mean_earth_radius_m();
  EXPECT_NEAR(g.distance_m, 230.0 * samples.back().time.s() * r_m / (r_m + 10000), 230.0 * 600 * 1e-4);
}

TEST(Motion, TurnsClimbsAndAcceleratesWithinLimits) {
  PlatformParams p = airliner({wp(45, 20, 3000, 150), wp(45.3, 20, 3000, 150), wp(45.3, 20.5, 9000, 240),
                               wp(45.0, 20.5, 9000, 200)});
  const auto samples = fly(p, ElevationGrid::constant(0), 3600);
  ASSERT_GT(samples.size(), 100U);
  double max_turn = 0, max_climb = 0, max_accel = 0;
  for (std::size_t i = 1; i < samples.size(); ++i) {
    const auto& a = samples[i - 1].vel_enu;
    const auto& b = samples[i].vel_enu;
    const double ha = std::atan2(a.x(), a.y()), hb = std::atan2(b.x(), b.y());
    max_turn = std::max(max_turn, std::abs(std::remainder(hb - ha, 2 * units::pi)));
    max_climb = std::max(max_climb, std::abs(b.z()));
    max_accel = std::max(max_accel, std::abs(b.norm() - a.norm()));
  }
  EXPECT_LE(units::deg_from_rad(max_turn), 3.0 + 1e-6);
  EXPECT_GT(units::deg_from_rad(max_turn), 2.9);  // it did have to turn at the limit
  EXPECT_LE(max_climb, 15.0 + 1e-9);
  EXPECT_GT(max_climb, 14.0);
  EXPECT_LE(max_accel, 1.5 + 1e-6);
  // It ends near the last waypoint and stops existing there.
  const auto& last = samples.back();
  EXPECT_LT(geodesic_inverse(last.pos.lat_deg, last.pos.lon_deg, 45.0, 20.5).distance_m, 400.0);
  EXPECT_LT(last.time.s(), 3600);
}

TEST(Motion, TerrainFollowerHoldsItsHeightOverRidges) {
  SyntheticTerrainParams t;
  t.seed = 3;
  t.south_lat_deg = 44.5;
  t.north_lat_deg = 45.5;
  t.west_lon_deg = 19.8;
  t.east_lon_deg = 21.2;
  t.resolution_m = 250;
  t.roughness_m = 150;
  t.ridges.push_back({{{44.6, 20.5}, {45.4, 20.5}}, 8000, 1500, 2500});
  const ElevationGrid terrain = make_synthetic_terrain(t);
  PlatformParams cm;
  cm.id = "CM";
  cm.kind = PlatformKind::cruise_missile;
  cm.performance = {10.0, 60.0, 5.0};
  Waypoint a, b;
  a.lat_deg = 45.0; a.lon_deg = 20.0; a.agl_m = 100; a.speed_mps = 250;
  b.lat_deg = 45.0; b.lon_deg = 21.0; b.agl_m = 100; b.speed_mps = 250;
  cm.route = {a, b};
  const auto samples = fly(cm, terrain, 600);
  ASSERT_GT(samples.size(), 100U);
  double min_agl = 1e9, max_alt = 0, sum_agl = 0;
  for (const auto& s : samples) {
    const double agl = s.pos.alt_m - terrain.height_m(s.pos.lat_deg, s.pos.lon_deg);
    min_agl = std::min(min_agl, agl);
    sum_agl += agl;
    max_alt = std::max(max_alt, s.pos.alt_m);
  }
  EXPECT_GE(min_agl, 50.0 - 1e-6);  // never below half its set height
  EXPECT_GT(max_alt, 1400);         // it climbed over the ridge
  EXPECT_LT(sum_agl / samples.size(), 400);  // and stayed low on average
}

TEST(World, StartsLateAndInterpolatesBetweenSamples) {
  PlatformParams p = airliner({wp(45, 20, 8000, 200), wp(45.5, 20.4, 8000, 200)}, 12.3);
  WorldParams params;
  params.duration_s = 120;
  params.platforms = {p};
  World world(params, ElevationGrid::constant(0));
  world.advance_to(SimTime::from_s(60), 100);
  EXPECT_FALSE(world.state_at(PlatformIndex(0), SimTime::from_s(12.0)));
  EXPECT_FALSE(world.alive_during(PlatformIndex(0), SimTime::from_s(0), SimTime::from_s(12.9)));
  EXPECT_TRUE(world.alive_during(PlatformIndex(0), SimTime::from_s(0), SimTime::from_s(13.0)));
  ASSERT_TRUE(world.state_at(PlatformIndex(0), SimTime::from_s(13.0)));
  const auto a = *world.state_at(PlatformIndex(0), SimTime::from_s(30));
  const auto b = *world.state_at(PlatformIndex(0), SimTime::from_s(31));
  const auto mid = *world.state_at(PlatformIndex(0), SimTime::from_s(30.5));
  const Eigen::Vector3d expect = 0.5 * (a.pos_ecef.vec() + b.pos_ecef.vec()) + (a.vel_ecef - b.vel_ecef) / 8.0;
  EXPECT_NEAR((mid.pos_ecef.vec() - expect).norm(), 0, 1e-6);
  // The geodetic and ECEF forms of an interpolated state agree to millimetres.
  EXPECT_NEAR((ecef_from_geodetic(mid.pos).vec() - mid.pos_ecef.vec()).norm(), 0, 5e-3);
  EXPECT_NEAR(mid.vel_enu.norm(), 200, 1e-3);
}

TEST(World, TruthDoesNotDependOnWindowLength) {
  PlatformParams p = airliner({wp(45, 20, 3000, 150), wp(45.3, 20, 3000, 150), wp(45.3, 20.5, 9000, 240)}, 7.0);
  const auto a = fly(p, ElevationGrid::constant(0), 900, 10);
  const auto b = fly(p, ElevationGrid::constant(0), 900, 97);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a[i].time, b[i].time);
    ASSERT_EQ(a[i].pos.lat_deg, b[i].pos.lat_deg);
    ASSERT_EQ(a[i].pos.lon_deg, b[i].pos.lon_deg);
    ASSERT_EQ(a[i].pos.alt_m, b[i].pos.alt_m);
  }
}

}  // namespace
}  // namespace jrads::world
