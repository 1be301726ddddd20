#include "jrads/engage/kill_probability.hpp"

#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "jrads/core/rng.hpp"

namespace jrads::engage {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

constexpr FireUnitType kUnits[] = {FireUnitType::long_range, FireUnitType::medium_range, FireUnitType::short_range,
                                   FireUnitType::point_defence};
constexpr ThreatClass kClasses[] = {ThreatClass::aircraft, ThreatClass::cruise_missile, ThreatClass::drone,
                                    ThreatClass::ballistic_missile};

// Head-on, well inside the range edge, well above the clutter height.
constexpr EngagementGeometry kBest{0.4, 0.0, 3000.0};

EngagementGeometry at(double range_fraction, double aspect_deg = 0.0, double alt_m = 3000.0) {
  return {range_fraction, aspect_deg, alt_m};
}

TEST(KillProbability, BestGeometryGivesTheBaseValue) {
  const KillProbabilityParams p;
  for (std::size_t u = 0; u < 4; ++u) {
    for (std::size_t c = 0; c < 4; ++c) {
      EXPECT_EQ(kill_probability(kUnits[u], kClasses[c], kBest, p), p.base[u][c]) << u << "," << c;
      // The whole plateau up to the edge fraction is best.
      EXPECT_EQ(kill_probability(kUnits[u], kClasses[c], at(0.0), p), p.base[u][c]);
      EXPECT_EQ(kill_probability(kUnits[u], kClasses[c], at(p.edge_range_fraction), p), p.base[u][c]);
    }
  }
  EXPECT_EQ(kill_probability(FireUnitType::long_range, ThreatClass::aircraft, kBest), 0.85);
  EXPECT_EQ(kill_probability(FireUnitType::point_defence, ThreatClass::cruise_missile, kBest), 0.80);
}

TEST(KillProbability, FallsLinearlyToTheEdgeFactorAtMaxRange) {
  // Default: 0.85 long range vs aircraft, edge at 0.7, factor 0.5 at max range.
  EXPECT_NEAR(kill_probability(FireUnitType::long_range, ThreatClass::aircraft, at(1.0)), 0.85 * 0.5, 1e-12);
  EXPECT_NEAR(kill_probability(FireUnitType::long_range, ThreatClass::aircraft, at(0.85)), 0.85 * 0.75, 1e-12);
  KillProbabilityParams p;
  p.edge_range_fraction = 0.5;
  p.edge_factor = 0.2;
  EXPECT_NEAR(kill_probability(FireUnitType::medium_range, ThreatClass::drone, at(1.0), p), 0.60 * 0.2, 1e-12);
  EXPECT_NEAR(kill_probability(FireUnitType::medium_range, ThreatClass::drone, at(0.75), p), 0.60 * 0.6, 1e-12);
  p.edge_range_fraction = 1.0;  // no fall at all
  EXPECT_EQ(kill_probability(FireUnitType::medium_range, ThreatClass::drone, at(1.0), p), 0.60);
}

TEST(KillProbability, NonIncreasingInRangeFraction) {
  for (const FireUnitType u : kUnits) {
    for (const ThreatClass c : kClasses) {
      double prev = kill_probability(u, c, at(0.0));
      for (int k = 1; k <= 1000; ++k) {
        const double pk = kill_probability(u, c, at(k / 1000.0));
        EXPECT_LE(pk, prev) << to_string(u) << " " << to_string(c) << " at " << k / 1000.0;
        prev = pk;
      }
      EXPECT_LT(prev, kill_probability(u, c, kBest));  // every default base is > 0
    }
  }
}

TEST(KillProbability, NonIncreasingInAspectFromHeadOnToTailChase) {
  const double best = kill_probability(FireUnitType::medium_range, ThreatClass::aircraft, kBest);
  double prev = best;
  for (int k = 1; k <= 1800; ++k) {
    const double pk = kill_probability(FireUnitType::medium_range, ThreatClass::aircraft, at(0.4, k / 10.0));
    EXPECT_LE(pk, prev) << "at " << k / 10.0 << " deg";
    prev = pk;
  }
  // 1 - (1 - 0.75) sin^2: 0.875 at 45 deg, the crossing factor at 90 and on to the tail chase.
  EXPECT_NEAR(kill_probability(FireUnitType::medium_range, ThreatClass::aircraft, at(0.4, 45.0)), best * 0.875, 1e-12);
  EXPECT_NEAR(kill_probability(FireUnitType::medium_range, ThreatClass::aircraft, at(0.4, 90.0)), best * 0.75, 1e-12);
  EXPECT_NEAR(kill_probability(FireUnitType::medium_range, ThreatClass::aircraft, at(0.4, 180.0)), best * 0.75, 1e-12);
  EXPECT_LT(kill_probability(FireUnitType::medium_range, ThreatClass::aircraft, at(0.4, 10.0)), best);
}

TEST(KillProbability, LowInterceptsLoseTheLowAltitudeFactor) {
  const double best = kill_probability(FireUnitType::point_defence, ThreatClass::cruise_missile, kBest);
  EXPECT_NEAR(kill_probability(FireUnitType::point_defence, ThreatClass::cruise_missile, at(0.4, 0.0, 30.0)),
              best * 0.8, 1e-12);
  EXPECT_NEAR(kill_probability(FireUnitType::point_defence, ThreatClass::cruise_missile, at(0.4, 0.0, 149.9)),
              best * 0.8, 1e-12);
  EXPECT_EQ(kill_probability(FireUnitType::point_defence, ThreatClass::cruise_missile, at(0.4, 0.0, 150.0)), best);
  // The factors multiply: low, crossing, at max range.
  EXPECT_NEAR(kill_probability(FireUnitType::point_defence, ThreatClass::cruise_missile, at(1.0, 90.0, 30.0)),
              0.80 * 0.5 * 0.75 * 0.8, 1e-12);
}

TEST(KillProbability, AnyTakesTheLeastOfTheRow) {
  const KillProbabilityParams p;
  EXPECT_EQ(kill_probability(FireUnitType::long_range, ThreatClass::any, kBest, p), 0.45);
  EXPECT_EQ(kill_probability(FireUnitType::medium_range, ThreatClass::any, kBest, p), 0.25);
  EXPECT_EQ(kill_probability(FireUnitType::short_range, ThreatClass::any, kBest, p), 0.10);
  EXPECT_EQ(kill_probability(FireUnitType::point_defence, ThreatClass::any, kBest, p), 0.05);
  KillProbabilityParams q;
  q.base[1] = {0.9, 0.3, 0.7, 0.8};  // the least not in the last column
  EXPECT_EQ(kill_probability(FireUnitType::medium_range, ThreatClass::any, kBest, q), 0.3);
  EXPECT_NEAR(kill_probability(FireUnitType::medium_range, ThreatClass::any, at(1.0), q), 0.3 * 0.5, 1e-12);
}

TEST(KillProbability, ZeroOutsideTheEnvelopeAndForNonFiniteInput) {
  const auto pk = [](const EngagementGeometry& g) {
    return kill_probability(FireUnitType::long_range, ThreatClass::aircraft, g);
  };
  EXPECT_EQ(pk(at(-1e-9)), 0.0);
  EXPECT_EQ(pk(at(1.0 + 1e-9)), 0.0);
  EXPECT_EQ(pk(at(kInf)), 0.0);
  EXPECT_EQ(pk(at(kNan)), 0.0);
  EXPECT_EQ(pk(at(0.4, kNan)), 0.0);
  EXPECT_EQ(pk(at(0.4, -1.0)), 0.0);
  EXPECT_EQ(pk(at(0.4, 180.5)), 0.0);
  EXPECT_EQ(pk(at(0.4, 0.0, kNan)), 0.0);
  EXPECT_EQ(pk(at(0.4, 0.0, -kInf)), 0.0);
  EXPECT_EQ(kill_probability(static_cast<FireUnitType>(7), ThreatClass::aircraft, kBest), 0.0);
  EXPECT_EQ(kill_probability(FireUnitType::long_range, static_cast<ThreatClass>(9), kBest), 0.0);
}

TEST(KillProbability, StaysAProbabilityOverRandomValidParams) {
  RngStream rng = Rng(5).stream("engage/kill_probability");
  for (int k = 0; k < 2000; ++k) {
    KillProbabilityParams p;
    for (auto& row : p.base) {
      for (double& v : row) v = rng.uniform();
    }
    p.edge_range_fraction = rng.uniform(0.01, 1.0);
    p.edge_factor = rng.uniform();
    p.crossing_factor = rng.uniform();
    p.low_alt_m = rng.uniform(0.0, 500.0);
    p.low_alt_factor = rng.uniform();
    ASSERT_TRUE(validate(p).has_value());
    const EngagementGeometry g = at(rng.uniform(), rng.uniform(0.0, 180.0), rng.uniform(0.0, 1000.0));
    const auto u = static_cast<std::size_t>(rng.uniform(0.0, 3.999));
    const auto c = static_cast<std::size_t>(rng.uniform(0.0, 3.999));
    const double pk = kill_probability(kUnits[u], kClasses[c], g, p);
    EXPECT_GE(pk, 0.0);
    EXPECT_LE(pk, p.base[u][c]);
  }
}

TEST(KillProbabilityParams, DefaultsAreValid) { EXPECT_TRUE(validate(KillProbabilityParams{}).has_value()); }

TEST(KillProbabilityParams, ValidateNamesEachBadField) {
  struct Case {
    std::function<void(KillProbabilityParams&)> spoil;
    std::string field;
  };
  const std::vector<Case> cases = {
      {[](auto& p) { p.base[3][2] = 1.5; }, "base[point_defence][drone]"},
      {[](auto& p) { p.base[0][0] = -0.1; }, "base[long_range][aircraft]"},
      {[](auto& p) { p.base[1][3] = kNan; }, "base[medium_range][ballistic_missile]"},
      {[](auto& p) { p.base[2][1] = kInf; }, "base[short_range][cruise_missile]"},
      {[](auto& p) { p.edge_range_fraction = 0.0; }, "edge_range_fraction"},
      {[](auto& p) { p.edge_range_fraction = 1.1; }, "edge_range_fraction"},
      {[](auto& p) { p.edge_range_fraction = kNan; }, "edge_range_fraction"},
      {[](auto& p) { p.edge_factor = -0.5; }, "edge_factor"},
      {[](auto& p) { p.edge_factor = kNan; }, "edge_factor"},
      {[](auto& p) { p.crossing_factor = 1.2; }, "crossing_factor"},
      {[](auto& p) { p.crossing_factor = -kInf; }, "crossing_factor"},
      {[](auto& p) { p.low_alt_m = -1.0; }, "low_alt_m"},
      {[](auto& p) { p.low_alt_m = kInf; }, "low_alt_m"},
      {[](auto& p) { p.low_alt_factor = 2.0; }, "low_alt_factor"},
      {[](auto& p) { p.low_alt_factor = kNan; }, "low_alt_factor"},
  };
  for (const Case& c : cases) {
    KillProbabilityParams p;
    c.spoil(p);
    const Result<void> r = validate(p);
    ASSERT_FALSE(r.has_value()) << c.field;
    EXPECT_EQ(r.error().code, Errc::invalid_argument);
    EXPECT_EQ(r.error().where.path, c.field);
    EXPECT_EQ(r.error().message.rfind(c.field + " = ", 0), 0U) << r.error().message;
  }
  KillProbabilityParams p;
  p.base[3][2] = 1.5;
  EXPECT_EQ(validate(p).error().message, "base[point_defence][drone] = 1.5: must be in [0, 1]");
  p = {};
  p.edge_range_fraction = 0.0;
  EXPECT_EQ(validate(p).error().message, "edge_range_fraction = 0: must be in (0, 1]");
}

// An intercept by hand: feasible, meeting at `point_enu`.
Intercept meeting_at(const Eigen::Vector3d& point_enu) {
  Intercept i;
  i.feasible = true;
  i.point_enu = point_enu;
  return i;
}

TEST(GeometryOf, HeadOnCrossingAndTailChaseByHand) {
  FireUnitEnvelope u = notional_envelope(FireUnitType::medium_range);  // max range 40 km
  u.pos_enu = {1000.0, 2000.0, 100.0};
  const Intercept i = meeting_at({21000.0, 2000.0, 100.0});  // 20 km east of the site, level with it

  const EngagementGeometry head_on = geometry_of(u, i, {-250.0, 0.0, 0.0});
  EXPECT_NEAR(head_on.range_fraction, 0.5, 1e-12);
  EXPECT_NEAR(head_on.aspect_deg, 0.0, 1e-9);
  EXPECT_EQ(head_on.intercept_alt_m, height_m(i.point_enu));
  EXPECT_NEAR(head_on.intercept_alt_m, 100.0, 40.0);  // 21 km from the frame's origin: 35 m of earth bulge
  EXPECT_NEAR(geometry_of(u, i, {0.0, 300.0, 0.0}).aspect_deg, 90.0, 1e-9);   // crossing north
  EXPECT_NEAR(geometry_of(u, i, {0.0, 0.0, -50.0}).aspect_deg, 90.0, 1e-9);   // diving over the point
  EXPECT_NEAR(geometry_of(u, i, {250.0, 0.0, 0.0}).aspect_deg, 180.0, 1e-9);  // tail chase
  EXPECT_NEAR(geometry_of(u, i, {-200.0, 200.0, 0.0}).aspect_deg, 45.0, 1e-9);
  EXPECT_NEAR(geometry_of(u, i, {100.0, -100.0 * std::sqrt(3.0), 0.0}).aspect_deg, 120.0, 1e-9);
  // Slant range: 24 km east and 18 km up is 30 km from the site; a dive straight at the site is head-on.
  const Intercept high = meeting_at({25000.0, 2000.0, 18100.0});
  const EngagementGeometry dive = geometry_of(u, high, {-400.0, 0.0, -300.0});
  EXPECT_NEAR(dive.range_fraction, 0.75, 1e-12);
  EXPECT_NEAR(dive.aspect_deg, 0.0, 1e-6);
  EXPECT_EQ(dive.intercept_alt_m, height_m(high.point_enu));  // above the ellipsoid, not the plane's z
  // A hovering target has no crossing speed.
  EXPECT_EQ(geometry_of(u, i, Eigen::Vector3d::Zero()).aspect_deg, 0.0);
}

TEST(GeometryOf, AnInfeasibleInterceptHasNoKillProbability) {
  const FireUnitEnvelope u = notional_envelope(FireUnitType::short_range);
  Intercept i = meeting_at({5000.0, 0.0, 1000.0});
  i.feasible = false;
  const EngagementGeometry g = geometry_of(u, i, {-200.0, 0.0, 0.0});
  EXPECT_EQ(g.range_fraction, kInf);
  EXPECT_EQ(kill_probability(u.type, ThreatClass::aircraft, g), 0.0);
}

TEST(GeometryOf, FromAPredictedIntercept) {
  // The head-on case of intercept_test: medium range, meeting 24 km out level with the site.
  FireUnitEnvelope u = notional_envelope(FireUnitType::medium_range);
  u.pos_enu.z() = 100.0;
  const Eigen::Vector3d vel(-250.0, 0.0, 0.0);
  const LineOfSight clear = [](const Eigen::Vector3d&, const Eigen::Vector3d&) { return true; };
  const Intercept i = predict_intercept(u, {32500.0, 0.0, 100.0}, vel, 0.0, clear);
  ASSERT_TRUE(i.feasible);
  const EngagementGeometry g = geometry_of(u, i, vel);
  EXPECT_NEAR(g.range_fraction, 0.6, 1e-12);
  EXPECT_NEAR(g.aspect_deg, 0.0, 1e-9);
  // 0.6 is inside the edge, the height 100 m is below the 150 m clutter height.
  EXPECT_NEAR(kill_probability(u.type, ThreatClass::aircraft, g), 0.80 * 0.8, 1e-12);
}

}  // namespace
}  // namespace jrads::engage
