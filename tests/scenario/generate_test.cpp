// generate_scenario_yaml(): the load-test generator writes valid scenarios of the asked size.
#include "jrads/scenario/generate.hpp"

#include <limits>
#include <set>
#include <string>
#include <variant>

#include <gtest/gtest.h>

#include "jrads/core/geodesy.hpp"
#include "jrads/scenario/scenario.hpp"

namespace jrads::scenario {
namespace {

Scenario parse_generated(const GenerateOptions& options) {
  auto yaml = generate_scenario_yaml(options);
  EXPECT_TRUE(yaml.has_value());
  if (!yaml) return {};
  auto outcome = parse_scenario(*yaml, "generated.yaml");
  for (const auto& e : outcome.errors) ADD_FAILURE() << e.to_string();
  return outcome.scenario.value_or(Scenario{});
}

TEST(Generate, WritesAValidScenarioOfTheAskedSize) {
  GenerateOptions options;
  options.aircraft = 200;
  options.radars = 7;
  options.seed = 42;
  const Scenario s = parse_generated(options);
  ASSERT_EQ(s.world.platforms.size(), 200U);
  int radars = 0, iffs = 0, receivers = 0;
  for (const auto& sensor : s.sensors) {
    radars += std::holds_alternative<sensors::RadarParams>(sensor) ? 1 : 0;
    iffs += std::holds_alternative<sensors::IffParams>(sensor) ? 1 : 0;
    receivers += std::holds_alternative<sensors::AdsbReceiverParams>(sensor) ? 1 : 0;
  }
  EXPECT_EQ(radars, 7);
  EXPECT_EQ(iffs, 2);       // one per 5 radars, rounded up
  EXPECT_EQ(receivers, 2);  // one per 4 radars, rounded up
  int civil = 0, friends = 0, hostile = 0;
  std::set<std::uint32_t> addresses;
  for (const auto& p : s.world.platforms) {
    civil += p.category == world::Category::civil ? 1 : 0;
    friends += p.category == world::Category::friendly ? 1 : 0;
    hostile += p.category == world::Category::hostile ? 1 : 0;
    if (p.category == world::Category::civil && p.transponder.icao) addresses.insert(*p.transponder.icao);
  }
  EXPECT_EQ(civil, 140);
  EXPECT_EQ(friends, 20);
  EXPECT_EQ(hostile, 40);
  EXPECT_EQ(addresses.size(), 140U);  // unique ICAO addresses
}

TEST(Generate, EveryRouteLastsTheWholeRun) {
  GenerateOptions options;
  options.aircraft = 100;
  options.radars = 3;
  options.duration_s = 1800;
  const Scenario s = parse_generated(options);
  ASSERT_EQ(s.world.platforms.size(), 100U);
  for (const auto& p : s.world.platforms) {
    double length_m = 0.0;
    for (std::size_t i = 1; i < p.route.size(); ++i) {
      length_m += geodesic_inverse(p.route[i - 1].lat_deg, p.route[i - 1].lon_deg, p.route[i].lat_deg,
                                   p.route[i].lon_deg)
                      .distance_m;
    }
    const double needed_m = p.route.back().speed_mps * (options.duration_s - p.start_time_s);
    EXPECT_GE(length_m, needed_m) << p.id;
  }
}

TEST(Generate, SameOptionsSameBytesAndTheSeedMatters) {
  GenerateOptions options;
  options.aircraft = 50;
  options.radars = 4;
  const auto a = generate_scenario_yaml(options);
  const auto b = generate_scenario_yaml(options);
  options.seed = 2;
  const auto c = generate_scenario_yaml(options);
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(*a, *b);
  EXPECT_NE(*a, *c);
}

TEST(Generate, RejectsOptionsOutOfRange) {
  const auto message = [](GenerateOptions o) {
    const auto r = generate_scenario_yaml(o);
    return r ? std::string("accepted") : r.error().message;
  };
  GenerateOptions o;
  o.aircraft = 0;
  EXPECT_NE(message(o).find("aircraft must be in [1, 100000]"), std::string::npos);
  o = {};
  o.radars = -3;
  EXPECT_NE(message(o).find("radars must be in [1, 1000]"), std::string::npos);
  o = {};
  o.duration_s = std::numeric_limits<double>::quiet_NaN();
  EXPECT_NE(message(o).find("duration_s"), std::string::npos);
  o = {};
  o.aircraft = 100000;  // valid as a count, but the file would be too large to read back
  o.radars = 1;
  EXPECT_NE(message(o).find("more than the reader accepts"), std::string::npos) << message(o);
  o = {};
  o.width_m = 1000;
  EXPECT_NE(message(o).find("width and height"), std::string::npos);
}

}  // namespace
}  // namespace jrads::scenario
