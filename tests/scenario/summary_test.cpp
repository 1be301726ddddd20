// summary(): the one-screen description of a parsed scenario.
#include <string>

#include <gtest/gtest.h>

#include "jrads/scenario/scenario.hpp"

namespace jrads::scenario {
namespace {

bool contains(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

TEST(Summary, DescribesTheDefaultScenario) {
  const auto out = parse_scenario(default_scenario_yaml(), "default.yaml");
  ASSERT_TRUE(out.scenario.has_value());
  const std::string text = summary(*out.scenario);
  EXPECT_TRUE(contains(text, "Scenario: Default regional scenario (seed 20260615, 3600 s")) << text;
  EXPECT_TRUE(contains(text, "KAL  Republic of Kalendria: coordinating")) << text;
  EXPECT_TRUE(contains(text, "MOR  Morvessa: directing, host")) << text;
  EXPECT_TRUE(contains(text, "5-year term")) << text;
  EXPECT_TRUE(contains(text, "classification equivalence: KAL 5 levels (SECRET = TAJNO); MOR 5 levels (SECRET = SKRIVNO)")) << text;
  EXPECT_TRUE(contains(text, "base_main  air base")) << text;
  EXPECT_TRUE(contains(text, "plot 5.0")) << text;
  EXPECT_TRUE(contains(text, "Terrain: synthetic")) << text;
  EXPECT_TRUE(contains(text, "radar          9 (KAL 3, MOR 6)")) << text;
  EXPECT_TRUE(contains(text, "IFF            5 (KAL 2, MOR 3)")) << text;
  EXPECT_TRUE(contains(text, "ADS-B receiver 3")) << text;
  EXPECT_TRUE(contains(text, "Defended assets: 3")) << text;
  EXPECT_TRUE(contains(text, "Hostile origin areas: 1")) << text;
  EXPECT_TRUE(contains(text, "Chain of command: 12 roles, 1 delegations, 7 operators, 2 automatic engagements")) << text;
  EXPECT_TRUE(contains(text, "Airspace: 5 zones, weapons tight by default, 1 settings")) << text;
  EXPECT_TRUE(contains(text, "civil          42")) << text;
  EXPECT_TRUE(contains(text, "friend         6")) << text;
  EXPECT_TRUE(contains(text, "cruise_missile 7")) << text;
  EXPECT_TRUE(contains(text, "Fire units: 5 (cycle 2 s, shoot-look-shoot, kill assessment 20 s, at most 2 rounds per target)"))
      << text;
  EXPECT_TRUE(contains(text, "\n  KAL  FU-KAL-1 medium_range, FU-KAL-2 point_defence\n")) << text;
  EXPECT_TRUE(contains(text, "\n  MOR  FU-MOR-1 short_range, FU-MOR-2 medium_range, FU-MOR-3 short_range\n")) << text;
  EXPECT_TRUE(contains(text, "Duration: 3600 s (1.0 h)")) << text;
  int lines = 0;
  for (const char c : text) lines += c == '\n';
  EXPECT_LE(lines, 35);  // one screen (the default scenario, with 7 sites and 5 fire units, takes 31)
}

TEST(Summary, FlatTerrainAndNoSites) {
  const auto out = parse_scenario(
      "name: tiny\nduration_s: 60\n"
      "parties: [{id: A, name: Alpha, role: coordinating}, {id: B, name: Beta, role: directing, host: true}]\n"
      "agreement: {signature_date: 2025-01-31, automatic_renewal: false}\n"
      "terrain: {type: flat, height_m: 120}\n",
      "tiny.yaml");
  ASSERT_TRUE(out.scenario.has_value());
  const std::string text = summary(*out.scenario);
  EXPECT_TRUE(contains(text, "Sites: none")) << text;
  EXPECT_TRUE(contains(text, "Terrain: flat at 120 m")) << text;
  EXPECT_TRUE(contains(text, "no automatic renewal")) << text;
  EXPECT_TRUE(contains(text, "Platforms: 0")) << text;
  EXPECT_TRUE(contains(text, "0 operators, 0 automatic engagements")) << text;
  EXPECT_FALSE(contains(text, "Fire units")) << text;
}

TEST(Summary, FireUnitsWithDoctrineAndReadyTime) {
  const auto out = parse_scenario(
      "name: tiny\nduration_s: 60\n"
      "parties: [{id: A, name: Alpha, role: coordinating}, {id: B, name: Beta, role: directing, host: true}]\n"
      "agreement: {signature_date: 2025-01-31}\n"
      "sites: [{id: s, position: [44, 20]}]\n"
      "fire_units: [{id: FU-B, party: B, site: s, type: long_range, ready_from_s: 30}, {id: FU-A, party: A, site: s}]\n"
      "engagement: {cycle_s: 0.5, shoot_look_shoot: false, kill_assessment_s: 12.5, max_rounds_per_target: 1}\n",
      "tiny.yaml");
  ASSERT_TRUE(out.scenario.has_value());
  const std::string text = summary(*out.scenario);
  EXPECT_TRUE(contains(text, "Fire units: 2 (cycle 0.5 s, no shoot-look-shoot, kill assessment 12.5 s, at most 1 round "
                             "per target)\n  A  FU-A medium_range\n  B  FU-B long_range (ready at 30 s)\n"))
      << text;
}

}  // namespace
}  // namespace jrads::scenario
