#include "jrads/sensors/adsb.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "sensors/fake_world.hpp"

namespace jrads::sensors {
namespace {

using testing::FakeWorld;
using testing::point_from;
using testing::within_binomial;

const Geodetic kCentre{45.0, 20.0, 0.0};

world::PlatformParams equipped(std::uint32_t icao, int nacp = 8, double start_s = 0.0) {
  world::PlatformParams p = testing::target();
  p.transponder.icao = icao;
  p.transponder.squawk = 1200;
  p.transponder.adsb_out = true;
  p.transponder.nacp = nacp;
  p.start_time_s = start_s;
  return p;
}

std::vector<AdsbMessage> broadcast(const FakeWorld& world, PlatformIndex i, double t_end_s, double window_s,
                                   std::uint64_t seed = 1, double t_begin_s = 0.0) {
  AdsbTransmitter tx(i, world.platform(i), AdsbBroadcastParams{}, Rng(seed).stream("adsb-tx/" + world.platform(i).id));
  std::vector<AdsbMessage> out;
  for (double t = t_begin_s; t < t_end_s; t += window_s) {
    tx.broadcast(SimTime::from_s(t), SimTime::from_s(std::min(t + window_s, t_end_s)), world, out);
  }
  return out;
}

TEST(Adsb, NacpBoundsAndSigmas) {
  EXPECT_EQ(nacp_epu_m(11), 3.0);
  EXPECT_EQ(nacp_epu_m(10), 10.0);
  EXPECT_EQ(nacp_epu_m(9), 30.0);
  EXPECT_EQ(nacp_epu_m(8), 92.6);
  EXPECT_EQ(nacp_epu_m(7), 185.2);
  EXPECT_EQ(nacp_epu_m(6), 555.6);
  EXPECT_EQ(nacp_epu_m(5), 926.0);
  EXPECT_EQ(nacp_epu_m(4), 1852.0);
  EXPECT_EQ(nacp_epu_m(1), 18520.0);
  EXPECT_EQ(nacp_epu_m(15), 3.0);
  EXPECT_NEAR(nacp_sigma_m(9), 30.0 / 2.4477, 1e-3);
  // The 95 % radius of a circular Gaussian with that sigma is the EPU.
  const double s = nacp_sigma_m(7);
  EXPECT_NEAR(1.0 - std::exp(-0.5 * std::pow(185.2 / s, 2)), 0.95, 1e-6);
}

TEST(Adsb, WhoBroadcasts) {
  EXPECT_TRUE(broadcasts_adsb(equipped(1)));
  world::PlatformParams quiet = testing::target();
  EXPECT_FALSE(broadcasts_adsb(quiet));
  quiet.spoof = world::AdsbSpoof{};
  EXPECT_TRUE(broadcasts_adsb(quiet));
}

TEST(Adsb, SquittersComeAboutOnceASecondWithJitter) {
  FakeWorld world;
  const PlatformIndex i =
      world.add(equipped(0xABC123, 8, 50.0), point_from(kCentre, 0.0, 0.0, 9000.0), Eigen::Vector3d::Zero(), 50.0, 1e9);
  const auto msgs = broadcast(world, i, 1050.0, 1000.0);
  ASSERT_GE(msgs.size(), 998U);
  ASSERT_LE(msgs.size(), 1001U);
  EXPECT_GE(msgs.front().time.s(), 50.0);
  EXPECT_LT(msgs.front().time.s(), 51.0);
  double sum = 0.0, sum2 = 0.0;
  for (std::size_t j = 1; j < msgs.size(); ++j) {
    const double dt = (msgs[j].time - msgs[j - 1].time).s();
    EXPECT_GE(dt, 0.9 - 1e-9);
    EXPECT_LE(dt, 1.1 + 1e-9);
    sum += dt;
    sum2 += dt * dt;
  }
  const double n = static_cast<double>(msgs.size() - 1), mean = sum / n;
  EXPECT_NEAR(mean, 1.0, 4.0 * 0.0577 / std::sqrt(n));
  EXPECT_NEAR(std::sqrt(sum2 / n - mean * mean), 0.2 / std::sqrt(12.0), 0.01);  // uniform +- 0.1
  for (const auto& m : msgs) {
    EXPECT_EQ(m.icao, 0xABC123U);
    EXPECT_TRUE(m.has_icao);
    EXPECT_EQ(m.squawk, 1200);
  }
}

// East/north/up errors of reported positions, in the tangent plane at the true position.
struct NeuStats {
  double mean[3] = {0, 0, 0};
  double var[3] = {0, 0, 0};
  std::size_t n = 0;
};
NeuStats position_errors(const FakeWorld& world, const std::vector<AdsbMessage>& msgs) {
  NeuStats s;
  std::vector<Eigen::Vector3d> e;
  for (const auto& m : msgs) {
    const auto st = world.state_at(m.source, m.time);
    const LocalFrame frame(st->pos);
    Geodetic rep = m.reported;
    const Enu d = frame.enu_from_geodetic(rep);
    e.emplace_back(d.e_m, d.n_m, m.reported.alt_m - st->pos.alt_m);
  }
  s.n = e.size();
  for (int j = 0; j < 3; ++j) {
    for (const auto& v : e) s.mean[j] += v[j];
    s.mean[j] /= static_cast<double>(s.n);
    for (const auto& v : e) s.var[j] += (v[j] - s.mean[j]) * (v[j] - s.mean[j]);
    s.var[j] /= static_cast<double>(s.n - 1);
  }
  return s;
}

TEST(Adsb, PositionErrorsFollowTheNacp) {
  FakeWorld world;
  const PlatformIndex i =
      world.add(equipped(0xABC123, 7), point_from(kCentre, 0.0, 0.0, 9000.0), Eigen::Vector3d(220.0, 40.0, 0.0));
  const auto msgs = broadcast(world, i, 2000.0, 10.0);
  const NeuStats s = position_errors(world, msgs);
  const double sigma = nacp_sigma_m(7), n = static_cast<double>(s.n);
  for (const auto& m : msgs) EXPECT_EQ(m.sigma_pos_m, sigma);
  for (int j = 0; j < 2; ++j) {
    EXPECT_NEAR(s.mean[j] / sigma, 0.0, 4.0 / std::sqrt(n)) << j;
    EXPECT_NEAR(s.var[j] / (sigma * sigma), 1.0, 4.0 * std::sqrt(2.0 / n)) << j;
  }
  EXPECT_NEAR(s.mean[2] / 8.0, 0.0, 4.0 / std::sqrt(n));
  EXPECT_NEAR(s.var[2] / 64.0, 1.0, 4.0 * std::sqrt(2.0 / n));
}

TEST(Adsb, ASpooferReportsItsFalseIdentityAtItsOffset) {
  FakeWorld world;
  world::PlatformParams p = testing::target(10.0, 1, world::Category::hostile);
  p.spoof = world::AdsbSpoof{0x4CA123, 7700, 15000.0, -8000.0, 9};
  const PlatformIndex i = world.add(p, point_from(kCentre, 0.0, 0.0, 5000.0), Eigen::Vector3d(0.0, 250.0, 0.0));
  const auto msgs = broadcast(world, i, 1000.0, 1000.0);
  const NeuStats s = position_errors(world, msgs);
  const double sigma = nacp_sigma_m(9), n = static_cast<double>(s.n);
  // The offset is exact to well within the noise (metres over 17 km).
  EXPECT_NEAR(s.mean[0], 15000.0, 4.0 * sigma / std::sqrt(n) + 1.0);
  EXPECT_NEAR(s.mean[1], -8000.0, 4.0 * sigma / std::sqrt(n) + 1.0);
  EXPECT_NEAR(s.var[0] / (sigma * sigma), 1.0, 4.0 * std::sqrt(2.0 / n));
  for (const auto& m : msgs) {
    EXPECT_EQ(m.icao, 0x4CA123U);
    EXPECT_TRUE(m.has_squawk);
    EXPECT_EQ(m.squawk, 7700);
    EXPECT_EQ(m.source, i);
  }
}

TEST(Adsb, TheScheduleDoesNotDependOnTheWindows) {
  FakeWorld world;
  const PlatformIndex i = world.add(equipped(7), point_from(kCentre, 0.0, 0.0, 9000.0), Eigen::Vector3d(200, 0, 0));
  const auto one = broadcast(world, i, 120.0, 120.0);
  const auto many = broadcast(world, i, 120.0, 0.7);
  const auto late = broadcast(world, i, 120.0, 3.3, 1, 40.0);
  ASSERT_EQ(one.size(), many.size());
  for (std::size_t j = 0; j < one.size(); ++j) {
    EXPECT_EQ(one[j].time, many[j].time);
    EXPECT_EQ(one[j].reported.lat_deg, many[j].reported.lat_deg);
  }
  // Starting late skips the early squitters but leaves the later ones as they were.
  std::size_t skip = 0;
  while (one[skip].time < SimTime::from_s(40.0)) ++skip;
  ASSERT_EQ(late.size(), one.size() - skip);
  for (std::size_t j = 0; j < late.size(); ++j) EXPECT_EQ(late[j].reported.lon_deg, one[j + skip].reported.lon_deg);
}

TEST(Adsb, ReceiversDecodeWhatTheySeeAtTheirRateAndAllHearTheSameMessage) {
  FakeWorld world;
  AdsbReceiverParams rp;
  rp.id = "A1";
  rp.antenna = {45.0, 20.0, 15.0};
  rp.p_receive = 0.8;
  rp.max_range_m = 200000.0;
  const AdsbReceiver rx1(rp, world.terrain());
  rp.id = "A2";
  rp.antenna = {45.3, 20.3, 15.0};
  const AdsbReceiver rx2(rp, world.terrain());
  const PlatformIndex near = world.add(equipped(1), point_from(kCentre, 30.0, 60000.0, 9000.0));
  const PlatformIndex far = world.add(equipped(2), point_from(kCentre, 200.0, 230000.0, 12000.0));
  const PlatformIndex low = world.add(equipped(3), point_from(kCentre, 250.0, 100000.0, 100.0));
  std::vector<AdsbMessage> msgs;
  for (const PlatformIndex i : {near, far, low}) {
    const auto m = broadcast(world, i, 1000.0, 1000.0);
    msgs.insert(msgs.end(), m.begin(), m.end());
  }
  RngStream r1 = Rng(1).stream("adsb-rx/A1"), r2 = Rng(1).stream("adsb-rx/A2");
  std::vector<Detection> d1, d2;
  for (const auto& m : msgs) {
    rx1.receive(m, SensorIndex(0), r1, d1);
    rx2.receive(m, SensorIndex(1), r2, d2);
  }
  std::size_t near_msgs = 0;
  for (const auto& m : msgs) near_msgs += m.source == near;
  for (const auto& d : d1) {
    EXPECT_EQ(d.truth_index, static_cast<std::int32_t>(near.value()));  // the others are out of range / low
    EXPECT_EQ(d.type, SensorType::adsb);
    EXPECT_EQ(d.sigma_pos_m, nacp_sigma_m(8));
    EXPECT_EQ(d.icao, 1U);
  }
  EXPECT_TRUE(within_binomial(d1.size(), near_msgs, 0.8)) << d1.size() << " of " << near_msgs;
  // Both receivers heard some squitters in common: their contents are identical.
  std::size_t common = 0;
  for (const auto& a : d1) {
    for (const auto& b : d2) {
      if (a.time == b.time && a.truth_index == b.truth_index) {
        ++common;
        EXPECT_EQ(a.pos.lat_deg, b.pos.lat_deg);
        EXPECT_EQ(a.pos.lon_deg, b.pos.lon_deg);
        EXPECT_EQ(a.pos.alt_m, b.pos.alt_m);
      }
    }
  }
  EXPECT_GT(common, near_msgs / 2);
}

// A spoofer at `truth` reporting itself at about `claimed` (same height): the offset is the
// claimed point's horizontal position in the tangent plane at the true one.
world::PlatformParams spoofer_claiming(const Geodetic& truth, const Geodetic& claimed) {
  world::PlatformParams p = testing::target(10.0, 1, world::Category::hostile);
  const Enu off = LocalFrame(truth).enu_from_geodetic(claimed);
  p.spoof = world::AdsbSpoof{0x4CA000, 7700, off.e_m, off.n_m, 9};
  return p;
}

TEST(Adsb, ReceiversJudgeRangeAndLineOfSightOnTheTrueTransmitterPosition) {
  // A 1000 m wall 30-32 km north of the receiver; range 200 km.
  FakeWorld world(testing::wall_terrain(45.0, 20.0, 30000.0, 2000.0, 1000.0));
  AdsbReceiverParams rp;
  rp.id = "A1";
  rp.antenna = {45.0, 20.0, 15.0};
  rp.p_receive = 1.0;
  rp.max_range_m = 200000.0;
  const AdsbReceiver rx(rp, world.terrain());
  const Geodetic& c = rx.site().antenna();
  struct Case {
    const char* what;
    Geodetic truth, claimed;
    bool heard;
  };
  const Case cases[] = {
      {"in view, claims to be out of range",  //
       point_from(c, 30.0, 60000.0, 9000.0), point_from(c, 30.0, 330000.0, 9000.0), true},
      {"in view, claims to be behind the wall",  //
       point_from(c, 180.0, 50000.0, 500.0), point_from(c, 0.0, 60000.0, 500.0), true},
      {"out of range, claims to be near",  //
       point_from(c, 250.0, 260000.0, 9000.0), point_from(c, 250.0, 50000.0, 9000.0), false},
      {"behind the wall, claims to be in view",  //
       point_from(c, 0.0, 60000.0, 500.0), point_from(c, 180.0, 60000.0, 500.0), false},
  };
  const auto distance_m = [&](const Geodetic& g) {
    return std::sqrt(rx.site().distance2_m2(ecef_from_geodetic(g)));
  };
  const auto seen = [&](const Geodetic& g) {
    return rx.site().sees(rx.site().frame().enu_from_geodetic(g), g.alt_m);
  };
  for (const Case& k : cases) {
    const PlatformIndex i = world.add(spoofer_claiming(k.truth, k.claimed), k.truth);
    const auto msgs = broadcast(world, i, 100.0, 100.0);
    ASSERT_GE(msgs.size(), 99U);
    // The geometry is what the case says: true and claimed positions on opposite sides.
    ASSERT_EQ(seen(k.truth), k.heard) << k.what;
    for (const AdsbMessage& m : msgs) {
      ASSERT_LT(LocalFrame(k.claimed).enu_from_geodetic(m.reported).vec().head<2>().norm(), 2000.0) << k.what;
      ASSERT_NE(seen(m.reported), k.heard) << k.what;
    }
    ASSERT_EQ(distance_m(k.claimed) > rp.max_range_m || !seen(k.claimed), k.heard) << k.what;
    RngStream rng = Rng(1).stream("adsb-rx/A1");
    std::vector<Detection> heard;
    for (const AdsbMessage& m : msgs) rx.receive(m, SensorIndex(0), rng, heard);
    EXPECT_EQ(heard.size(), k.heard ? msgs.size() : 0U) << k.what;
    for (const Detection& d : heard) EXPECT_EQ(d.icao, 0x4CA000U);
  }
}

TEST(Adsb, ATransmitterStopsOnceItsPlatformHasLeftTheWorld) {
  FakeWorld brief, lasting;
  const Geodetic start = point_from(kCentre, 0.0, 0.0, 9000.0);
  const Eigen::Vector3d vel(200.0, 0.0, 0.0);
  const PlatformIndex i = brief.add(equipped(5), start, vel, 0.0, 40.0);
  lasting.add(equipped(5), start, vel, 0.0, 1e9);  // the same platform (id "P0"), never leaving
  AdsbTransmitter tx(i, brief.platform(i), AdsbBroadcastParams{}, Rng(3).stream("adsb-tx/P0"));
  AdsbTransmitter twin(i, lasting.platform(i), AdsbBroadcastParams{}, Rng(3).stream("adsb-tx/P0"));
  std::vector<AdsbMessage> a, b;
  for (double t = 0.0; t < 60.0; t += 5.0) {
    tx.broadcast(SimTime::from_s(t), SimTime::from_s(t + 5.0), brief, a);
    twin.broadcast(SimTime::from_s(t), SimTime::from_s(t + 5.0), lasting, b);
  }
  // While the platform exists, nothing changes.
  ASSERT_GE(a.size(), 38U);
  ASSERT_GT(b.size(), a.size());
  for (std::size_t j = 0; j < a.size(); ++j) {
    EXPECT_EQ(a[j].time, b[j].time);
    EXPECT_EQ(a[j].reported.lat_deg, b[j].reported.lat_deg);
    EXPECT_EQ(a[j].reported.lon_deg, b[j].reported.lon_deg);
    EXPECT_LE(a[j].time, SimTime::from_s(40.0));
  }
  // After it has gone: no more draws, no more queries.
  EXPECT_TRUE(tx.finished());
  EXPECT_FALSE(twin.finished());
  const std::size_t queries = brief.queries();
  const SimTime next = tx.next_time();
  EXPECT_LT(next, SimTime::from_s(42.0));
  for (double t = 60.0; t < 600.0; t += 5.0) tx.broadcast(SimTime::from_s(t), SimTime::from_s(t + 5.0), brief, a);
  EXPECT_EQ(brief.queries(), queries);
  EXPECT_EQ(tx.next_time(), next);
  EXPECT_TRUE(a.back().time <= SimTime::from_s(40.0));
}

}  // namespace
}  // namespace jrads::sensors
