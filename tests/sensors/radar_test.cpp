#include "jrads/sensors/radar.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <numbers>
#include <vector>

#include "jrads/core/units.hpp"
#include "jrads/sensors/swerling.hpp"
#include "sensors/fake_world.hpp"

namespace jrads::sensors {
namespace {

using testing::FakeWorld;
using testing::point_from;
using testing::target;
using testing::within_binomial;

RadarParams quiet_radar() {
  RadarParams p;
  p.id = "R1";
  p.antenna = {45.0, 20.0, 10.0};
  p.scan_period_s = 1.0;  // many scans in little simulated time; the targets stand still
  p.clutter_per_scan = 0.0;
  return p;
}

// Scans [first_scan, first_scan + scans) in order, from a fresh stream.
std::vector<Detection> run(Radar& radar, const world::WorldView& world, int scans, std::uint64_t seed = 1,
                           int first_scan = 0) {
  RngStream rng = Rng(seed).stream("radar/" + radar.params().id);
  std::vector<Detection> out;
  for (int k = first_scan; k < first_scan + scans; ++k) radar.scan(k, world, SensorIndex(0), rng, out);
  return out;
}

std::map<std::int32_t, std::size_t> count_by_truth(const std::vector<Detection>& dets) {
  std::map<std::int32_t, std::size_t> n;
  for (const auto& d : dets) ++n[d.truth_index];
  return n;
}

// The range at which a target of rcs_dbsm has the given mean SNR.
double range_for_snr(const Radar& radar, double rcs_dbsm, double snr_db) {
  const double ratio = radar.reference_snr() * units::ratio_from_db(rcs_dbsm) / units::ratio_from_db(snr_db);
  return radar.params().reference_range_m * std::pow(ratio, 0.25);
}

double slant_range(const Radar& radar, const FakeWorld& world, PlatformIndex i) {
  const auto s = world.state_at(i, SimTime());
  return polar_from_enu(radar.site().frame().enu_from_ecef(s->pos_ecef)).range_m;
}

TEST(Radar, ReferenceSnrFollowsTheSwerling1Calibration) {
  Radar radar(quiet_radar(), world::ElevationGrid::constant(0.0));
  EXPECT_NEAR(radar.reference_snr(), std::log(1e-6) / std::log(0.5) - 1.0, 1e-12);
  EXPECT_NEAR(radar.snr(1.0, 100000.0), radar.reference_snr(), 1e-12);
  EXPECT_NEAR(radar.snr(10.0, 200000.0), radar.reference_snr() * 10.0 / 16.0, 1e-12);  // R^-4
  EXPECT_NEAR(radar.threshold(), -std::log(1e-6), 1e-12);
}

TEST(Radar, ReferenceTargetIsDetectedWithTheReferencePd) {
  FakeWorld world;
  Radar radar(quiet_radar(), world.terrain());
  // Slant range 100 km exactly: 99.87 km on the ground at 5 km height (plus the earth's drop).
  const Geodetic antenna = radar.site().antenna();
  const PlatformIndex i = world.add(target(0.0, 1), point_from(antenna, 45.0, 99872.0, 5000.0));
  ASSERT_NEAR(slant_range(radar, world, i), 100000.0, 100.0);
  constexpr int scans = 3000;
  auto n = count_by_truth(run(radar, world, scans));
  const double pd = detection_probability(Swerling::sw1, radar.snr(1.0, slant_range(radar, world, i)), 1e-6);
  EXPECT_NEAR(pd, 0.5, 0.003);
  EXPECT_TRUE(within_binomial(n[0], scans, pd)) << n[0];
}

TEST(Radar, DetectionRateMatchesTheFormulaForEachSwerlingCase) {
  FakeWorld world;
  Radar radar(quiet_radar(), world.terrain());
  const Geodetic antenna = radar.site().antenna();
  struct Case {
    int swerling;
    double snr_db;
    PlatformIndex index;
  };
  std::vector<Case> cases;
  double az = 5.0;
  for (const int sw : {0, 1, 3}) {
    for (const double snr_db : {9.0, 12.0, 15.0, 19.0}) {
      const double rcs_dbsm = 6.0;
      cases.push_back(
          {sw, snr_db,
           world.add(target(rcs_dbsm, sw), point_from(antenna, az, range_for_snr(radar, rcs_dbsm, snr_db), 4000.0))});
      az += 360.0 / 13.0;  // far apart: no two share a resolution cell
    }
  }
  constexpr int scans = 2500;
  const auto n = count_by_truth(run(radar, world, scans));
  EXPECT_EQ(n.count(-1), 0U);
  for (const Case& c : cases) {
    const double snr = radar.snr(units::ratio_from_db(6.0), slant_range(radar, world, c.index));
    const double pd = detection_probability(swerling_from_case(c.swerling), snr, 1e-6);
    const std::size_t k =
        n.count(static_cast<std::int32_t>(c.index.value())) ? n.at(static_cast<std::int32_t>(c.index.value())) : 0;
    EXPECT_TRUE(within_binomial(k, scans, pd))
        << "Swerling " << c.swerling << " at " << c.snr_db << " dB: " << k << "/" << scans << " vs Pd " << pd;
  }
}

TEST(Radar, ClutterIsPoissonAtTheStatedRateAndWhereTheBeamPoints) {
  FakeWorld world;
  RadarParams p = quiet_radar();
  p.clutter_per_scan = 4.0;
  p.scan_period_s = 6.0;
  p.start_azimuth_deg = 33.0;
  Radar radar(p, world.terrain());
  constexpr int scans = 4000;
  const auto dets = run(radar, world, scans);
  std::vector<int> per_scan(scans, 0);
  double az_sum = 0.0;
  for (const Detection& d : dets) {
    ASSERT_EQ(d.truth_index, -1);
    const auto k = static_cast<std::int64_t>(d.time.ns() / radar.beam().period().ns());
    ASSERT_GE(k, 0);
    ASSERT_LT(k, scans);
    ++per_scan[static_cast<std::size_t>(k)];
    EXPECT_GE(d.range_m, p.min_range_m);
    EXPECT_LE(d.range_m, p.max_range_m);
    EXPECT_GE(d.elevation_deg, p.min_elevation_deg);
    EXPECT_LE(d.elevation_deg, 1.0);
    // Stamped when the beam pointed there.
    EXPECT_NEAR(std::remainder(radar.beam().azimuth_deg(d.time) - d.azimuth_deg, 360.0), 0.0, 1e-6);
    az_sum += d.azimuth_deg;
  }
  double mean = 0.0, var = 0.0;
  for (const int c : per_scan) mean += c;
  mean /= scans;
  for (const int c : per_scan) var += (c - mean) * (c - mean);
  var /= scans - 1;
  EXPECT_NEAR(mean, 4.0, 4.0 * std::sqrt(4.0 / scans));
  // Poisson: variance equals the mean (sd of the ratio ~ sqrt((2 + 1/lambda) / n)).
  EXPECT_NEAR(var / mean, 1.0, 4.0 * std::sqrt((2.0 + 0.25) / scans));
  EXPECT_NEAR(az_sum / static_cast<double>(dets.size()), 180.0,
              4.0 * 104.0 / std::sqrt(static_cast<double>(dets.size())));
}

TEST(Radar, TargetsBelowTheHorizonOrBehindARidgeAreNeverDetected) {
  // Flat earth, antenna 10 m: a 300 m target's radio horizon is 84 km.
  {
    FakeWorld world;
    Radar radar(quiet_radar(), world.terrain());
    const Geodetic a = radar.site().antenna();
    world.add(target(30.0, 1), point_from(a, 10.0, 95000.0, 300.0));  // hidden, yet 30 dBsm
    const PlatformIndex seen = world.add(target(0.0, 1), point_from(a, 100.0, 70000.0, 300.0));
    constexpr int scans = 1500;
    auto n = count_by_truth(run(radar, world, scans));
    EXPECT_EQ(n[0], 0U);
    const double pd = detection_probability(Swerling::sw1, radar.snr(1.0, slant_range(radar, world, seen)), 1e-6);
    EXPECT_TRUE(within_binomial(n[1], scans, pd)) << n[1] << " vs " << pd;
  }
  // The horizon depends on refraction: a 300 m target 78 km out lies inside the 4/3-earth
  // horizon (84 km) but beyond the geometric one (k = 1: 73 km).
  for (const double k : {4.0 / 3.0, 1.0}) {
    FakeWorld world;
    RadarParams p = quiet_radar();
    p.k_factor = k;
    p.max_range_m = 120000.0;
    Radar radar(p, world.terrain());
    world.add(target(30.0, 0), point_from(radar.site().antenna(), 60.0, 78000.0, 300.0));
    constexpr int scans = 50;
    const auto n = count_by_truth(run(radar, world, scans));
    EXPECT_EQ(n.count(0) ? n.at(0) : 0U, k > 1.0 ? static_cast<std::size_t>(scans) : 0U) << "k = " << k;
  }
  // A 1000 m wall 30-32 km north.
  {
    FakeWorld world(testing::wall_terrain(45.0, 20.0, 30000.0, 2000.0, 1000.0));
    Radar radar(quiet_radar(), world.terrain());
    const Geodetic a = radar.site().antenna();
    world.add(target(30.0, 1), point_from(a, 0.0, 60000.0, 1500.0));  // behind the wall
    world.add(target(30.0, 1), point_from(a, 5.0, 45000.0, 800.0));   // behind the wall
    const PlatformIndex over = world.add(target(0.0, 1), point_from(a, 2.0, 60000.0, 4000.0));
    const PlatformIndex side = world.add(target(0.0, 1), point_from(a, 150.0, 60000.0, 1500.0));
    constexpr int scans = 1500;
    auto n = count_by_truth(run(radar, world, scans));
    EXPECT_EQ(n[0], 0U);
    EXPECT_EQ(n[1], 0U);
    for (const PlatformIndex i : {over, side}) {
      const double pd = detection_probability(Swerling::sw1, radar.snr(1.0, slant_range(radar, world, i)), 1e-6);
      EXPECT_TRUE(within_binomial(n[static_cast<std::int32_t>(i.value())], scans, pd)) << i.value();
    }
  }
}

TEST(Radar, RangeAndElevationLimitsHold) {
  FakeWorld world;
  Radar radar(quiet_radar(), world.terrain());
  const Geodetic a = radar.site().antenna();
  world.add(target(20.0, 0), point_from(a, 10.0, 300.0, 200.0));        // inside the blind range
  world.add(target(20.0, 0), point_from(a, 100.0, 5000.0, 14000.0));    // 70 deg up: above the coverage
  world.add(target(60.0, 0), point_from(a, 200.0, 252000.0, 12000.0));  // beyond the instrumented range
  const PlatformIndex ok = world.add(target(20.0, 0), point_from(a, 300.0, 5000.0, 2000.0));
  const auto n = count_by_truth(run(radar, world, 200));
  EXPECT_EQ(n.size(), 1U);
  EXPECT_EQ(n.at(static_cast<std::int32_t>(ok.value())), 200U);
}

// Normalised errors of every target report against the truth at its (clock-corrected) time.
struct ErrorStats {
  std::size_t n = 0;
  double sum[3] = {0, 0, 0};
  double sum2[3] = {0, 0, 0};
};

ErrorStats errors(const Radar& radar, const FakeWorld& world, const std::vector<Detection>& dets,
                  const RegistrationError& reg) {
  const RadarParams& p = radar.params();
  ErrorStats s;
  for (const Detection& d : dets) {
    if (d.truth_index < 0) continue;
    const SimTime t = d.time - SimTime::from_s(reg.clock_offset_s);
    const auto st = world.state_at(PlatformIndex(static_cast<std::uint32_t>(d.truth_index)), t);
    if (!st) {
      ADD_FAILURE() << "report of platform " << d.truth_index << " at " << t.s() << " s, when it does not exist";
      continue;
    }
    const Polar truth = polar_from_enu(radar.site().frame().enu_from_ecef(st->pos_ecef));
    const double e[3] = {
        (d.range_m - reg.range_bias_m - truth.range_m) / p.sigma_range_m,
        std::remainder(d.azimuth_deg - reg.azimuth_bias_deg - truth.azimuth_deg, 360.0) / p.sigma_azimuth_deg,
        (d.elevation_deg - truth.elevation_deg) / p.sigma_elevation_deg};
    for (int j = 0; j < 3; ++j) {
      s.sum[j] += e[j];
      s.sum2[j] += e[j] * e[j];
    }
    ++s.n;
  }
  return s;
}

void expect_consistent(const ErrorStats& s) {
  const double n = static_cast<double>(s.n);
  ASSERT_GT(s.n, 1000U);
  double nees = 0.0;
  for (int j = 0; j < 3; ++j) {
    EXPECT_NEAR(s.sum[j] / n, 0.0, 4.0 / std::sqrt(n)) << "component " << j;
    EXPECT_NEAR(s.sum2[j] / n, 1.0, 4.0 * std::sqrt(2.0 / n)) << "component " << j;  // chi-square(n) / n
    nees += s.sum2[j];
  }
  EXPECT_NEAR(nees / n, 3.0, 4.0 * std::sqrt(6.0 / n));  // average NEES of 3-dof errors
}

FakeWorld moving_targets(const Geodetic& antenna) {
  FakeWorld world;
  for (int j = 0; j < 6; ++j) {
    const double az = 20.0 + 60.0 * j;
    world.add(target(25.0, 1), point_from(antenna, az, 20000.0 + 15000.0 * j, 3000.0 + 1000.0 * j),
              Eigen::Vector3d(250.0 * std::cos(j), 250.0 * std::sin(j), (j % 3 - 1) * 10.0));
  }
  return world;
}

TEST(Radar, MeasurementErrorsAreUnbiasedAndMatchTheStatedSigmas) {
  RadarParams p = quiet_radar();
  p.scan_period_s = 4.0;
  Radar radar(p, world::ElevationGrid::constant(0.0));
  const FakeWorld world = moving_targets(radar.site().antenna());
  const auto dets = run(radar, world, 300);
  for (const Detection& d : dets) {
    EXPECT_EQ(d.sigma_range_m, p.sigma_range_m);
    EXPECT_EQ(d.sigma_azimuth_deg, p.sigma_azimuth_deg);
    EXPECT_EQ(d.sigma_elevation_deg, p.sigma_elevation_deg);
    EXPECT_EQ(d.type, SensorType::radar);
  }
  expect_consistent(errors(radar, world, dets, {}));
}

TEST(Radar, RegistrationErrorsShiftTheReportsByExactlyTheBiases) {
  RadarParams p = quiet_radar();
  p.scan_period_s = 4.0;
  p.clutter_per_scan = 2.0;
  p.registration = {0.7, -250.0, 0.35};
  Radar radar(p, world::ElevationGrid::constant(0.0));
  const FakeWorld world = moving_targets(radar.site().antenna());
  const auto dets = run(radar, world, 300);
  // With the biases removed, the errors are as without them; not removing them would put the
  // range mean at -5 sigma and the azimuth mean at 3.5 sigma, far outside the check.
  expect_consistent(errors(radar, world, dets, p.registration));
  // The biases do not touch the draws: the same radar without them gives the same reports,
  // each shifted by exactly the biases (clutter ranges excepted: they are drawn, not measured).
  RadarParams unbiased = p;
  unbiased.registration = {};
  Radar plain(unbiased, world::ElevationGrid::constant(0.0));
  const auto ref = run(plain, world, 300);
  ASSERT_EQ(dets.size(), ref.size());
  std::size_t clutter = 0;
  for (std::size_t j = 0; j < dets.size(); ++j) {
    ASSERT_EQ(dets[j].truth_index, ref[j].truth_index);
    EXPECT_EQ((dets[j].time - ref[j].time).ns(), SimTime::from_s(0.35).ns()) << j;
    EXPECT_NEAR(std::remainder(dets[j].azimuth_deg - ref[j].azimuth_deg - 0.7, 360.0), 0.0, 1e-9) << j;
    EXPECT_EQ(dets[j].elevation_deg, ref[j].elevation_deg);
    if (dets[j].truth_index < 0) {
      ++clutter;
      EXPECT_EQ(dets[j].range_m, ref[j].range_m);
    } else {
      EXPECT_NEAR(dets[j].range_m - ref[j].range_m, -250.0, 1e-6) << j;
    }
  }
  EXPECT_GT(clutter, 300U);
  const double cell_s = 4.0 * 1.5 / 360.0;  // cells kept back for the next scan
  EXPECT_NEAR(radar.max_lag_s(), 4.0 + cell_s, 1e-8);
  p.registration.clock_offset_s = -0.5;
  EXPECT_NEAR(Radar(p, world::ElevationGrid::constant(0.0)).max_lag_s(), 4.5 + cell_s, 1e-8);
}

TEST(Radar, TargetsInOneResolutionCellGiveOneReportAtTheirPowerCentroid) {
  RadarParams p = quiet_radar();
  p.sigma_range_m = 0.0;
  p.sigma_azimuth_deg = 0.0;
  p.sigma_elevation_deg = 0.0;
  FakeWorld world;
  Radar radar(p, world.terrain());
  const Geodetic a = radar.site().antenna();
  // Steady targets (fixed powers 10:1), 0.5 deg and ~60 m apart at 50 km: one cell.
  const PlatformIndex strong = world.add(target(20.0, 0), point_from(a, 100.0, 50000.0, 5000.0));
  const PlatformIndex weak = world.add(target(10.0, 0), point_from(a, 100.5, 50060.0, 5000.0));
  // The same pair 2 km apart in range, and 3 deg apart in azimuth: separate cells.
  world.add(target(20.0, 0), point_from(a, 200.0, 50000.0, 5000.0));
  world.add(target(10.0, 0), point_from(a, 200.5, 52000.0, 5000.0));
  world.add(target(20.0, 0), point_from(a, 300.0, 50000.0, 5000.0));
  world.add(target(10.0, 0), point_from(a, 303.0, 50000.0, 5000.0));
  constexpr int scans = 50;
  const auto dets = run(radar, world, scans);
  const auto n = count_by_truth(dets);
  EXPECT_EQ(n.count(static_cast<std::int32_t>(weak.value())), 0U);
  EXPECT_EQ(n.at(static_cast<std::int32_t>(strong.value())), static_cast<std::size_t>(scans));
  for (std::int32_t j = 2; j < 6; ++j) EXPECT_EQ(n.at(j), static_cast<std::size_t>(scans)) << j;

  const auto polar_of = [&](PlatformIndex i) {
    return polar_from_enu(radar.site().frame().enu_from_ecef(world.state_at(i, SimTime())->pos_ecef));
  };
  const Polar ps = polar_of(strong), pw = polar_of(weak);
  const double ws = radar.snr(100.0, ps.range_m), ww = radar.snr(10.0, pw.range_m);
  for (const Detection& d : dets) {
    if (d.truth_index != static_cast<std::int32_t>(strong.value())) continue;
    EXPECT_NEAR(d.range_m, (ws * ps.range_m + ww * pw.range_m) / (ws + ww), 0.01);
    EXPECT_NEAR(d.azimuth_deg, (ws * ps.azimuth_deg + ww * pw.azimuth_deg) / (ws + ww), 1e-4);
    EXPECT_NEAR(d.elevation_deg, (ws * ps.elevation_deg + ww * pw.elevation_deg) / (ws + ww), 1e-4);
  }
}

TEST(Radar, CellsDoNotChainAlongALineOfTargets) {
  RadarParams p = quiet_radar();
  FakeWorld world;
  Radar radar(p, world.terrain());
  const Geodetic a = radar.site().antenna();
  // Eight strong steady targets 0.8 beamwidths apart, all at one range: each is within a cell
  // of the next, but the line spans 5.6 beamwidths.
  constexpr int line = 8;
  for (int j = 0; j < line; ++j) {
    world.add(target(20.0, 0), point_from(a, 100.0 + 0.8 * p.azimuth_resolution_deg * j, 50000.0, 5000.0));
  }
  // Two more within one cell of each other, far from the line.
  world.add(target(20.0, 0), point_from(a, 250.0, 50000.0, 5000.0));
  world.add(target(20.0, 0), point_from(a, 250.0 + 0.5 * p.azimuth_resolution_deg, 50050.0, 5000.0));
  constexpr int scans = 20;
  const auto dets = run(radar, world, scans);
  std::vector<int> from_line(scans, 0), from_pair(scans, 0);
  for (const Detection& d : dets) {
    const auto k = static_cast<std::size_t>(d.time.ns() / radar.beam().period().ns());
    ASSERT_LT(k, from_line.size());
    ++(d.truth_index < line ? from_line : from_pair)[k];
  }
  for (int k = 0; k < scans; ++k) {
    // An anchor takes the next target but not the one after: at least every other one reports.
    EXPECT_GE(from_line[static_cast<std::size_t>(k)], line / 2) << "scan " << k;
    EXPECT_LT(from_line[static_cast<std::size_t>(k)], line) << "scan " << k;
    EXPECT_EQ(from_pair[static_cast<std::size_t>(k)], 1) << "scan " << k;
  }
}

// The detection probability of a cell of two steady targets of SNRs s1 and s2 whose echoes add
// with a uniformly random relative phase: the Marcum Q for the resulting amplitude, averaged
// over the phase (midpoint rule; the integrand is smooth and periodic, so this converges fast).
double two_target_pd(double s1, double s2, double pfa) {
  constexpr int steps = 720;
  double sum = 0.0;
  for (int j = 0; j < steps; ++j) {
    const double phase = 2.0 * std::numbers::pi * (j + 0.5) / steps;
    const double power = s1 + s2 + 2.0 * std::sqrt(s1 * s2) * std::cos(phase);
    sum += marcum_q1(std::sqrt(2.0 * std::max(power, 0.0)), std::sqrt(2.0 * threshold_from_pfa(pfa)));
  }
  return sum / steps;
}

TEST(Radar, AMergedCellIsDetectedOnTheFieldSumWithRandomRelativePhase) {
  FakeWorld world;
  Radar radar(quiet_radar(), world.terrain());
  const Geodetic a = radar.site().antenna();
  // Two equal steady targets at 11 dB each, in one cell. Alone each has Pd 0.44; their powers
  // added would give Pd 0.97; as fields with a random relative phase, Pd is 0.65.
  const double r = range_for_snr(radar, 0.0, 11.0);
  world.add(target(0.0, 0), point_from(a, 50.0, r, 3000.0));
  world.add(target(0.0, 0), point_from(a, 50.2, r + 20.0, 3000.0));
  constexpr int scans = 2500;
  const auto n = count_by_truth(run(radar, world, scans));
  const double s1 = radar.snr(1.0, slant_range(radar, world, PlatformIndex(0)));
  const double s2 = radar.snr(1.0, slant_range(radar, world, PlatformIndex(1)));
  const double pd = two_target_pd(s1, s2, 1e-6);
  EXPECT_NEAR(pd, 0.65, 0.01);
  EXPECT_GT(detection_probability(Swerling::sw0, s1 + s2, 1e-6), 0.95);  // what power addition would give
  std::size_t total = 0;
  for (const auto& [truth, k] : n) total += k;
  EXPECT_TRUE(within_binomial(total, scans, pd)) << total << " vs " << pd;
}

TEST(Radar, EchoesEitherSideOfTheStartAzimuthShareACell) {
  RadarParams p = quiet_radar();
  p.sigma_range_m = 0.0;
  p.sigma_azimuth_deg = 0.0;
  p.sigma_elevation_deg = 0.0;
  FakeWorld world;
  const Geodetic a = resolve_antenna(p.antenna, world.terrain());
  // 0.6 deg apart across north, swept 1.7 ms apart at the end of one scan and the start of
  // the next (start azimuth 0).
  const PlatformIndex strong = world.add(target(20.0, 0), point_from(a, 359.7, 50000.0, 5000.0));
  const PlatformIndex weak = world.add(target(10.0, 0), point_from(a, 0.3, 50000.0, 5000.0));
  constexpr int scans = 50;
  Radar radar(p, world.terrain());
  RngStream rng = Rng(1).stream("radar/R1");
  std::vector<Detection> dets;
  for (int k = 0; k < scans; ++k) {
    const std::size_t before = dets.size();
    radar.scan(k, world, SensorIndex(0), rng, dets);
    for (std::size_t j = before; j < dets.size(); ++j) {
      // Reported with the scan in which the cell closed, no earlier than a cell before it.
      EXPECT_LT(dets[j].time, radar.beam().scan_end(k));
      EXPECT_GE(dets[j].time, radar.beam().scan_start(k) - SimTime::from_ns(radar.cell_ns()));
    }
  }
  const auto n = count_by_truth(dets);
  // The weak target's echo at the very start of scan 0 has no partner; every later one merges
  // with the strong echo at the end of the scan before. The strong echo of the last scan waits
  // for a scan that is never run.
  EXPECT_EQ(n.at(static_cast<std::int32_t>(weak.value())), 1U);
  EXPECT_EQ(n.at(static_cast<std::int32_t>(strong.value())), static_cast<std::size_t>(scans - 1));
  const double ws = radar.snr(100.0, 50000.0), ww = radar.snr(10.0, 50000.0);
  for (const Detection& d : dets) {
    if (d.truth_index != static_cast<std::int32_t>(strong.value())) continue;
    EXPECT_NEAR(std::remainder(d.azimuth_deg - (ws * -0.3 + ww * 0.3) / (ws + ww), 360.0), 0.0, 2e-3);
  }

  // Away from the seam the same pair gives one report every scan.
  p.start_azimuth_deg = 90.0;
  Radar turned(p, world.terrain());
  const auto m = count_by_truth(run(turned, world, scans));
  EXPECT_EQ(m.count(static_cast<std::int32_t>(weak.value())), 0U);
  EXPECT_EQ(m.at(static_cast<std::int32_t>(strong.value())), static_cast<std::size_t>(scans));
}

TEST(Radar, TargetsBelowTheMinimumElevationAreNeverDetected) {
  // A 3000 m spike one grid node wide under the antenna: the ground falls away steeply, so the
  // terrain masks nothing above -20 deg and only the elevation window matters.
  const double lat0 = 45.0, lon0 = 20.0, d = 0.01;
  constexpr int half = 20, size = 2 * half + 1;
  std::vector<float> h(static_cast<std::size_t>(size * size), 0.0F);
  h[static_cast<std::size_t>(half * size + half)] = 3000.0F;
  FakeWorld world(world::ElevationGrid(lat0 - half * d, lon0 - half * d, d, d, size, size, std::move(h)));
  RadarParams p = quiet_radar();
  p.antenna = {lat0, lon0, 10.0};
  ASSERT_EQ(p.min_elevation_deg, -2.0);
  Radar radar(p, world.terrain());
  const Geodetic a = radar.site().antenna();
  ASSERT_NEAR(a.alt_m, 3010.0, 1e-6);
  const PlatformIndex below = world.add(target(30.0, 0), point_from(a, 90.0, 20000.0, 2170.0));
  const PlatformIndex above = world.add(target(30.0, 0), point_from(a, 200.0, 20000.0, 2480.0));
  const auto elevation = [&](PlatformIndex i) {
    return polar_from_enu(radar.site().frame().enu_from_ecef(world.state_at(i, SimTime())->pos_ecef)).elevation_deg;
  };
  ASSERT_LT(elevation(below), -2.3);
  ASSERT_GT(elevation(above), -1.8);
  ASSERT_LT(elevation(above), -1.5);
  constexpr int scans = 50;
  const auto n = count_by_truth(run(radar, world, scans));
  EXPECT_EQ(n.count(static_cast<std::int32_t>(below.value())), 0U);
  EXPECT_EQ(n.at(static_cast<std::int32_t>(above.value())), static_cast<std::size_t>(scans));
  // The same target is seen once the window opens lower.
  p.min_elevation_deg = -3.0;
  Radar lower(p, world.terrain());
  EXPECT_EQ(count_by_truth(run(lower, world, scans)).at(static_cast<std::int32_t>(below.value())),
            static_cast<std::size_t>(scans));
}

TEST(Radar, SameStreamSameReports) {
  RadarParams p = quiet_radar();
  p.clutter_per_scan = 3.0;
  Radar radar(p, world::ElevationGrid::constant(0.0));
  const FakeWorld world = moving_targets(radar.site().antenna());
  const auto a = run(radar, world, 40, 9), b = run(radar, world, 40, 9), c = run(radar, world, 40, 10);
  ASSERT_FALSE(a.empty());
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t j = 0; j < a.size(); ++j) {
    EXPECT_EQ(a[j].time, b[j].time);
    EXPECT_EQ(a[j].range_m, b[j].range_m);
    EXPECT_EQ(a[j].truth_index, b[j].truth_index);
  }
  const auto ranges = [](const std::vector<Detection>& dets) {
    std::vector<double> r;
    for (const Detection& d : dets) r.push_back(d.range_m);
    return r;
  };
  EXPECT_NE(ranges(a), ranges(c));
}

}  // namespace
}  // namespace jrads::sensors
