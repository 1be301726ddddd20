#include "jrads/world/world.hpp"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "jrads/core/geodesy.hpp"
#include "jrads/core/rng.hpp"
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

// Every state at step_s spacing (interpolated between truth samples), for checks between
// the 1 s samples.
std::vector<PlatformState> fly_fine(const PlatformParams& p, const ElevationGrid& terrain, double duration_s,
                                    double step_s = 0.25) {
  WorldParams wp_params;
  wp_params.duration_s = duration_s;
  wp_params.platforms = {p};
  World world(wp_params, terrain);
  world.advance_to(SimTime::from_s(duration_s), duration_s + 1);
  std::vector<PlatformState> out;
  for (SimTime t; t <= SimTime::from_s(duration_s); t += SimTime::from_s(step_s))
    if (const auto s = world.state_at(PlatformIndex(0), t)) out.push_back(*s);
  return out;
}

// The bound motion_impl.hpp and pitch_accel_mps2() state: between two samples the velocity
// vector changes by at most (a_t + a_p + omega V_max) dt, V_max the largest speed in between
// (at most the larger end speed plus a_t dt), and the vertical speed by at most (a_t + a_p) dt.
// The tolerance covers the turning of the local frame between samples (V^2 / R dt).
// Returns the largest ratio of a change to its bound.
double expect_acceleration_within_bound(const std::vector<PlatformState>& samples, const Performance& perf) {
  const double a_t = perf.max_accel_mps2, a_p = pitch_accel_mps2(perf);
  const double omega = units::rad_from_deg(perf.max_turn_rate_dps);
  double worst = 0;
  for (std::size_t i = 1; i < samples.size(); ++i) {
    const auto& a = samples[i - 1];
    const auto& b = samples[i];
    const double dt = (b.time - a.time).s();
    const double v_max = std::max(a.vel_ecef.norm(), b.vel_ecef.norm()) + a_t * dt;
    const double bound = (a_t + a_p + omega * v_max) * dt;
    const double dv = (b.vel_ecef - a.vel_ecef).norm();
    EXPECT_LE(dv, bound + 0.02 * dt) << "t=" << b.time.s() << " s";
    const double dvz_bound = (a_t + a_p) * dt;
    EXPECT_LE(std::abs(b.vel_enu.z() - a.vel_enu.z()), dvz_bound + 0.02 * dt) << "t=" << b.time.s() << " s";
    worst = std::max({worst, dv / bound, std::abs(b.vel_enu.z() - a.vel_enu.z()) / dvz_bound});
  }
  return worst;
}

// The position follows the velocity: between samples the altitude changes by the integral of
// the vertical speed, which the trapezoid rule gives to within (a_t + a_p) dt^2 / 4 when the
// vertical speed changes at most at (a_t + a_p). A position lifted by the terrain follower's
// floor without its velocity fails this.
void expect_altitude_follows_vertical_speed(const std::vector<PlatformState>& samples, const Performance& perf) {
  const double accel = perf.max_accel_mps2 + pitch_accel_mps2(perf);
  for (std::size_t i = 1; i < samples.size(); ++i) {
    const auto& a = samples[i - 1];
    const auto& b = samples[i];
    const double dt = (b.time - a.time).s();
    const double trapezoid = 0.5 * (a.vel_enu.z() + b.vel_enu.z()) * dt;
    EXPECT_NEAR(b.pos.alt_m - a.pos.alt_m, trapezoid, accel * dt * dt / 4 + 1e-6) << "t=" << b.time.s() << " s";
  }
}

double distance_m(const PlatformState& s, double lat, double lon) {
  return geodesic_inverse(s.pos.lat_deg, s.pos.lon_deg, lat, lon).distance_m;
}

// The closest any sample comes to a point, and when.
std::pair<double, double> closest_approach(const std::vector<PlatformState>& samples, double lat, double lon) {
  std::pair<double, double> best{1e12, 0};
  for (const auto& s : samples) best = std::min(best, std::pair{distance_m(s, lat, lon), s.time.s()});
  return best;
}

// Follows the samples in order: each waypoint after the first must come within tolerance_m
// (at a closest approach) after the one before it did. Returns the largest closest approach.
double expect_visits_in_order(const std::vector<PlatformState>& samples, const std::vector<Waypoint>& route,
                              double tolerance_m) {
  double worst_m = 0;
  std::size_t i = 0;
  for (std::size_t k = 1; k < route.size(); ++k) {
    double closest_m = 1e12;
    std::size_t closest_i = i;
    for (std::size_t j = i; j < samples.size(); ++j) {
      const double d = distance_m(samples[j], route[k].lat_deg, route[k].lon_deg);
      if (closest_m < tolerance_m && d > closest_m) break;
      if (d < closest_m) {
        closest_m = d;
        closest_i = j;
      }
    }
    EXPECT_LT(closest_m, tolerance_m) << "waypoint " << k;
    worst_m = std::max(worst_m, closest_m);
    i = closest_i;  // the next waypoint comes after this one's closest approach
  }
  return worst_m;
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
  double max_turn = 0, max_climb = 0, max_speed_change = 0;
  for (std::size_t i = 1; i < samples.size(); ++i) {
    const auto& a = samples[i - 1].vel_enu;
    const auto& b = samples[i].vel_enu;
    const double ha = std::atan2(a.x(), a.y()), hb = std::atan2(b.x(), b.y());
    max_turn = std::max(max_turn, std::abs(std::remainder(hb - ha, 2 * units::pi)));
    max_climb = std::max(max_climb, std::abs(b.z()));
    max_speed_change = std::max(max_speed_change, std::abs(b.norm() - a.norm()));
  }
  EXPECT_LE(units::deg_from_rad(max_turn), 3.0 + 1e-6);
  EXPECT_GT(units::deg_from_rad(max_turn), 2.9);  // it did have to turn at the limit
  EXPECT_LE(max_climb, 15.0 + 1e-9);
  EXPECT_GT(max_climb, 14.0);
  EXPECT_LE(max_speed_change, 1.5 + 1e-6);
  // The vector change of velocity, turn, climb and speed together, stays within the bound;
  // the climb starts in the turn onto the third leg, so the bound is approached.
  EXPECT_GT(expect_acceleration_within_bound(samples, p.performance), 0.6);
  // It ends near the last waypoint and stops existing there.
  const auto& last = samples.back();
  EXPECT_LT(geodesic_inverse(last.pos.lat_deg, last.pos.lon_deg, 45.0, 20.5).distance_m, 400.0);
  EXPECT_LT(last.time.s(), 3600);
}

TEST(Motion, FighterReachesItsClimbRateInSecondsNotInAStep) {
  // The default fighter (15 deg/s, 150 m/s, 8 m/s^2) climbing from 600 m to 8000 m.
  PlatformParams p = airliner({wp(44.3, 19.6, 600, 230), wp(44.6, 19.2, 8000, 230), wp(44.65, 20.4, 8000, 230)});
  p.kind = PlatformKind::fighter;
  p.performance = {15.0, 150.0, 8.0};
  const auto samples = fly(p, ElevationGrid::constant(0), 600);
  ASSERT_GT(samples.size(), 60U);
  expect_acceleration_within_bound(samples, p.performance);
  double first_climb_s = -1, full_climb_s = -1, max_climb = 0;
  for (const auto& s : samples) {
    if (first_climb_s < 0 && s.vel_enu.z() > 1.0) first_climb_s = s.time.s();
    if (full_climb_s < 0 && s.vel_enu.z() > 140.0) full_climb_s = s.time.s();
    max_climb = std::max(max_climb, s.vel_enu.z());
  }
  EXPECT_LE(max_climb, 150.0 + 1e-9);
  ASSERT_GE(full_climb_s, 0) << "never climbed at 140 m/s";
  EXPECT_GE(full_climb_s - first_climb_s, 2.0);  // a pitch-up, not a jump
  EXPECT_LE(full_climb_s - first_climb_s, 7.0);  // but a fighter's: seconds
  // Level-off at 8000 m without overshooting by more than a few tens of metres.
  double max_alt = 0;
  for (const auto& s : samples) max_alt = std::max(max_alt, s.pos.alt_m);
  EXPECT_LT(max_alt, 8000 + 50);
  EXPECT_GT(max_alt, 8000 - 1);
}

Waypoint agl_wp(double lat, double lon, double agl, double speed) {
  Waypoint w;
  w.lat_deg = lat;
  w.lon_deg = lon;
  w.agl_m = agl;
  w.speed_mps = speed;
  return w;
}

PlatformParams cruise_missile(std::vector<Waypoint> route) {
  PlatformParams cm;
  cm.id = "CM";
  cm.kind = PlatformKind::cruise_missile;
  cm.performance = {5.0, 30.0, 3.0};  // the scenario's defaults for the kind
  cm.route = std::move(route);
  return cm;
}

TEST(Motion, TerrainFollowerHugsRoughGround) {
  // Hills of several hundred metres over kilometres: within the missile's climb performance,
  // so it should stay near its set height, neither lagging into the ground nor floating high.
  SyntheticTerrainParams t;
  t.seed = 3;
  t.south_lat_deg = 44.5;
  t.north_lat_deg = 45.5;
  t.west_lon_deg = 19.8;
  t.east_lon_deg = 21.2;
  t.resolution_m = 250;
  t.base_height_m = 800;
  t.roughness_m = 600;
  const ElevationGrid terrain = make_synthetic_terrain(t);
  const PlatformParams cm = cruise_missile({agl_wp(45.0, 20.0, 100, 250), agl_wp(45.0, 21.0, 100, 250)});
  const auto fine = fly_fine(cm, terrain, 600);
  ASSERT_GT(fine.size(), 1000U);
  std::vector<double> agl;
  for (const auto& s : fine) agl.push_back(s.pos.alt_m - terrain.height_m(s.pos.lat_deg, s.pos.lon_deg));
  // Below 90 % of the set height nowhere, even between samples (the floor would only keep it
  // above half; following the ground below without looking ahead dips to 75 %).
  EXPECT_GT(*std::min_element(agl.begin(), agl.end()), 90.0);
  const auto near = std::count_if(agl.begin(), agl.end(), [](double a) { return a <= 150.0; });
  EXPECT_GT(static_cast<double>(near) / agl.size(), 0.9);  // and within 1.5 x of it nearly always
  std::vector<PlatformState> samples;
  for (const auto& s : fine)
    if (s.time.ns() % 1'000'000'000 == 0) samples.push_back(s);
  expect_altitude_follows_vertical_speed(samples, cm.performance);
  expect_acceleration_within_bound(samples, cm.performance);
}

TEST(Motion, TerrainFollowerClimbsOverMountainsInTimeWithoutTheFloor) {
  // A 4-7 km range, 22 km half-width (as in the default scenario), crossed at 80 m set
  // height by a missile that climbs at 30 m/s: it must start climbing early enough, its
  // vertical acceleration limited, and never need the floor at half its set height.
  SyntheticTerrainParams t;
  t.seed = 7;
  t.south_lat_deg = 44.0;
  t.north_lat_deg = 46.0;
  t.west_lon_deg = 19.0;
  t.east_lon_deg = 21.0;
  t.resolution_m = 500;
  t.base_height_m = 250;
  t.ridges.push_back({{{45.0, 18.9}, {45.1, 21.1}}, 22000, 4000, 7000});
  const ElevationGrid terrain = make_synthetic_terrain(t);
  for (const double lon : {19.5, 20.0, 20.5}) {
    SCOPED_TRACE(lon);
    const PlatformParams cm = cruise_missile({agl_wp(45.9, lon, 80, 240), agl_wp(44.1, lon + 0.1, 80, 240)});
    const auto fine = fly_fine(cm, terrain, 1200);
    ASSERT_GT(fine.size(), 3000U);
    double min_agl = 1e9, max_ground = 0;
    for (const auto& s : fine) {
      const double ground = terrain.height_m(s.pos.lat_deg, s.pos.lon_deg);
      min_agl = std::min(min_agl, s.pos.alt_m - ground);
      max_ground = std::max(max_ground, ground);
    }
    EXPECT_GT(max_ground, 4000);  // it did cross the range
    EXPECT_GT(min_agl, 60.0);     // 3/4 of the set height, checked every 0.25 s
    EXPECT_LT(distance_m(fine.back(), 44.1, lon + 0.1), 1000);  // and it got there
    std::vector<PlatformState> samples;
    for (const auto& s : fine)
      if (s.time.ns() % 1'000'000'000 == 0) samples.push_back(s);
    expect_altitude_follows_vertical_speed(samples, cm.performance);
    expect_acceleration_within_bound(samples, cm.performance);
  }
}

TEST(Motion, UTurnAfterAShortLegVisitsEveryWaypoint) {
  // 10 km out and back: the turn's lead distance (up to 3.7 turn radii, 16 km) once exceeded
  // the leg, so the aircraft skipped the turn point and left the world at once.
  const PlatformParams p = airliner({wp(45, 20, 10000, 230), wp(45.09, 20, 10000, 230), wp(45, 20.01, 10000, 230)});
  const double radius_m = 230.0 / units::rad_from_deg(3.0);
  const auto samples = fly(p, ElevationGrid::constant(0), 1200);
  ASSERT_GT(samples.size(), 60U);
  // 20 km of legs plus the turn's detour at 230 m/s.
  EXPECT_GT(samples.back().time.s(), 20000.0 / 230);
  EXPECT_LT(samples.back().time.s(), 400);
  // With the lead at most half the leg the turn starts 5 km short of the turn point and
  // passes 2.25 km from it; a lead of a whole 120-degree turn (7.6 km) would pass a radius off.
  const auto [turn_m, turn_s] = closest_approach(samples, 45.09, 20);
  EXPECT_LT(turn_m, 0.75 * radius_m);
  EXPECT_LT(distance_m(samples.back(), 45, 20.01), radius_m);  // it left at the last waypoint
  EXPECT_GT(samples.back().time.s(), turn_s);
}

TEST(Motion, ZigZagOfShortLegsReachesEveryWaypointInOrder) {
  // Legs of 1.26 km with 138-degree turns for a light aircraft (60 m/s, 6 deg/s: a 570 m turn
  // radius), so each turn's unbounded lead distance, 1.5 km, would exceed the legs.
  std::vector<Waypoint> route;
  for (int k = 0; k < 9; ++k) route.push_back(wp(45.0 + 0.004 * k, 20.0 + ((k % 2) != 0 ? 0.015 : 0.0), 1000, 60));
  PlatformParams p = airliner(route);
  p.kind = PlatformKind::light_aircraft;
  p.performance = {6.0, 4.0, 1.0};
  const double radius_m = 60.0 / units::rad_from_deg(6.0);
  const auto samples = fly(p, ElevationGrid::constant(0), 1200);
  ASSERT_GT(samples.size(), 10U);
  // Waypoints two apart are only 900 m from each other: each must be met after the one before.
  expect_visits_in_order(samples, route, radius_m);
  EXPECT_LT(distance_m(samples.back(), route.back().lat_deg, route.back().lon_deg), radius_m);
  EXPECT_LT(samples.back().time.s(), 600);
}

TEST(Motion, RandomShortRoutesAreFlownToTheirLastWaypoint) {
  // Property: whatever the geometry, a platform flies past every waypoint in order within
  // about a turn radius and leaves the world only near its last one, never straight after it
  // appears. Legs from a third of a turn radius to four, any turn angle.
  RngStream rng = Rng(11).stream("routes");
  const Performance kinds[] = {{3.0, 15.0, 1.5}, {15.0, 150.0, 8.0}, {6.0, 4.0, 1.0}, {10.0, 8.0, 2.0}};
  const double speeds[] = {230.0, 250.0, 60.0, 55.0};
  for (int n = 0; n < 200; ++n) {
    SCOPED_TRACE(n);
    const int kind = n % 4;
    const double speed = speeds[kind];
    const double radius_m = speed / units::rad_from_deg(kinds[kind].max_turn_rate_dps);
    std::vector<Waypoint> route{wp(45.0, 20.0, 5000, speed)};
    const int legs = 2 + static_cast<int>(rng.uniform(0.0, 4.0));
    double route_m = 0;
    for (int k = 0; k < legs; ++k) {
      const double len_m = rng.uniform(0.3, 4.0) * radius_m;
      const double bearing = rng.uniform(0.0, 2 * units::pi);
      route.push_back(wp(route.back().lat_deg + len_m * std::cos(bearing) / 111'000.0,
                         route.back().lon_deg + len_m * std::sin(bearing) / 78'600.0, 5000, speed));
      route_m += len_m;
    }
    PlatformParams p = airliner(route);
    p.performance = kinds[kind];
    // Each turn may cost up to a circle and a half.
    const double budget_s = (route_m + legs * 3 * units::pi * radius_m) / speed + 10;
    const auto samples = fly(p, ElevationGrid::constant(0), budget_s + 60);
    ASSERT_GT(samples.size(), 2U);
    // Over 2000 such routes the farthest closest approach was 1.10 turn radii.
    expect_visits_in_order(samples, route, 1.25 * radius_m);
    EXPECT_LT(distance_m(samples.back(), route.back().lat_deg, route.back().lon_deg), 1.01 * radius_m);
    EXPECT_LT(samples.back().time.s(), budget_s);
  }
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

// Two airliners from t = 0, the first north of the second; both fly east for about 7 minutes.
WorldParams two_airliners(double duration_s) {
  PlatformParams a = airliner({wp(45.2, 20, 8000, 200), wp(45.2, 21, 8000, 200)});
  PlatformParams b = airliner({wp(45.0, 20, 8000, 200), wp(45.0, 21, 8000, 200)});
  b.id = "A2";
  WorldParams params;
  params.duration_s = duration_s;
  params.platforms = {a, b};
  return params;
}

TEST(World, DestroyedPlatformVanishesFromItsDestructionTime) {
  const PlatformIndex p0(0), p1(1);
  const SimTime ns = SimTime::from_ns(1);
  World world(two_airliners(120), ElevationGrid::constant(0));
  world.advance_to(SimTime::from_s(60), 100);
  EXPECT_FALSE(world.destroyed_at(p0));
  EXPECT_FALSE(world.destroyed_at(p1));

  // In the past of now(), between two truth samples.
  const SimTime td = SimTime::from_s(30.5);
  world.destroy(p0, td);
  ASSERT_TRUE(world.destroyed_at(p0));
  EXPECT_EQ(*world.destroyed_at(p0), td);
  EXPECT_FALSE(world.destroyed_at(p1));
  // state_at: there before, gone at and after.
  EXPECT_TRUE(world.state_at(p0, SimTime::from_s(30)));
  ASSERT_TRUE(world.state_at(p0, td - ns));
  EXPECT_EQ(world.state_at(p0, td - ns)->time, td - ns);
  EXPECT_FALSE(world.state_at(p0, td));
  EXPECT_FALSE(world.state_at(p0, SimTime::from_s(31)));
  EXPECT_FALSE(world.state_at(p0, SimTime::from_s(60)));
  EXPECT_TRUE(world.state_at(p1, SimTime::from_s(31)));  // the other one flies on
  // alive_during: intervals reaching back before td are alive, those from td on are not.
  EXPECT_TRUE(world.alive_during(p0, SimTime::from_s(0), SimTime::from_s(10)));
  EXPECT_TRUE(world.alive_during(p0, SimTime::from_s(20), SimTime::from_s(50)));
  EXPECT_TRUE(world.alive_during(p0, td - ns, td - ns));
  EXPECT_TRUE(world.alive_during(p0, td - ns, SimTime::from_s(1e6)));
  EXPECT_FALSE(world.alive_during(p0, td, td));
  EXPECT_FALSE(world.alive_during(p0, td, SimTime::from_s(50)));
  EXPECT_FALSE(world.alive_during(p0, SimTime::from_s(31), SimTime::from_s(1e6)));
  EXPECT_TRUE(world.alive_during(p1, td, SimTime::from_s(50)));
  // samples_at leaves it out from td on.
  const auto before = world.samples_at(SimTime::from_s(30));
  ASSERT_EQ(before.size(), 2U);
  EXPECT_EQ(before[0].first, p0);
  for (const double t_s : {31.0, 45.0, 60.0}) {
    const auto after = world.samples_at(SimTime::from_s(t_s));
    ASSERT_EQ(after.size(), 1U) << t_s;
    EXPECT_EQ(after[0].first, p1) << t_s;
  }

  // In the future of now(), on a truth sample.
  const SimTime td1 = SimTime::from_s(90);
  world.destroy(p1, td1);
  EXPECT_EQ(world.destroyed_at(p1), td1);
  world.advance_to(SimTime::from_s(120), 100);
  EXPECT_TRUE(world.state_at(p1, SimTime::from_s(89.5)));
  EXPECT_TRUE(world.state_at(p1, td1 - ns));
  EXPECT_FALSE(world.state_at(p1, td1));
  EXPECT_FALSE(world.state_at(p1, SimTime::from_s(119)));
  EXPECT_TRUE(world.alive_during(p1, SimTime::from_s(89), SimTime::from_s(200)));
  EXPECT_FALSE(world.alive_during(p1, td1, SimTime::from_s(200)));
  EXPECT_EQ(world.samples_at(SimTime::from_s(89)).size(), 1U);
  EXPECT_TRUE(world.samples_at(td1).empty());
  EXPECT_TRUE(world.samples_at(SimTime::from_s(100)).empty());
}

TEST(World, DestroyingBeforeTheStartMeansNeverThere) {
  PlatformParams p = airliner({wp(45, 20, 8000, 200), wp(45.5, 20.4, 8000, 200)}, 12.3);
  WorldParams params;
  params.duration_s = 60;
  params.platforms = {p};
  World world(params, ElevationGrid::constant(0));
  world.destroy(PlatformIndex(0), SimTime::from_s(12.0));
  world.advance_to(SimTime::from_s(60), 100);
  EXPECT_FALSE(world.alive_during(PlatformIndex(0), SimTime::from_s(0), SimTime::from_s(60)));
  EXPECT_FALSE(world.state_at(PlatformIndex(0), SimTime::from_s(13)));
  EXPECT_TRUE(world.samples_at(SimTime::from_s(13)).empty());
}

TEST(World, DestroyingAgainKeepsTheEarlierTime) {
  const PlatformIndex p0(0);
  World world(two_airliners(120), ElevationGrid::constant(0));
  world.advance_to(SimTime::from_s(60), 100);
  world.destroy(p0, SimTime::from_s(40));
  world.destroy(p0, SimTime::from_s(50));  // later: ignored
  EXPECT_EQ(world.destroyed_at(p0), SimTime::from_s(40));
  EXPECT_FALSE(world.state_at(p0, SimTime::from_s(45)));
  EXPECT_FALSE(world.alive_during(p0, SimTime::from_s(40), SimTime::from_s(60)));
  world.destroy(p0, SimTime::from_s(20));  // earlier: taken
  EXPECT_EQ(world.destroyed_at(p0), SimTime::from_s(20));
  EXPECT_FALSE(world.state_at(p0, SimTime::from_s(30)));
  EXPECT_TRUE(world.state_at(p0, SimTime::from_s(19.5)));
  EXPECT_FALSE(world.alive_during(p0, SimTime::from_s(20), SimTime::from_s(60)));
  EXPECT_TRUE(world.alive_during(p0, SimTime::from_s(19), SimTime::from_s(60)));
}

TEST(World, TruthBeforeADestructionIsUnchanged) {
  // Destroyed ahead of time, the platform is integrated only up to its destruction; its states
  // before it, interpolated ones just before included, are those of the undestroyed world.
  const PlatformIndex p0(0);
  World plain(two_airliners(80), ElevationGrid::constant(0));
  World shot(two_airliners(80), ElevationGrid::constant(0));
  const SimTime td = SimTime::from_s(30.5);
  shot.destroy(p0, td);
  for (double t = 10; t <= 80; t += 10) {
    plain.advance_to(SimTime::from_s(t), 100);
    shot.advance_to(SimTime::from_s(t), 100);
  }
  for (SimTime t; t < td; t += SimTime::from_s(0.1)) {
    const auto a = plain.state_at(p0, t), b = shot.state_at(p0, t);
    ASSERT_TRUE(a && b) << t.s();
    EXPECT_EQ(a->pos_ecef.vec(), b->pos_ecef.vec()) << t.s();
    EXPECT_EQ(a->vel_ecef, b->vel_ecef) << t.s();
  }
  ASSERT_TRUE(shot.state_at(p0, td - SimTime::from_ns(1)));
  EXPECT_EQ(plain.state_at(p0, td - SimTime::from_ns(1))->pos_ecef.vec(),
            shot.state_at(p0, td - SimTime::from_ns(1))->pos_ecef.vec());
  EXPECT_EQ(shot.state_at(PlatformIndex(1), SimTime::from_s(75))->pos_ecef.vec(),
            plain.state_at(PlatformIndex(1), SimTime::from_s(75))->pos_ecef.vec());
}

}  // namespace
}  // namespace jrads::world
