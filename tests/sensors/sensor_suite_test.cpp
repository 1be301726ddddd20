#include "jrads/sensors/sensor_suite.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>

#include "jrads/sensors/adsb.hpp"
#include "jrads/sensors/radar.hpp"
#include "sensors/fake_world.hpp"

namespace jrads::sensors {
namespace {

using testing::FakeWorld;
using testing::point_from;

const Geodetic kCentre{45.0, 20.0, 0.0};

FakeWorld traffic() {
  FakeWorld world(testing::wall_terrain(45.0, 20.0, 40000.0, 3000.0, 1500.0, 120.0));
  for (int j = 0; j < 12; ++j) {
    world::PlatformParams p = testing::target(
        5.0 + j, j % 4 == 3 ? 3 : 1,
        j % 3 == 0 ? world::Category::civil : (j % 3 == 1 ? world::Category::friendly : world::Category::hostile));
    if (p.category == world::Category::civil) {
      p.transponder.icao = 0x400000 + static_cast<std::uint32_t>(j);
      p.transponder.squawk = 1000 + j;
      p.transponder.adsb_out = true;
    } else if (p.category == world::Category::friendly) {
      p.transponder.mode5_equipped = true;
    } else if (j == 5) {
      p.spoof = world::AdsbSpoof{0x400001, 1001, 3000.0, 1000.0, 8};
    }
    const double az = 30.0 * j;
    world.add(p, point_from(kCentre, az, 20000.0 + 9000.0 * j, 1000.0 + 800.0 * j),
              Eigen::Vector3d(200.0 * std::cos(az), 200.0 * std::sin(az), 0.0), j == 4 ? 10.0 : 0.0,
              j == 7 ? 40.0 : 1e9);
  }
  return world;
}

RadarParams radar(const std::string& id, double period_s, double start_az, double clock_s = 0.0) {
  RadarParams r;
  r.id = id;
  r.party = "blue";
  r.antenna = {45.0, 20.0, 20.0};
  r.scan_period_s = period_s;
  r.start_azimuth_deg = start_az;
  r.clutter_per_scan = 3.0;
  r.max_range_m = 150000.0;  // the traffic lies within 130 km; shorter profiles build faster
  r.registration.clock_offset_s = clock_s;
  return r;
}

IffParams iff(const std::string& id) {
  IffParams p;
  p.id = id;
  p.party = "blue";
  p.antenna = {45.0, 20.0, 20.0};
  p.scan_period_s = 5.0;
  p.start_azimuth_deg = 45.0;
  p.p_miss = 0.2;
  p.p_garble = 0.1;
  p.max_range_m = 150000.0;
  return p;
}

AdsbReceiverParams receiver(const std::string& id, double lat) {
  AdsbReceiverParams p;
  p.id = id;
  p.party = "red";
  p.antenna = {lat, 20.1, 15.0};
  p.p_receive = 0.9;
  p.max_range_m = 150000.0;
  return p;
}

using Row = std::tuple<std::int64_t, std::string, int, double, double, double, double, double, double, double, bool,
                       std::uint32_t, bool, std::uint16_t, int, std::int32_t>;

// Runs a suite over [0, end_s) in windows of window_s and returns its rows in the simulator's
// order (stable by time, then sensor), with the sensor named by id.
std::vector<Row> run(const std::vector<SensorParams>& sensors, const FakeWorld& world, double window_s,
                     std::uint64_t seed = 1, double end_s = 60.0) {
  SensorSuite suite(sensors, AdsbBroadcastParams{}, world.terrain(), Rng(seed));
  std::vector<Detection> out;
  for (double t = 0.0; t < end_s - 1e-9; t += window_s) {
    suite.observe(SimTime::from_s(t), SimTime::from_s(std::min(t + window_s, end_s)), world, out);
  }
  std::stable_sort(out.begin(), out.end(), [](const Detection& a, const Detection& b) {
    return a.time < b.time || (a.time == b.time && a.sensor < b.sensor);
  });
  std::vector<Row> rows;
  for (const Detection& d : out) {
    rows.emplace_back(d.time.ns(), suite.sensors()[d.sensor.value()].id, static_cast<int>(d.type), d.range_m,
                      d.azimuth_deg, d.elevation_deg, d.sigma_range_m, d.pos.lat_deg, d.pos.lon_deg, d.pos.alt_m,
                      d.has_icao, d.icao, d.has_squawk, d.squawk, static_cast<int>(d.iff), d.truth_index);
  }
  return rows;
}

std::vector<Row> of_sensor(const std::vector<Row>& rows, const std::string& id) {
  std::vector<Row> out;
  for (const Row& r : rows) {
    if (std::get<1>(r) == id) out.push_back(r);
  }
  return out;
}

std::vector<SensorParams> basic() { return {radar("R1", 4.0, 0.0), iff("I1"), receiver("A1", 45.1)}; }

TEST(SensorSuite, ListsItsSensorsWithTheirAntennasOnTheTerrain) {
  const FakeWorld world = traffic();
  const SensorSuite suite(basic(), AdsbBroadcastParams{}, world.terrain(), Rng(1));
  ASSERT_EQ(suite.sensors().size(), 3U);
  EXPECT_EQ(suite.sensors()[0].id, "R1");
  EXPECT_EQ(suite.sensors()[0].type, SensorType::radar);
  EXPECT_EQ(suite.sensors()[1].type, SensorType::iff);
  EXPECT_EQ(suite.sensors()[2].type, SensorType::adsb);
  EXPECT_EQ(suite.sensors()[2].party, "red");
  EXPECT_NEAR(suite.sensors()[0].antenna.alt_m, 140.0, 1e-3);  // 120 m plain + 20 m mast
  EXPECT_NEAR(suite.sensors()[2].antenna.alt_m, 135.0, 1e-3);
  EXPECT_NEAR(suite.max_lag_s(), 5.0, 1e-12);  // the IFF's period
  const SensorSuite late({radar("R9", 4.0, 0.0, -2.5)}, AdsbBroadcastParams{}, world.terrain(), Rng(1));
  EXPECT_NEAR(late.max_lag_s(), 4.0 + 4.0 * 1.5 / 360.0 + 2.5, 1e-8);  // period, a cell kept back, clock
  EXPECT_EQ(to_string(SensorType::iff), std::string("iff"));
}

TEST(SensorSuite, ProducesEveryKindOfReport) {
  const FakeWorld world = traffic();
  const auto rows = run(basic(), world, 1.0);
  std::map<std::string, int> n;
  for (const Row& r : rows) ++n[std::get<1>(r)];
  EXPECT_GT(n["R1"], 15 * 5);  // 15 scans of ~10 targets + clutter
  EXPECT_GT(n["I1"], 12 * 3);
  EXPECT_GT(n["A1"], 60 * 3);
}

TEST(SensorSuite, SameSeedSameReportsOtherSeedOther) {
  const FakeWorld world = traffic();
  const auto a = run(basic(), world, 1.0, 7), b = run(basic(), world, 1.0, 7), c = run(basic(), world, 1.0, 8);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

TEST(SensorSuite, ReportsDoNotDependOnTheWindows) {
  const FakeWorld world = traffic();
  std::vector<SensorParams> sensors = basic();
  sensors.emplace_back(radar("R2", 6.0, 90.0, -0.5));
  const auto a = run(sensors, world, 60.0), b = run(sensors, world, 1.0), c = run(sensors, world, 2.9),
             d = run(sensors, world, 0.25);
  ASSERT_GT(a.size(), 300U);
  EXPECT_EQ(a, b);
  EXPECT_EQ(a, c);
  EXPECT_EQ(a, d);
}

TEST(SensorSuite, AddingASensorLeavesTheOthersReportsUnchanged) {
  const FakeWorld world = traffic();
  const auto alone = run(basic(), world, 2.0);
  std::vector<SensorParams> more{
      radar("R2", 6.0, 90.0), receiver("A2", 44.9), radar("R1", 4.0, 0.0), iff("I2"), iff("I1"), receiver("A1", 45.1)};
  const auto crowd = run(more, world, 2.0);
  for (const char* id : {"R1", "I1", "A1"}) {
    EXPECT_FALSE(of_sensor(alone, id).empty()) << id;
    EXPECT_EQ(of_sensor(alone, id), of_sensor(crowd, id)) << id;
  }
}

TEST(SensorSuite, ScansAreReportedInTheWindowInWhichTheyEnd) {
  const FakeWorld world = traffic();
  SensorSuite suite({radar("R1", 4.0, 0.0)}, AdsbBroadcastParams{}, world.terrain(), Rng(1));
  std::vector<Detection> out;
  suite.observe(SimTime(), SimTime::from_s(3.999), world, out);
  EXPECT_TRUE(out.empty());
  suite.observe(SimTime::from_s(3.999), SimTime::from_s(4.001), world, out);
  ASSERT_FALSE(out.empty());
  for (const Detection& d : out) EXPECT_LT(d.time, SimTime::from_s(4.0));
  const std::size_t first = out.size();
  suite.observe(SimTime::from_s(4.001), SimTime::from_s(8.0), world, out);
  EXPECT_EQ(out.size(), first);  // scan 1 ends at 8 s: not in [4.001, 8)
  suite.observe(SimTime::from_s(8.0), SimTime::from_s(8.5), world, out);
  EXPECT_GT(out.size(), first);
  for (std::size_t j = first; j < out.size(); ++j) {
    EXPECT_GE(out[j].time, SimTime::from_s(8.0) - SimTime::from_s(suite.max_lag_s()));
  }
}

TEST(SensorSuite, UsesTheDocumentedStreamNames) {
  const FakeWorld world = traffic();
  const auto rows = run(basic(), world, 3.0, 5, 40.0);
  // The radar alone, fed from Rng(5).stream("radar/R1"), gives exactly the suite's R1 rows.
  Radar r1(radar("R1", 4.0, 0.0), world.terrain());
  RngStream rs = Rng(5).stream("radar/R1");
  std::vector<Detection> own;
  for (int k = 0; k < 9; ++k) r1.scan(k, world, SensorIndex(0), rs, own);  // scans ending before 40 s
  const auto suite_r1 = of_sensor(rows, "R1");
  ASSERT_EQ(own.size(), suite_r1.size());
  std::stable_sort(own.begin(), own.end(), [](const Detection& a, const Detection& b) { return a.time < b.time; });
  for (std::size_t j = 0; j < own.size(); ++j) {
    EXPECT_EQ(own[j].time.ns(), std::get<0>(suite_r1[j]));
    EXPECT_EQ(own[j].range_m, std::get<3>(suite_r1[j]));
  }
  // The ADS-B reports are the messages from "adsb-tx/<platform id>" decoded with "adsb-rx/A1".
  std::vector<AdsbMessage> msgs;
  for (std::uint32_t i = 0; i < world.platform_count(); ++i) {
    const auto& p = world.platform(PlatformIndex(i));
    if (!broadcasts_adsb(p)) continue;
    AdsbTransmitter tx(PlatformIndex(i), p, AdsbBroadcastParams{}, Rng(5).stream("adsb-tx/" + p.id));
    tx.broadcast(SimTime(), SimTime::from_s(40.0), world, msgs);
  }
  std::sort(msgs.begin(), msgs.end(), [](const AdsbMessage& a, const AdsbMessage& b) {
    return a.time < b.time || (a.time == b.time && a.source < b.source);
  });
  const AdsbReceiver a1(receiver("A1", 45.1), world.terrain());
  RngStream ra = Rng(5).stream("adsb-rx/A1");
  std::vector<Detection> heard;
  for (const auto& m : msgs) a1.receive(m, SensorIndex(2), ra, heard);
  const auto suite_a1 = of_sensor(rows, "A1");
  ASSERT_EQ(heard.size(), suite_a1.size());
  for (std::size_t j = 0; j < heard.size(); ++j) {
    EXPECT_EQ(heard[j].time.ns(), std::get<0>(suite_a1[j]));
    EXPECT_EQ(heard[j].pos.lat_deg, std::get<7>(suite_a1[j]));
  }
}

TEST(SensorSuite, ACellAcrossTheStartAzimuthIsOneReportWhateverTheWindows) {
  FakeWorld world = traffic();
  // Either side of R1's start azimuth (north), 0.6 deg apart at 25 km, before the wall.
  const auto strong = static_cast<std::int32_t>(
      world.add(testing::target(25.0, 0), point_from(kCentre, 359.7, 25000.0, 4000.0)).value());
  const auto weak =
      static_cast<std::int32_t>(world.add(testing::target(15.0, 0), point_from(kCentre, 0.3, 25000.0, 4000.0)).value());
  const std::vector<SensorParams> sensors{radar("R1", 4.0, 0.0), radar("R2", 6.0, 90.0, -0.5)};
  std::vector<Row> first;
  for (const double window_s : {60.0, 4.0, 1.0, 0.37}) {
    const auto rows = run(sensors, world, window_s);
    std::size_t strong_r1 = 0, weak_r1 = 0;
    for (const Row& r : of_sensor(rows, "R1")) {
      strong_r1 += std::get<15>(r) == strong;
      weak_r1 += std::get<15>(r) == weak;
    }
    // 14 scans end before 60 s; the weak echo of scan 0 stands alone, every other one merges
    // with the strong echo of the scan before, and scan 13's strong echo waits for scan 14.
    EXPECT_EQ(weak_r1, 1U) << window_s;
    EXPECT_EQ(strong_r1, 13U) << window_s;
    if (first.empty()) {
      first = rows;
    } else {
      EXPECT_EQ(rows, first) << window_s;
    }
  }
  // No report comes earlier than its window's start minus max_lag_s(), whatever the cut.
  for (const double window_s : {0.37, 4.0}) {
    SensorSuite suite(sensors, AdsbBroadcastParams{}, world.terrain(), Rng(1));
    std::vector<Detection> out;
    for (double t = 0.0; t < 60.0 - 1e-9; t += window_s) {
      const SimTime t0 = SimTime::from_s(t), t1 = SimTime::from_s(std::min(t + window_s, 60.0));
      const std::size_t before = out.size();
      suite.observe(t0, t1, world, out);
      for (std::size_t j = before; j < out.size(); ++j) {
        EXPECT_GE(out[j].time, t0 - SimTime::from_s(suite.max_lag_s())) << t;
        EXPECT_LT(out[j].time, t1) << t;
      }
    }
  }
}

// A civil airliner with Mode 3/A and ADS-B out, flying east at 8 km from (lat, 19.8) in the
// real (integrated) world.
world::PlatformParams airliner(const std::string& id, double lat, std::uint32_t icao, std::uint16_t squawk) {
  world::PlatformParams p;
  p.id = id;
  p.category = world::Category::civil;
  p.rcs_dbsm = 20.0;
  p.swerling = 0;
  p.transponder.icao = icao;
  p.transponder.squawk = squawk;
  p.transponder.adsb_out = true;
  world::Waypoint a, b;
  a.lat_deg = b.lat_deg = lat;
  a.lon_deg = 19.8;
  b.lon_deg = 21.0;
  a.alt_m = b.alt_m = 8000.0;
  a.speed_mps = b.speed_mps = 200.0;
  p.route = {a, b};
  return p;
}

TEST(SensorSuite, ADestroyedPlatformIsNoLongerSeen) {
  world::WorldParams params;
  params.duration_s = 60.0;
  params.platforms = {airliner("SHOT", 45.3, 0x400100, 1200), airliner("SAFE", 44.7, 0x400200, 1300),
                      airliner("LATE", 44.85, 0x400300, 1400)};
  world::World world(params, world::ElevationGrid::constant(0.0));
  SensorSuite suite(basic(), AdsbBroadcastParams{}, world.terrain(), Rng(3));
  // SHOT is destroyed ahead of time (at now() = 20 s, for 30 s). LATE is destroyed in the past
  // of now() (at 45 s, for 41 s), inside the window about to be observed; it flies south of the
  // sensors, so the radar and IFF beams sweep it after 41 s in that window.
  const SimTime td_shot = SimTime::from_s(30.0), td_late = SimTime::from_s(41.0);
  const double window_s = 5.0;
  const double keep_s = window_s + suite.max_history_s() + 2.0;
  std::vector<Detection> out;
  for (double t = 0.0; t < 60.0 - 1e-9; t += window_s) {
    const SimTime t0 = SimTime::from_s(t), t1 = SimTime::from_s(t + window_s);
    world.advance_to(t1, keep_s);
    if (t1 == SimTime::from_s(20.0)) world.destroy(PlatformIndex(0), td_shot);
    if (t1 == SimTime::from_s(45.0)) world.destroy(PlatformIndex(2), td_late);
    suite.observe(t0, t1, world, out);
  }
  // [platform, sensor type]: reports before the platform's destruction, reports at or after it.
  std::map<std::pair<int, SensorType>, std::pair<int, int>> n;
  std::map<SensorType, int> safe_late;  // SAFE's reports from LATE's destruction on
  for (const Detection& d : out) {
    if (d.truth_index < 0) continue;  // clutter
    if (d.truth_index == 1 && d.time >= td_late) ++safe_late[d.type];
    // The destruction times as set, not as the world reports them.
    const std::optional<SimTime> td =
        d.truth_index == 0 ? std::optional(td_shot) : (d.truth_index == 2 ? std::optional(td_late) : std::nullopt);
    auto& [before, after] = n[{d.truth_index, d.type}];
    ++(!td || d.time < *td ? before : after);
  }
  EXPECT_EQ(world.destroyed_at(PlatformIndex(0)), td_shot);
  EXPECT_EQ(world.destroyed_at(PlatformIndex(2)), td_late);
  for (const SensorType type : {SensorType::radar, SensorType::iff, SensorType::adsb}) {
    for (const int shot : {0, 2}) {
      const std::pair<int, int> counts = n[std::pair(shot, type)];
      EXPECT_GT(counts.first, 0) << shot << " " << to_string(type);   // seen while it flew
      EXPECT_EQ(counts.second, 0) << shot << " " << to_string(type);  // and never after
    }
    EXPECT_GT(safe_late[type], 0) << to_string(type);  // the sensors themselves work on
  }
}

RadarParams broken(RadarParams r) {
  r.reference_pd = r.pfa;
  return r;
}

TEST(SensorSuiteDeathTest, InvalidParametersAbortNamingTheSensorAndKey) {
  const world::ElevationGrid flat = world::ElevationGrid::constant(0.0);
  EXPECT_DEATH(SensorSuite({radar("R1", 4.0, 0.0), broken(radar("R7", 4.0, 0.0))}, AdsbBroadcastParams{}, flat, Rng(1)),
               "reference_pd: radar R7: reference_pd must exceed pfa");
  RadarParams fast = radar("R3", 4.0, 0.0);
  fast.scan_period_s = 1e-10;
  EXPECT_DEATH(SensorSuite({fast}, AdsbBroadcastParams{}, flat, Rng(1)), "scan_period_s: radar R3");
  IffParams far_east = iff("I9");
  far_east.antenna.lon_deg = 200.0;
  EXPECT_DEATH(SensorSuite({far_east}, AdsbBroadcastParams{}, flat, Rng(1)), "antenna.lon_deg: IFF I9");
  AdsbBroadcastParams adsb;
  adsb.sigma_alt_m = std::nan("");
  EXPECT_DEATH(SensorSuite({receiver("A1", 45.1)}, adsb, flat, Rng(1)), "sigma_alt_m: ADS-B broadcast");
  // Ids name the sensors in the output: one id, one sensor, whatever the kinds.
  IffParams twin = iff("R1");
  EXPECT_DEATH(SensorSuite({radar("R1", 4.0, 0.0), twin}, AdsbBroadcastParams{}, flat, Rng(1)), "'R1' is used twice");
}

}  // namespace
}  // namespace jrads::sensors
