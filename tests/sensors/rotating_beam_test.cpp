#include "jrads/sensors/rotating_beam.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "sensors/fake_world.hpp"

namespace jrads::sensors {
namespace {

using testing::FakeWorld;
using testing::point_from;

double angle_diff_deg(double a, double b) { return std::abs(std::remainder(a - b, 360.0)); }

TEST(RotatingBeam, TurnsClockwiseFromItsStartAzimuth) {
  const RotatingBeam beam(10.0, 30.0);
  EXPECT_NEAR(beam.azimuth_deg(SimTime::from_s(0.0)), 30.0, 1e-12);
  EXPECT_NEAR(beam.azimuth_deg(SimTime::from_s(2.5)), 120.0, 1e-9);
  EXPECT_NEAR(beam.azimuth_deg(SimTime::from_s(9.5)), 12.0, 1e-9);
  EXPECT_NEAR(beam.azimuth_deg(SimTime::from_s(12.5)), 120.0, 1e-9);
  EXPECT_EQ(beam.scan_start(3), SimTime::from_s(30.0));
  EXPECT_EQ(beam.scan_end(3), SimTime::from_s(40.0));
  // The beam reaches 120 deg 2.5 s into every scan and 29 deg just before its end.
  EXPECT_EQ(beam.crossing_time(4, 120.0), SimTime::from_s(42.5));
  EXPECT_EQ(beam.crossing_time(4, 480.0), SimTime::from_s(42.5));
  EXPECT_EQ(beam.crossing_time(0, 30.0), SimTime::from_s(0.0));
  EXPECT_LT(beam.crossing_time(0, 29.9999999999), beam.scan_end(0));
  for (double az = 0.0; az < 360.0; az += 7.3) {
    EXPECT_NEAR(beam.azimuth_deg(beam.crossing_time(2, az)), az, 1e-6);
  }
}

TEST(RotatingBeam, FindsTheScansEndingInAWindow) {
  const RotatingBeam beam(10.0, 0.0);
  EXPECT_EQ(beam.first_scan_ending_at_or_after(SimTime::from_s(0.0)), -1);
  EXPECT_EQ(beam.first_scan_ending_at_or_after(SimTime::from_ns(1)), 0);
  EXPECT_EQ(beam.first_scan_ending_at_or_after(SimTime::from_s(10.0)), 0);
  EXPECT_EQ(beam.first_scan_ending_at_or_after(SimTime::from_s(10.0) + SimTime::from_ns(1)), 1);
  EXPECT_EQ(beam.first_scan_ending_at_or_after(SimTime::from_s(-5.0)), -1);
  EXPECT_EQ(beam.first_scan_ending_at_or_after(SimTime::from_s(-15.0)), -2);
}

TEST(RotatingBeam, MeasuresAStillTargetWhenTheBeamPointsAtIt) {
  FakeWorld world;
  const SensorSite site({45.0, 20.0, 10.0}, world.terrain(), 200000.0, 4.0 / 3.0);
  const PlatformIndex i = world.add(testing::target(), point_from(site.antenna(), 90.0, 50000.0, 5000.0));
  const RotatingBeam beam(8.0, 0.0);
  const auto hit = find_beam_hit(beam, 5, site, world, i, 200000.0);
  ASSERT_TRUE(hit);
  EXPECT_NEAR(hit->state.time.s(), 42.0, 1e-6);  // a quarter turn into scan 5
  EXPECT_NEAR(hit->polar.azimuth_deg, 90.0, 0.01);
  EXPECT_NEAR((hit->pos_enu.vec() - site.frame().enu_from_ecef(hit->state.pos_ecef).vec()).norm(), 0.0, 1e-9);
}

TEST(RotatingBeam, FindsEveryPhysicalCrossingOfAFastTarget) {
  // 400 m/s tangentially at 4 km (5.7 deg/s against the beam's 36 deg/s), flying with and
  // against the beam and across the scan seam at north. The truth is a brute-force search of
  // the instants at which the beam passes the target.
  FakeWorld world;
  const SensorSite site({45.0, 20.0, 10.0}, world.terrain(), 200000.0, 4.0 / 3.0);
  const RotatingBeam beam(10.0, 0.0);
  constexpr int scans = 16;
  for (const double sign : {1.0, -1.0}) {
    const PlatformIndex i = world.add(testing::target(), point_from(site.antenna(), -sign * 20.0, 4000.0, 3000.0),
                                      Eigen::Vector3d(sign * 400.0, 0.0, 0.0));
    std::vector<double> crossings_s;
    double f_prev = 0.0;
    constexpr double dt_s = 0.004;
    for (double t = 0.0; t < scans * 10.0; t += dt_s) {
      const auto st = world.state_at(i, SimTime::from_s(t));
      const double az = polar_from_enu(site.frame().enu_from_ecef(st->pos_ecef)).azimuth_deg;
      const double f = std::remainder(az - beam.azimuth_deg(SimTime::from_s(t)), 360.0);
      if (t > 0.0 && f_prev > 0.0 && f <= 0.0 && f_prev - f < 90.0) crossings_s.push_back(t);
      f_prev = f;
    }
    int hits = 0;
    std::size_t queries = 0;
    for (std::int64_t k = 0; k < scans; ++k) {
      std::vector<double> truth;
      for (const double c : crossings_s) {
        if (c >= beam.scan_start(k).s() && c < beam.scan_end(k).s()) truth.push_back(c);
      }
      const std::size_t before = world.queries();
      world.set_history(beam.scan_start(k), beam.scan_end(k));  // the scan, no more
      const std::size_t outside = world.queries_outside_history();
      const auto hit = find_beam_hit(beam, k, site, world, i, 200000.0);
      EXPECT_EQ(world.queries_outside_history(), outside);
      world.set_history(SimTime::from_s(-1e9), SimTime::from_s(1e9));
      EXPECT_LE(world.queries() - before, 17U);
      queries += world.queries() - before;
      if (truth.empty()) {
        EXPECT_FALSE(hit) << "scan " << k << " sign " << sign << " at " << hit->state.time.s();
        continue;
      }
      ASSERT_TRUE(hit) << "scan " << k << " sign " << sign << " truth " << truth[0];
      ++hits;
      double nearest = 1e9;
      for (const double c : truth) nearest = std::min(nearest, std::abs(c - hit->state.time.s()));
      EXPECT_LT(nearest, dt_s + 1e-3) << "scan " << k << " sign " << sign;
      // At the reported instant the beam points at the target (to 0.1 ms of beam motion).
      EXPECT_LT(angle_diff_deg(beam.azimuth_deg(hit->state.time), hit->polar.azimuth_deg), 0.0037) << k;
    }
    EXPECT_GE(hits, scans - 2);
    // Newton on the target's azimuth rate: mostly the cull's query, one at the predicted
    // crossing and one correction (the azimuth rate changes fast this close).
    EXPECT_LE(queries, static_cast<std::size_t>(3.2 * scans)) << queries;
  }
}

TEST(RotatingBeam, ADistantStraightFlyerCostsTwoStateQueries) {
  FakeWorld world;
  const SensorSite site({45.0, 20.0, 10.0}, world.terrain(), 200000.0, 4.0 / 3.0);
  const RotatingBeam beam(10.0, 0.0);
  const PlatformIndex i = world.add(testing::target(), point_from(site.antenna(), 120.0, 100000.0, 9000.0),
                                    Eigen::Vector3d(-150.0, 200.0, 0.0));
  const std::size_t before = world.queries();
  for (std::int64_t k = 0; k < 20; ++k) {
    const auto hit = find_beam_hit(beam, k, site, world, i, 200000.0);
    ASSERT_TRUE(hit);
    EXPECT_LT(angle_diff_deg(beam.azimuth_deg(hit->state.time), hit->polar.azimuth_deg), 0.0037) << k;
  }
  EXPECT_LE(world.queries() - before, 45U);  // 2 per scan, now and then a third
}

TEST(RotatingBeam, CullsWhatIsOutOfReachOrAbsentWithOneQuery) {
  FakeWorld world;
  const SensorSite site({45.0, 20.0, 10.0}, world.terrain(), 200000.0, 4.0 / 3.0);
  const RotatingBeam beam(10.0, 0.0);
  const PlatformIndex far = world.add(testing::target(), point_from(site.antenna(), 45.0, 300000.0, 9000.0));
  const PlatformIndex late = world.add(testing::target(), point_from(site.antenna(), 45.0, 30000.0, 9000.0),
                                       Eigen::Vector3d::Zero(), 100.0, 200.0);
  const std::size_t before = world.queries();
  EXPECT_FALSE(find_beam_hit(beam, 0, site, world, far, 200000.0));
  EXPECT_EQ(world.queries(), before + 1);
  EXPECT_FALSE(find_beam_hit(beam, 0, site, world, late, 200000.0));
  EXPECT_EQ(world.queries(), before + 1);  // alive_during rules it out without a state query
  EXPECT_TRUE(find_beam_hit(beam, 12, site, world, late, 200000.0));
  EXPECT_FALSE(find_beam_hit(beam, 25, site, world, late, 200000.0));
}

}  // namespace
}  // namespace jrads::sensors
