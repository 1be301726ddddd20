#include "jrads/sensors/iff_interrogator.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "sensors/fake_world.hpp"

namespace jrads::sensors {
namespace {

using testing::FakeWorld;
using testing::point_from;
using testing::within_binomial;
using world::Category;

world::PlatformParams with(Category c, bool mode5, std::optional<std::uint16_t> squawk, bool mode3_on = true,
                           bool mode5_on = true) {
  world::PlatformParams p = testing::target(10.0, 1, c);
  p.transponder.mode5_equipped = mode5;
  p.transponder.mode5_on = mode5_on;
  p.transponder.squawk = squawk;
  p.transponder.mode3_on = mode3_on;
  return p;
}

TEST(IffInterrogator, ReplyRules) {
  const auto reply = [](const world::PlatformParams& p) { return transponder_reply(p); };
  EXPECT_EQ(reply(with(Category::friendly, true, std::nullopt))->code, IffReply::mode5_valid);
  EXPECT_EQ(reply(with(Category::friendly, true, 4321))->code, IffReply::mode5_valid);
  // Mode 5 switched off: falls back to Mode 3/A when a code is set.
  EXPECT_EQ(reply(with(Category::friendly, true, 4321, true, false))->code, IffReply::mode3);
  EXPECT_EQ(reply(with(Category::friendly, true, 4321, true, false))->squawk, 4321);
  EXPECT_FALSE(reply(with(Category::friendly, true, std::nullopt, true, false)));
  // Civil: Mode 3/A only, and only when on; a Mode 5 fit does not make it a friend.
  EXPECT_EQ(reply(with(Category::civil, false, 1200))->code, IffReply::mode3);
  EXPECT_EQ(reply(with(Category::civil, true, 1200))->code, IffReply::mode3);
  EXPECT_FALSE(reply(with(Category::civil, false, 1200, false)));
  EXPECT_FALSE(reply(with(Category::civil, false, std::nullopt)));
  // Hostiles never reply, even with a transponder or while spoofing ADS-B.
  world::PlatformParams h = with(Category::hostile, true, 7000);
  h.spoof = world::AdsbSpoof{0xABCDEF, 1234, 0.0, 0.0, 9};
  EXPECT_FALSE(reply(h));
}

IffParams perfect_iff() {
  IffParams p;
  p.id = "I1";
  p.antenna = {45.0, 20.0, 10.0};
  p.scan_period_s = 1.0;
  p.p_miss = 0.0;
  p.p_garble = 0.0;
  return p;
}

std::vector<Detection> run(const IffInterrogator& iff, const world::WorldView& world, int scans,
                           std::uint64_t seed = 1) {
  RngStream rng = Rng(seed).stream("iff/" + iff.params().id);
  std::vector<Detection> out;
  for (int k = 0; k < scans; ++k) iff.scan(k, world, SensorIndex(3), rng, out);
  return out;
}

TEST(IffInterrogator, EachPlatformRepliesWithItsCodeOncePerScan) {
  FakeWorld world;
  const IffInterrogator iff(perfect_iff(), world.terrain());
  const Geodetic a = iff.site().antenna();
  world.add(with(Category::friendly, true, std::nullopt), point_from(a, 10.0, 80000.0, 6000.0));
  world.add(with(Category::civil, false, 1200), point_from(a, 100.0, 80000.0, 6000.0));
  world::PlatformParams spoofer = with(Category::hostile, false, std::nullopt);
  spoofer.spoof = world::AdsbSpoof{0xABCDEF, 1234, 1000.0, 0.0, 9};
  world.add(spoofer, point_from(a, 190.0, 80000.0, 6000.0));
  world.add(with(Category::civil, false, std::nullopt), point_from(a, 280.0, 80000.0, 6000.0));
  world.add(with(Category::civil, false, 2000), point_from(a, 300.0, 310000.0, 12000.0));  // out of range
  world.add(with(Category::civil, false, 2001), point_from(a, 320.0, 100000.0, 100.0));    // below the horizon
  constexpr int scans = 20;
  const auto dets = run(iff, world, scans);
  std::map<std::int32_t, int> n;
  for (const Detection& d : dets) {
    ++n[d.truth_index];
    EXPECT_EQ(d.type, SensorType::iff);
    EXPECT_EQ(d.sensor, SensorIndex(3));
    const auto k = d.time.ns() / iff.beam().period().ns();
    EXPECT_LT(std::abs(std::remainder(iff.beam().azimuth_deg(d.time) - d.azimuth_deg, 360.0)), 1.0) << k;
    if (d.truth_index == 0) {
      EXPECT_EQ(d.iff, IffReply::mode5_valid);
      EXPECT_FALSE(d.has_squawk);
    } else {
      EXPECT_EQ(d.iff, IffReply::mode3);
      EXPECT_TRUE(d.has_squawk);
      EXPECT_EQ(d.squawk, 1200);
    }
  }
  EXPECT_EQ(n.size(), 2U);
  EXPECT_EQ(n[0], scans);
  EXPECT_EQ(n[1], scans);
}

TEST(IffInterrogator, MissesAndGarblesAtTheirRates) {
  FakeWorld world;
  IffParams p = perfect_iff();
  p.p_miss = 0.3;
  p.p_garble = 0.2;
  const IffInterrogator iff(p, world.terrain());
  const Geodetic a = iff.site().antenna();
  for (int j = 0; j < 4; ++j) world.add(with(Category::civil, false, 1200), point_from(a, 90.0 * j, 50000.0, 5000.0));
  constexpr int scans = 1000;
  const auto dets = run(iff, world, scans);
  std::size_t garbled = 0;
  for (const Detection& d : dets) {
    if (d.iff == IffReply::none) {
      ++garbled;
      EXPECT_FALSE(d.has_squawk);
    }
  }
  EXPECT_TRUE(within_binomial(dets.size(), 4 * scans, 0.7)) << dets.size();
  EXPECT_TRUE(within_binomial(garbled, dets.size(), 0.2)) << garbled;
}

TEST(IffInterrogator, PositionErrorsMatchTheIffSigmas) {
  FakeWorld world;
  const IffInterrogator iff(perfect_iff(), world.terrain());
  const Geodetic a = iff.site().antenna();
  for (int j = 0; j < 5; ++j) {
    world.add(with(Category::civil, false, 1200), point_from(a, 70.0 * j, 30000.0 + 20000.0 * j, 4000.0),
              Eigen::Vector3d(200.0, -100.0 * j, 0.0));
  }
  const auto dets = run(iff, world, 300);
  double sum[3] = {0, 0, 0}, sum2[3] = {0, 0, 0};
  const IffParams& p = iff.params();
  for (const Detection& d : dets) {
    EXPECT_EQ(d.sigma_range_m, p.sigma_range_m);
    const auto st = world.state_at(PlatformIndex(static_cast<std::uint32_t>(d.truth_index)), d.time);
    const Polar t = polar_from_enu(iff.site().frame().enu_from_ecef(st->pos_ecef));
    const double e[3] = {(d.range_m - t.range_m) / p.sigma_range_m,
                         std::remainder(d.azimuth_deg - t.azimuth_deg, 360.0) / p.sigma_azimuth_deg,
                         (d.elevation_deg - t.elevation_deg) / p.sigma_elevation_deg};
    for (int j = 0; j < 3; ++j) {
      sum[j] += e[j];
      sum2[j] += e[j] * e[j];
    }
  }
  const double n = static_cast<double>(dets.size());
  ASSERT_EQ(dets.size(), 1500U);
  for (int j = 0; j < 3; ++j) {
    EXPECT_NEAR(sum[j] / n, 0.0, 4.0 / std::sqrt(n)) << j;
    EXPECT_NEAR(sum2[j] / n, 1.0, 4.0 * std::sqrt(2.0 / n)) << j;
  }
}

}  // namespace
}  // namespace jrads::sensors
