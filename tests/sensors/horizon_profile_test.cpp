#include "jrads/sensors/horizon_profile.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "jrads/core/rng.hpp"
#include "jrads/core/units.hpp"
#include "sensors/fake_world.hpp"

namespace jrads::sensors {
namespace {

using testing::point_from;

const Geodetic kSite{45.0, 20.0, 0.0};

// Rugged terrain around kSite: plains with fractal roughness and a range to the north-east.
const world::ElevationGrid& rugged() {
  static const world::ElevationGrid grid = [] {
    world::SyntheticTerrainParams p;
    p.seed = 7;
    p.south_lat_deg = 43.6;
    p.north_lat_deg = 46.4;
    p.west_lon_deg = 18.0;
    p.east_lon_deg = 22.0;
    p.resolution_m = 1000;
    p.base_height_m = 300;
    p.roughness_m = 400;
    p.ridges.push_back({{{45.3, 19.0}, {45.6, 21.5}}, 12000.0, 1500.0, 2500.0});
    return world::make_synthetic_terrain(p);
  }();
  return grid;
}

// The profile's own method, in doubles and with GeographicLib's exact geodetic conversion,
// along one azimuth: the largest terrain tangent over (0, ground_m).
double brute_terrain_tan(const Geodetic& antenna, const world::ElevationGrid& g, double az_deg, double ground_m,
                         double step_m, double k) {
  const LocalFrame frame(antenna);
  const double r = mean_earth_radius_m(), re = k * r, az = units::rad_from_deg(az_deg);
  double best = -std::numeric_limits<double>::infinity();
  for (double d = step_m; d < ground_m; d += step_m) {
    const double th = d / r;
    const Enu enu{r * std::sin(th) * std::sin(az), r * std::sin(th) * std::cos(az),
                  r * (std::cos(th) - 1) - antenna.alt_m};
    const Geodetic geo = frame.geodetic_from_enu(enu);
    const double rp = re + g.height_m(geo.lat_deg, geo.lon_deg);
    best = std::max(best, (rp * std::cos(d / re) - (re + antenna.alt_m)) / (rp * std::sin(d / re)));
  }
  return best;
}

// Straight-line line of sight in true 3D geometry (no refraction, real ellipsoid): the segment
// from the antenna to the target stays above the terrain. The k = 1 profile must agree.
bool straight_line_clear(const Geodetic& antenna, const Geodetic& target, const world::ElevationGrid& g,
                         double step_m) {
  const Eigen::Vector3d a = ecef_from_geodetic(antenna).vec(), b = ecef_from_geodetic(target).vec();
  const int n = std::max(2, static_cast<int>((b - a).norm() / step_m));
  for (int i = 1; i < n; ++i) {
    const Geodetic p = geodetic_from_ecef(Ecef::from(a + (b - a) * (static_cast<double>(i) / n)));
    if (p.alt_m < g.height_m(p.lat_deg, p.lon_deg)) return false;
  }
  return true;
}

TEST(HorizonProfile, SmoothEarthHorizonMatchesTheEffectiveEarthFormula) {
  const world::ElevationGrid flat = world::ElevationGrid::constant(0.0);
  const Geodetic antenna{45.0, 20.0, 10.0};
  for (const double k : {1.0, 4.0 / 3.0}) {
    const HorizonProfile prof(antenna, flat, {450000.0, k, 1.0, 0.0});
    const double re = k * mean_earth_radius_m();
    for (const double h_t : {50.0, 300.0, 3000.0, 10000.0}) {
      // Tangent-ray horizon of a sphere of radius Re from both heights.
      const double d_h = re * (std::acos(re / (re + antenna.alt_m)) + std::acos(re / (re + h_t)));
      for (const double az : {0.0, 77.0, 181.0, 300.0}) {
        EXPECT_TRUE(prof.visible(az, 0.98 * d_h, h_t)) << "k " << k << " h " << h_t << " az " << az;
        EXPECT_FALSE(prof.visible(az, 1.02 * d_h, h_t)) << "k " << k << " h " << h_t << " az " << az;
      }
    }
  }
  // Refraction extends the horizon (10 m and 300 m: 73 km at k = 1, 84 km at k = 4/3).
  const HorizonProfile k1(antenna, flat, {100000.0, 1.0, 0.25, 0.0});
  const HorizonProfile k43(antenna, flat, {100000.0, 4.0 / 3.0, 0.25, 0.0});
  EXPECT_FALSE(k1.visible(10.0, 80000.0, 300.0));
  EXPECT_TRUE(k43.visible(10.0, 80000.0, 300.0));
}

TEST(HorizonProfile, FastFormulasMatchTheDirectOnes) {
  const Geodetic antenna{45.0, 20.0, 800.0};
  const HorizonProfile prof(antenna, world::ElevationGrid::constant(0.0), {50000.0, 4.0 / 3.0, 1.0, 0.0});
  const double r = mean_earth_radius_m(), re = 4.0 / 3.0 * r;
  RngStream rng = Rng(8).stream("formulas");
  for (int i = 0; i < 2000; ++i) {
    // Up to 1000 km, across the switch between series and library functions.
    const double d = std::exp(rng.uniform(std::log(10.0), std::log(1.0e6))), h = rng.uniform(-100.0, 20000.0);
    const double th = d / re, rp = re + h;
    const double direct = (rp * std::cos(th) - (re + antenna.alt_m)) / (rp * std::sin(th));
    EXPECT_NEAR(prof.tan_elevation(d, h), direct, 1e-12 * std::max(1.0, std::abs(direct))) << d;
    const double thr = d / r;
    const Enu enu{(r + h) * std::sin(thr), 0.0, (r + h) * std::cos(thr) - r - antenna.alt_m};
    EXPECT_NEAR(prof.ground_distance_m(enu), d, 1e-9 * d + 1e-6) << d;
  }
}

TEST(HorizonProfile, AWallHidesLowTargetsBehindItOnly) {
  // A 1000 m wall 30-32 km north; antenna 10 m above flat ground.
  const world::ElevationGrid g = testing::wall_terrain(45.0, 20.0, 30000.0, 2000.0, 1000.0);
  const Geodetic antenna{45.0, 20.0, 10.0};
  const HorizonProfile prof(antenna, g, {90000.0, 4.0 / 3.0, 0.25, 0.0});
  // Grazing the top: tan = 990 / 30 km, so at 60 km the ray is near 2000 m (plus curvature).
  EXPECT_FALSE(prof.visible(0.0, 60000.0, 1500.0));
  EXPECT_FALSE(prof.visible(10.0, 60000.0, 1500.0));
  EXPECT_TRUE(prof.visible(0.0, 60000.0, 3000.0));
  EXPECT_TRUE(prof.visible(0.0, 25000.0, 500.0));     // in front of the wall
  EXPECT_TRUE(prof.visible(180.0, 60000.0, 1500.0));  // other side: open plain
  EXPECT_TRUE(prof.visible(90.0, 60000.0, 1500.0));
}

TEST(HorizonProfile, GroundDistanceAgreesWithGeodesics) {
  const Geodetic antenna{45.0, 20.0, 250.0};
  const HorizonProfile prof(antenna, world::ElevationGrid::constant(0.0), {300000.0, 4.0 / 3.0, 1.0, 0.0});
  const LocalFrame frame(antenna);
  for (const double az : {0.0, 45.0, 90.0, 200.0}) {
    for (const double d : {1000.0, 50000.0, 250000.0}) {
      for (const double alt : {0.0, 10000.0}) {
        const Enu enu = frame.enu_from_geodetic(testing::point_from(antenna, az, d, alt));
        // The sphere's distance measure against the ellipsoid's: equal to a few parts in 1e3.
        EXPECT_NEAR(prof.ground_distance_m(enu), d, 3e-3 * d) << az << " " << d << " " << alt;
      }
    }
  }
}

TEST(HorizonProfile, AgreesWithABruteForceMarchOnRandomQueries) {
  const world::ElevationGrid& g = rugged();
  const Geodetic antenna{kSite.lat_deg, kSite.lon_deg, g.height_m(kSite.lat_deg, kSite.lon_deg) + 15.0};
  const HorizonProfile prof(antenna, g, {150000.0, 4.0 / 3.0, 0.25, 0.0});
  const LocalFrame frame(antenna);
  RngStream rng = Rng(5).stream("queries");
  int visible = 0, hidden = 0, agree_exact = 0, agree_az = 0, enu_agree = 0;
  constexpr int n = 400;
  for (int i = 0; i < n; ++i) {
    const double az = rng.uniform(0.0, 360.0), d = rng.uniform(2000.0, 145000.0);
    const Geodetic ground = point_from(antenna, az, d, 0.0);
    const double alt = g.height_m(ground.lat_deg, ground.lon_deg) + rng.uniform(10.0, 2500.0);
    const bool v = prof.visible(az, d, alt);
    (v ? visible : hidden)++;
    const double t = prof.tan_elevation(d, alt);
    // 1. Along the bin's own ray, with the profile's step: the compression and the search must
    // lose nothing (float storage and the ray interpolation aside).
    const double bin_az = prof.bin_center_deg(prof.bin_of(az));
    const double brute = brute_terrain_tan(antenna, g, bin_az, d, prof.step_m(), 4.0 / 3.0);
    // The profile interpolates the ray's latitude and longitude between exact knots (about a
    // metre off); a wrong breakpoint would be off by the rise between samples, ~1e-3.
    constexpr double tol = 2e-5;
    if (v == (t > brute) || std::abs(t - brute) < tol) ++agree_exact;
    EXPECT_NEAR(prof.terrain_tan_elevation(az, d), brute, tol) << az << " " << d;
    // 2. Along the query's exact azimuth with a 4x finer step: the binning and sampling error.
    const double fine = brute_terrain_tan(antenna, g, az, d, prof.step_m() / 4, 4.0 / 3.0);
    if (v == (t > fine)) ++agree_az;
    // 3. The ENU overload gives the same answer.
    enu_agree += prof.visible(frame.enu_from_geodetic(point_from(antenna, az, d, alt)), alt) == v;
  }
  EXPECT_EQ(agree_exact, n);
  EXPECT_GE(agree_az, n * 98 / 100);
  EXPECT_GE(enu_agree, n * 99 / 100);
  // Both outcomes are well represented, or the test would prove little.
  EXPECT_GT(visible, n / 5);
  EXPECT_GT(hidden, n / 5);
}

TEST(HorizonProfile, WithoutRefractionAgreesWithStraightLinesOverTheEllipsoid) {
  const world::ElevationGrid& g = rugged();
  const Geodetic antenna{kSite.lat_deg, kSite.lon_deg, g.height_m(kSite.lat_deg, kSite.lon_deg) + 15.0};
  const HorizonProfile prof(antenna, g, {150000.0, 1.0, 0.25, 0.0});
  RngStream rng = Rng(6).stream("queries");
  int agree = 0, visible = 0;
  constexpr int n = 300;
  for (int i = 0; i < n; ++i) {
    const double az = rng.uniform(0.0, 360.0), d = rng.uniform(2000.0, 120000.0);
    const Geodetic ground = point_from(antenna, az, d, 0.0);
    const Geodetic target =
        point_from(antenna, az, d, g.height_m(ground.lat_deg, ground.lon_deg) + rng.uniform(10.0, 2500.0));
    const bool v = prof.visible(az, d, target.alt_m);
    visible += v;
    agree += v == straight_line_clear(antenna, target, g, 250.0);
  }
  // Differences come only from sampling (step, 0.25 deg bins) near grazing rays.
  EXPECT_GE(agree, n * 97 / 100) << "visible " << visible;
  EXPECT_GT(visible, n / 5);
  EXPECT_LT(visible, n * 4 / 5);
}

TEST(HorizonProfile, StoresFewBreakpointsAndPicksAnAutomaticStep) {
  const world::ElevationGrid& g = rugged();
  const Geodetic antenna{kSite.lat_deg, kSite.lon_deg, g.height_m(kSite.lat_deg, kSite.lon_deg) + 15.0};
  const HorizonProfile prof(antenna, g, {150000.0, 4.0 / 3.0, 0.25, 0.0});
  EXPECT_EQ(prof.bin_count(), 1440);
  EXPECT_GT(prof.step_m(), 500.0);  // about the grid's 1 km spacing (less east-west)
  EXPECT_LE(prof.step_m(), 1000.0);
  const double samples = prof.bin_count() * 150000.0 / prof.step_m();
  EXPECT_LT(static_cast<double>(prof.breakpoint_count()), 0.2 * samples);
  EXPECT_GE(prof.breakpoint_count(), static_cast<std::size_t>(prof.bin_count()));
  EXPECT_EQ(prof.bin_of(-0.1), 1439);
  EXPECT_EQ(prof.bin_of(360.0), 0);
  EXPECT_EQ(prof.bin_of(0.3), 1);
  // Nothing masks a point closer than the first sample.
  EXPECT_TRUE(prof.visible(0.0, 0.5 * prof.step_m(), antenna.alt_m - 5.0));
}

// A 3000 m north-south wall between longitudes wall_west and wall_west + 0.1 on a 1 x 1 deg grid
// starting at west_lon (grids stay within [-180, 180]).
world::ElevationGrid meridian_wall(double west_lon, double wall_west) {
  constexpr int rows = 51, cols = 100;
  const double dlat = 0.02, dlon = 0.01;
  std::vector<float> h(static_cast<std::size_t>(rows * cols), 0.0F);
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) {
      const double lon = west_lon + c * dlon;
      if (lon >= wall_west - 1e-9 && lon <= wall_west + 0.1 + 1e-9) h[static_cast<std::size_t>(r * cols + c)] = 3000.0F;
    }
  }
  return world::ElevationGrid(44.5, west_lon, dlat, dlon, rows, cols, std::move(h));
}

TEST(HorizonProfile, TerrainAcrossTheAntimeridianMasksEitherWay) {
  // West of an antenna at -179.95 lies a wall at 179.7..179.8 (20-28 km away); east of one at
  // 179.95, a wall at -179.8..-179.7. Rays cross +-180 and must find the terrain there.
  struct Case {
    double antenna_lon, grid_west, wall_west, toward_deg;
  };
  for (const Case& c : {Case{-179.95, 179.0, 179.7, 270.0}, Case{179.95, -179.99, -179.8, 90.0}}) {
    const world::ElevationGrid g = meridian_wall(c.grid_west, c.wall_west);
    const Geodetic antenna{45.0, c.antenna_lon, 10.0};
    const HorizonProfile prof(antenna, g, {100000.0, 4.0 / 3.0, 0.25, 0.0});
    // Behind the wall: hidden, and the masking angle is the wall's (3000 m at 20 km: tan 0.15).
    EXPECT_FALSE(prof.visible(c.toward_deg, 60000.0, 1000.0)) << c.antenna_lon;
    EXPECT_GT(prof.terrain_tan_elevation(c.toward_deg, 60000.0), 0.1) << c.antenna_lon;
    // Over it, or on the other side: visible.
    EXPECT_TRUE(prof.visible(c.toward_deg, 60000.0, 15000.0)) << c.antenna_lon;
    EXPECT_TRUE(prof.visible(c.toward_deg + 180.0, 60000.0, 1000.0)) << c.antenna_lon;
  }
}

}  // namespace
}  // namespace jrads::sensors
