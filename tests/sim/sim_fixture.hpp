#pragma once
// A small scenario built in code for the sim tests: three aircraft of each category over flat
// terrain, two radars, an IFF interrogator and an ADS-B receiver.
#include "jrads/sim/simulation.hpp"

namespace jrads::sim::testing {

inline world::Waypoint waypoint(double lat, double lon, double alt, double speed) {
  world::Waypoint w;
  w.lat_deg = lat;
  w.lon_deg = lon;
  w.alt_m = alt;
  w.speed_mps = speed;
  return w;
}

inline SimulationInput small_input(bool with_second_radar = true) {
  SimulationInput in;
  in.world.duration_s = 300;
  in.terrain = world::ElevationGrid::constant(0);
  auto add = [&](const char* id, world::Category cat, double lat0, double lon0, double lat1, double lon1) {
    world::PlatformParams p;
    p.id = id;
    p.category = cat;
    p.route = {waypoint(lat0, lon0, 9000, 220), waypoint(lat1, lon1, 9000, 220)};
    p.rcs_dbsm = 10;
    if (cat == world::Category::civil) {
      p.transponder.icao = 0xABC000 + static_cast<std::uint32_t>(in.world.platforms.size());
      p.transponder.squawk = 1234;
      p.transponder.adsb_out = true;
    } else if (cat == world::Category::friendly) {
      p.transponder.mode5_equipped = true;
    }
    in.world.platforms.push_back(p);
  };
  add("C1", world::Category::civil, 45.0, 19.6, 45.0, 20.4);
  add("C2", world::Category::civil, 45.3, 20.0, 44.7, 20.0);
  add("F1", world::Category::friendly, 44.8, 19.7, 45.2, 20.3);
  add("H1", world::Category::hostile, 45.4, 20.4, 44.9, 19.9);
  sensors::RadarParams r1;
  r1.id = "R1";
  r1.party = "A";
  r1.antenna = {45.0, 20.0, 20};
  r1.scan_period_s = 6;
  r1.clutter_per_scan = 3;
  in.sensors.emplace_back(r1);
  if (with_second_radar) {
    sensors::RadarParams r2 = r1;
    r2.id = "R2";
    r2.party = "B";
    r2.antenna = {44.9, 20.2, 30};
    r2.scan_period_s = 10;
    in.sensors.emplace_back(r2);
  }
  sensors::IffParams i1;
  i1.id = "I1";
  i1.party = "A";
  i1.antenna = {45.0, 20.0, 20};
  in.sensors.emplace_back(i1);
  sensors::AdsbReceiverParams a1;
  a1.id = "A1";
  a1.party = "B";
  a1.antenna = {45.1, 20.1, 15};
  in.sensors.emplace_back(a1);
  return in;
}

}  // namespace jrads::sim::testing
