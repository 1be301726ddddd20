// The embedded default scenario (scenarios/default.yaml compiled in): it parses cleanly, it has
// what the mission asks for, and its geometry is plausible on its own terrain.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <variant>

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
  int radars = 0, iffs = 0, adsbs = 0;
  bool mountain_radar = false;
  const auto mountain = std::find_if(s.sites.begin(), s.sites.end(), [](const Site& x) { return x.kind == SiteKind::mountain; });
  ASSERT_NE(mountain, s.sites.end());
  for (const auto& sensor : s.sensors) {
    if (const auto* r = std::get_if<sensors::RadarParams>(&sensor)) {
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
  EXPECT_EQ(iffs, 2);
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

}  // namespace
}  // namespace jrads::scenario
