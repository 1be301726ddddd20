// The embedded default scenario (scenarios/default.yaml compiled in): it parses cleanly, it has
// what the mission asks for, and its geometry is plausible on its own terrain.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "jrads/core/geodesy.hpp"
#include "jrads/scenario/scenario.hpp"
#include "jrads/world/terrain.hpp"

namespace jrads::scenario {
namespace {

using world::Category;
using world::PlatformKind;

const Scenario& default_scenario() {
  static const ParseOutcome out = parse_scenario(default_scenario_yaml(), "default.yaml");
  if (!out.scenario) {
    for (const auto& e : out.errors) ADD_FAILURE() << e.to_string();
    std::abort();
  }
  return *out.scenario;
}

double km_between(double lat1, double lon1, double lat2, double lon2) {
  return geodesic_inverse(lat1, lon1, lat2, lon2).distance_m / 1000.0;
}

TEST(DefaultScenario, ParsesWithoutErrors) {
  const auto out = parse_scenario(default_scenario_yaml(), "default.yaml");
  EXPECT_TRUE(out.errors.empty());
  for (const auto& e : out.errors) ADD_FAILURE() << e.to_string();
  ASSERT_TRUE(out.scenario.has_value());
}

TEST(DefaultScenario, EmbeddedTextMatchesTheFile) {
  std::ifstream in(std::string(JRADS_SOURCE_DIR) + "/scenarios/default.yaml", std::ios::binary);
  ASSERT_TRUE(in) << "scenarios/default.yaml not found";
  const std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(file, default_scenario_yaml()) << "re-run cmake: the embedded copy is stale";
}

TEST(DefaultScenario, PartiesAndAgreement) {
  const Scenario& s = default_scenario();
  EXPECT_EQ(s.seed, 20260615U);
  EXPECT_DOUBLE_EQ(s.duration_s, 3600.0);
  ASSERT_EQ(s.parties.size(), 2U);
  EXPECT_EQ(s.parties[0].role, PartyRole::coordinating);
  EXPECT_FALSE(s.parties[0].host);
  EXPECT_EQ(s.parties[1].role, PartyRole::directing);
  EXPECT_TRUE(s.parties[1].host);
  EXPECT_EQ(s.agreement.term_years, 5);
  EXPECT_TRUE(s.agreement.automatic_renewal);
  EXPECT_EQ(s.agreement.notice_months, 6);
}

TEST(DefaultScenario, SitesIncludeTheFiveHectarePlotAndAMountainSite) {
  const Scenario& s = default_scenario();
  const auto base = std::find_if(s.sites.begin(), s.sites.end(), [](const Site& x) { return x.kind == SiteKind::air_base; });
  ASSERT_NE(base, s.sites.end());
  EXPECT_NEAR(base->plot_area_m2, 50000.0, 1500.0);
  EXPECT_TRUE(std::any_of(s.sites.begin(), s.sites.end(), [](const Site& x) { return x.kind == SiteKind::mountain; }));
}

TEST(DefaultScenario, Sensors) {
  const Scenario& s = default_scenario();
  std::set<std::string> radar_parties, bands;
  int radars = 0, acquisition = 0, iffs = 0, adsbs = 0;
  bool mountain_radar = false;
  const auto mountain = std::find_if(s.sites.begin(), s.sites.end(), [](const Site& x) { return x.kind == SiteKind::mountain; });
  ASSERT_NE(mountain, s.sites.end());
  for (const auto& sensor : s.sensors) {
    if (const auto* r = std::get_if<sensors::RadarParams>(&sensor)) {
      if (r->reference_range_m < 100000.0) {
        // A fire unit's own acquisition radar: short range, fast scan, linked to its unit.
        ++acquisition;
        EXPECT_LE(r->scan_period_s, 4.0) << r->id;
        EXPECT_TRUE(std::any_of(s.fire_units.begin(), s.fire_units.end(), [&](const FireUnit& f) {
          return std::find(f.linked_sensors.begin(), f.linked_sensors.end(), r->id) != f.linked_sensors.end();
        })) << r->id;
        continue;
      }
      ++radars;
      radar_parties.insert(r->party);
      bands.insert(r->band);
      EXPECT_GE(r->scan_period_s, 4.0) << r->id;
      EXPECT_LE(r->scan_period_s, 12.0) << r->id;
      EXPECT_GE(r->reference_range_m, 120000.0) << r->id;
      EXPECT_LE(r->reference_range_m, 250000.0) << r->id;
      mountain_radar |= r->antenna.lat_deg == mountain->position.lat_deg && r->antenna.lon_deg == mountain->position.lon_deg;
    }
    iffs += std::holds_alternative<sensors::IffParams>(sensor) ? 1 : 0;
    adsbs += std::holds_alternative<sensors::AdsbReceiverParams>(sensor) ? 1 : 0;
  }
  EXPECT_GE(radars, 6);
  EXPECT_EQ(radar_parties.size(), 2U);
  EXPECT_GE(bands.size(), 3U);
  EXPECT_TRUE(mountain_radar);
  EXPECT_EQ(acquisition, 1);
  EXPECT_EQ(iffs, 5);
  EXPECT_EQ(adsbs, 3);
  EXPECT_EQ(s.world.defended_assets.size(), 3U);
}

TEST(DefaultScenario, Traffic) {
  const Scenario& s = default_scenario();
  int civil = 0, civil_no_adsb = 0, friends = 0, mode5 = 0, missiles = 0, drones = 0, hostile_aircraft = 0, spoofers = 0;
  std::set<std::uint32_t> icaos;
  for (const auto& p : s.world.platforms) {
    EXPECT_GE(p.start_time_s, 0.0) << p.id;
    EXPECT_LT(p.start_time_s, s.duration_s) << p.id;
    ASSERT_GE(p.route.size(), 2U) << p.id;
    if (p.transponder.icao) {
      EXPECT_TRUE(icaos.insert(*p.transponder.icao).second) << p.id;
    }
    switch (p.category) {
      case Category::civil:
        ++civil;
        civil_no_adsb += p.transponder.adsb_out ? 0 : 1;
        for (const auto& w : p.route) {
          ASSERT_TRUE(w.alt_m.has_value()) << p.id;
          EXPECT_GE(*w.alt_m, 9000.0) << p.id;
          EXPECT_LE(*w.alt_m, 12000.0) << p.id;
        }
        break;
      case Category::friendly:
        ++friends;
        mode5 += p.transponder.mode5_equipped ? 1 : 0;
        break;
      case Category::hostile:
        if (p.kind == PlatformKind::cruise_missile) {
          ++missiles;
          for (const auto& w : p.route) {
            ASSERT_TRUE(w.agl_m.has_value()) << p.id;
            EXPECT_GE(*w.agl_m, 50.0) << p.id;
            EXPECT_LE(*w.agl_m, 150.0) << p.id;
          }
        } else if (p.kind == PlatformKind::drone) {
          ++drones;
          EXPECT_LE(p.route.back().speed_mps, 60.0) << p.id;
        } else {
          ++hostile_aircraft;
        }
        spoofers += p.spoof ? 1 : 0;
        break;
    }
  }
  EXPECT_GE(civil, 40);
  EXPECT_GE(civil_no_adsb, 2);
  EXPECT_EQ(friends, 6);
  EXPECT_GE(mode5, 4);
  EXPECT_LT(mode5, friends);
  EXPECT_GE(missiles, 4);
  EXPECT_GE(drones, 3);
  EXPECT_GE(hostile_aircraft, 2);
  EXPECT_EQ(spoofers, 1);
}

TEST(DefaultScenario, SpooferImpersonatesACivilFlight) {
  const Scenario& s = default_scenario();
  for (const auto& p : s.world.platforms) {
    if (!p.spoof) continue;
    const bool stolen = std::any_of(s.world.platforms.begin(), s.world.platforms.end(), [&](const auto& q) {
      return q.category == Category::civil && q.transponder.icao == p.spoof->icao;
    });
    EXPECT_TRUE(stolen) << p.id;
  }
}

TEST(DefaultScenario, HostilesComeFromTheNorthTowardsTheDefence) {
  const Scenario& s = default_scenario();
  for (const auto& p : s.world.platforms) {
    if (p.category != Category::hostile) continue;
    EXPECT_GT(p.route.front().lat_deg, 45.6) << p.id << " starts south of the range";
    // Each route passes within 20 km of a defended asset or of a sensor site.
    double nearest_km = 1e9;
    for (const auto& w : p.route) {
      for (const auto& a : s.world.defended_assets) {
        nearest_km = std::min(nearest_km, km_between(w.lat_deg, w.lon_deg, a.lat_deg, a.lon_deg));
      }
      for (const auto& site : s.sites) {
        nearest_km = std::min(nearest_km, km_between(w.lat_deg, w.lon_deg, site.position.lat_deg, site.position.lon_deg));
      }
    }
    EXPECT_LT(nearest_km, 20.0) << p.id;
  }
}

TEST(DefaultScenario, TerrainHasAHighRangeAndValleysThroughIt) {
  const Scenario& s = default_scenario();
  auto params = std::get<world::SyntheticTerrainParams>(s.terrain);
  // Region about 400 x 300 km.
  const double ew_km = km_between(45.0, params.west_lon_deg, 45.0, params.east_lon_deg);
  const double ns_km = km_between(params.south_lat_deg, 20.0, params.north_lat_deg, 20.0);
  EXPECT_NEAR(ew_km, 400.0, 40.0);
  EXPECT_NEAR(ns_km, 300.0, 30.0);
  params.resolution_m = 1000.0;  // coarser than the scenario's grid: enough to check the shape
  const auto grid = world::make_synthetic_terrain(params);
  EXPECT_GT(grid.max_height_m(), 5000.0F);
  EXPECT_LT(grid.max_height_m(), 7500.0F);
  const auto mountain = std::find_if(s.sites.begin(), s.sites.end(), [](const Site& x) { return x.kind == SiteKind::mountain; });
  EXPECT_GT(grid.height_m(mountain->position.lat_deg, mountain->position.lon_deg), 2000.0);
  for (const auto& site : s.sites) {
    if (site.kind == SiteKind::air_base) {
      EXPECT_LT(grid.height_m(site.position.lat_deg, site.position.lon_deg), 1000.0);
    }
  }
  // Each cruise missile crosses the range inside a valley: where it crosses the ridge axis
  // latitude the ground is low, while the ground 15 km either side is high.
  for (const auto& p : s.world.platforms) {
    if (p.kind != PlatformKind::cruise_missile) continue;
    double lowest_crossing = 1e9;
    for (std::size_t i = 0; i + 1 < p.route.size(); ++i) {
      const auto& a = p.route[i];
      const auto& b = p.route[i + 1];
      for (double t = 0.0; t <= 1.0; t += 0.05) {
        const double lat = a.lat_deg + t * (b.lat_deg - a.lat_deg);
        const double lon = a.lon_deg + t * (b.lon_deg - a.lon_deg);
        if (std::abs(lat - 45.1) < 0.03) lowest_crossing = std::min(lowest_crossing, grid.height_m(lat, lon));
      }
    }
    EXPECT_LT(lowest_crossing, 1500.0) << p.id;
  }
}


TEST(DefaultScenario, LayeredDefenceWithOperatorsAndAutomaticEngagement) {
  const Scenario& s = default_scenario();
  ASSERT_EQ(s.fire_units.size(), 5U);
  std::set<engage::FireUnitType> types;
  std::map<std::string, int> per_party;
  for (const FireUnit& f : s.fire_units) {
    types.insert(f.envelope.type);
    ++per_party[f.party];
    EXPECT_DOUBLE_EQ(f.ready_from_s, 0.0) << f.id;
    // Fire-control data from at least one radar of the unit's own party, within 100 km.
    ASSERT_FALSE(f.linked_sensors.empty()) << f.id;
    const auto site = std::find_if(s.sites.begin(), s.sites.end(), [&](const Site& x) { return x.id == f.site; });
    ASSERT_NE(site, s.sites.end()) << f.id;
    for (const std::string& id : f.linked_sensors) {
      const auto radar = std::find_if(s.sensors.begin(), s.sensors.end(), [&](const sensors::SensorParams& p) {
        const auto* r = std::get_if<sensors::RadarParams>(&p);
        return r != nullptr && r->id == id;
      });
      ASSERT_NE(radar, s.sensors.end()) << f.id << " " << id;
      const auto& r = std::get<sensors::RadarParams>(*radar);
      EXPECT_EQ(r.party, f.party) << f.id << " " << id;
      EXPECT_LT(km_between(r.antenna.lat_deg, r.antenna.lon_deg, site->position.lat_deg, site->position.lon_deg), 100.0)
          << f.id << " " << id;
    }
    // Each unit has its commander and its operator.
    for (const auto kind : {command::RoleKind::unit_commander, command::RoleKind::fire_operator}) {
      EXPECT_EQ(std::count_if(s.roles.begin(), s.roles.end(),
                              [&](const command::Role& r) { return r.kind == kind && r.unit == f.id; }),
                1)
          << f.id;
    }
  }
  EXPECT_EQ(types.size(), 3U);  // medium range, short range and point defence
  EXPECT_EQ(per_party["KAL"], 2);
  EXPECT_EQ(per_party["MOR"], 3);
  const auto unit = [&](const std::string& id) {
    return *std::find_if(s.fire_units.begin(), s.fire_units.end(), [&](const FireUnit& f) { return f.id == id; });
  };
  EXPECT_EQ(unit("FU-KAL-1").mezs, std::vector<std::string>{"MEZ-BASE"});
  EXPECT_EQ(unit("FU-KAL-2").mezs, std::vector<std::string>{"MEZ-BASE"});
  EXPECT_EQ(unit("FU-MOR-1").mezs, std::vector<std::string>{"MEZ-EAST"});
  EXPECT_EQ(unit("FU-KAL-2").envelope.type, engage::FireUnitType::point_defence);

  // The doctrine written out is the default one.
  const node::EngagementRules rules;
  EXPECT_DOUBLE_EQ(s.engagement.cycle_s, rules.cycle_s);
  EXPECT_EQ(s.engagement.shoot_look_shoot, rules.shoot_look_shoot);
  EXPECT_DOUBLE_EQ(s.engagement.kill_assessment_s, rules.kill_assessment_s);
  EXPECT_EQ(s.engagement.max_rounds_per_target, rules.max_rounds_per_target);

  // An operator for every unit commander and both chain heads, approving hostiles after 6-15 s.
  std::set<std::string> deciders;
  for (const command::Role& r : s.roles) {
    if (r.kind != command::RoleKind::fire_operator) deciders.insert(r.id);
  }
  std::set<std::string> operated;
  for (const node::OperatorParams& op : s.operators) {
    operated.insert(op.role);
    EXPECT_EQ(op.policy, node::OperatorPolicy::approve_hostile) << op.role;
    EXPECT_GE(op.decision_delay_s, 6.0) << op.role;
    EXPECT_LE(op.decision_delay_s, 15.0) << op.role;
    EXPECT_GE(op.delay_jitter_s, 2.0) << op.role;
    EXPECT_LE(op.delay_jitter_s, 5.0) << op.role;
  }
  EXPECT_EQ(operated, deciders);
  EXPECT_EQ(s.operators.size(), 7U);

  // Cruise missiles are engaged automatically by the point defence at the base and by the
  // eastern unit, each delegated by the unit's own commander for the whole run.
  ASSERT_EQ(s.auto_engagements.size(), 2U);
  for (const node::AutoEngagement& a : s.auto_engagements) {
    EXPECT_EQ(a.by, a.unit + "-CDR");
    EXPECT_EQ(a.threat, engage::ThreatClass::cruise_missile);
    EXPECT_EQ(a.from, SimTime::from_s(0));
    EXPECT_EQ(a.until, SimTime::from_s(s.duration_s));
    EXPECT_EQ(unit(a.unit).mezs, std::vector<std::string>{a.zone}) << a.unit;
  }
  EXPECT_EQ(s.auto_engagements[0].unit, "FU-KAL-2");
  EXPECT_EQ(s.auto_engagements[1].unit, "FU-MOR-1");
  EXPECT_EQ(s.delegations.size(), 1U);
}

}  // namespace
}  // namespace jrads::scenario
