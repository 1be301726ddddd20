#include "jrads/command/roe.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace jrads::command {
namespace {

using picture::Identity;

const Geodetic kOrigin{45.0, 20.0, 0.0};

std::vector<Geodetic> box_km(double x0, double y0, double x1, double y1) {
  const LocalFrame f(kOrigin);
  std::vector<Geodetic> out;
  for (const auto& [x, y] : {std::pair{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}) {
    out.push_back(f.geodetic_from_enu(Enu{x * 1000.0, y * 1000.0, 0.0}));
  }
  return out;
}

Position3 at_km(double x, double y, double alt_m = 5000.0) { return {{x * 1000.0, y * 1000.0}, alt_m}; }

// West to east along y = 0: a MEZ (0..40 km), inside it a no-fire area (10..14) and a FEZ
// (20..30); a corridor along y = 50 km; a hold zone far east (100..120).
Airspace airspace(Wcs region = Wcs::tight) {
  const LocalFrame f(kOrigin);
  std::vector<ZoneParams> zones = {
      {"MEZ-1", ZoneKind::missile_engagement_zone, box_km(0, -20, 40, 20), {}, 0, 0, 20000},
      {"NFA-1", ZoneKind::no_fire_area, box_km(10, -2, 14, 2), {}, 0, 0, 20000},
      {"FEZ-1", ZoneKind::fighter_engagement_zone, box_km(20, -10, 30, 10), {}, 0, 0, 20000},
      {"COR-1", ZoneKind::safe_corridor, {}, {f.geodetic_from_enu(Enu{-100000, 50000, 0}), f.geodetic_from_enu(Enu{100000, 50000, 0})}, 5000, 0, 15000},
      {"HOLD-1", ZoneKind::control_area, box_km(100, -20, 120, 20), {}, 0, 0, 20000},
  };
  auto a = Airspace::make(kOrigin, std::move(zones), {{"", "", region}, {"HOLD-1", "", Wcs::hold}});
  EXPECT_TRUE(a) << (a ? "" : a.error().message);
  return std::move(*a);
}

RoeCase engagement(Identity id, Position3 where) {
  RoeCase c;
  c.unit_party = "KAL";
  c.unit_mezs = {"MEZ-1"};
  c.identity = id;
  c.target = where;
  c.intercept = where;
  return c;
}

const RoeRule& rule(const RoeDecision& d, const std::string& name) {
  for (const RoeRule& r : d.rules) {
    if (r.rule == name) return r;
  }
  static const RoeRule none{"?", false, "missing"};
  ADD_FAILURE() << "no rule " << name;
  return none;
}

TEST(Roe, AHostileInsideTheMezIsAllowedWithEveryRuleReported) {
  const RoeDecision d = check_roe(engagement(Identity::hostile, at_km(5, 5)), airspace());
  EXPECT_TRUE(d.allowed);
  ASSERT_EQ(d.rules.size(), 5U);
  for (const RoeRule& r : d.rules) EXPECT_TRUE(r.passed) << r.rule << ": " << r.text;
  EXPECT_EQ(rule(d, "weapons_control_status").text, "weapons tight (region) for KAL: the target is hostile");
  EXPECT_EQ(rule(d, "missile_engagement_zone").text, "intercept point inside the unit's zone MEZ-1");
}

TEST(Roe, WeaponsControlStatusDecidesByIdentity) {
  const Airspace tight = airspace(Wcs::tight), free = airspace(Wcs::free);
  for (const Identity id : {Identity::pending, Identity::unknown, Identity::assumed_friend, Identity::friend_,
                            Identity::neutral, Identity::suspect, Identity::hostile}) {
    const RoeCase c = engagement(id, at_km(5, 5));
    EXPECT_EQ(check_roe(c, tight).allowed, id == Identity::hostile) << picture::to_string(id);
    const bool never = id == Identity::friend_ || id == Identity::assumed_friend || id == Identity::neutral;
    EXPECT_EQ(check_roe(c, free).allowed, !never) << picture::to_string(id);
  }
  // The hold zone refuses even a hostile (and the unit's MEZ is elsewhere, so two rules refuse).
  const RoeDecision held = check_roe(engagement(Identity::hostile, at_km(110, 0)), airspace());
  EXPECT_FALSE(held.allowed);
  EXPECT_EQ(rule(held, "weapons_control_status").text, "weapons hold (HOLD-1) for KAL: no fire");
  EXPECT_FALSE(rule(held, "missile_engagement_zone").passed);
}

TEST(Roe, NoFireAreaAndCorridorRefuseByTargetOrInterceptPoint) {
  const Airspace a = airspace(Wcs::free);
  RoeCase c = engagement(Identity::hostile, at_km(12, 0));
  RoeDecision d = check_roe(c, a);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(rule(d, "no_fire_area").text, "target or intercept point in no-fire area NFA-1");
  c.target = at_km(5, 5);  // only the intercept point in it
  EXPECT_FALSE(check_roe(c, a).allowed);
  c.intercept = at_km(14, 0);  // on the no-fire area's edge: inside a restriction
  EXPECT_FALSE(check_roe(c, a).allowed);
  c.intercept = at_km(14.01, 0);
  EXPECT_TRUE(check_roe(c, a).allowed);
  RoeCase cor = engagement(Identity::hostile, at_km(5, 5));
  cor.unit_mezs.clear();
  cor.target = at_km(0, 54.9);  // in the corridor
  d = check_roe(cor, a);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(rule(d, "safe_corridor").text, "target or intercept point in safe corridor COR-1");
  cor.target = at_km(0, 54.9, 16000.0);  // above it
  EXPECT_TRUE(check_roe(cor, a).allowed);
}

TEST(Roe, TheMezBoundaryIsOutsideAndUnassignedUnitsAreNotLimited) {
  const Airspace a = airspace();
  RoeCase c = engagement(Identity::hostile, at_km(40, 0));  // the MEZ's east edge
  EXPECT_FALSE(check_roe(c, a).allowed);
  EXPECT_EQ(rule(check_roe(c, a), "missile_engagement_zone").text, "intercept point outside the unit's zones MEZ-1");
  c.intercept = c.target = at_km(39.99, 0);
  EXPECT_TRUE(check_roe(c, a).allowed);
  c.intercept = c.target = at_km(60, 0);
  EXPECT_FALSE(check_roe(c, a).allowed);
  c.unit_mezs.clear();
  EXPECT_TRUE(check_roe(c, a).allowed);
}

TEST(Roe, FriendlyFightersInTheFezBlockFireThere) {
  const Airspace a = airspace();
  RoeCase c = engagement(Identity::hostile, at_km(25, 0));
  EXPECT_TRUE(check_roe(c, a).allowed);
  c.friendly_aircraft = {at_km(28, 5)};
  RoeDecision d = check_roe(c, a);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(rule(d, "fighter_engagement_zone").text, "friendly aircraft in fighter engagement zone FEZ-1");
  c.friendly_aircraft = {at_km(30, 10)};  // on its corner: inside a restriction
  EXPECT_FALSE(check_roe(c, a).allowed);
  c.friendly_aircraft = {at_km(35, 0)};  // outside the FEZ
  EXPECT_TRUE(check_roe(c, a).allowed);
  c.intercept = c.target = at_km(35, 0);  // intercept outside the FEZ, fighters inside it
  c.friendly_aircraft = {at_km(25, 0)};
  EXPECT_TRUE(check_roe(c, a).allowed);
}

TEST(Roe, EveryRuleThatRefusesIsReported) {
  RoeCase c = engagement(Identity::suspect, at_km(12, 0));
  c.friendly_aircraft = {};
  const RoeDecision d = check_roe(c, airspace());
  EXPECT_FALSE(d.allowed);
  int refused = 0;
  for (const RoeRule& r : d.rules) refused += r.passed ? 0 : 1;
  EXPECT_EQ(refused, 2);  // tight and suspect; the no-fire area
  EXPECT_EQ(rule(d, "weapons_control_status").text, "weapons tight (region) for KAL: the target is suspect, not hostile");
}

}  // namespace
}  // namespace jrads::command
