#include "jrads/engage/intercept.hpp"

#include <cmath>
#include <string>

#include <gtest/gtest.h>

#include "jrads/core/geodesy.hpp"
#include "jrads/core/rng.hpp"

namespace jrads::engage {
namespace {

const LineOfSight kClear = [](const Eigen::Vector3d&, const Eigen::Vector3d&) { return true; };

TEST(Intercept, TheMeetingPointIsOnBothPaths) {
  // Seeded random geometries: wherever an intercept is found, the interceptor's flight from
  // the site and the target's straight line reach the same point at the same time.
  RngStream rng = Rng(21).stream("engage/intercept");
  int found = 0;
  for (int k = 0; k < 2000; ++k) {
    FireUnitEnvelope u = notional_envelope(FireUnitType::long_range);
    u.pos_enu = {rng.uniform(-5000, 5000), rng.uniform(-5000, 5000), 200.0};
    const Eigen::Vector3d pos(rng.uniform(-150000, 150000), rng.uniform(-150000, 150000), rng.uniform(50, 15000));
    const Eigen::Vector3d vel(rng.uniform(-600, 600), rng.uniform(-600, 600), rng.uniform(-20, 20));
    const double delay = rng.uniform(0, 30);
    const Intercept i = predict_intercept(u, pos, vel, delay, kClear);
    if (i.reasons.size() == 1 && i.reasons[0] == "the interceptor cannot catch the target") continue;
    ++found;
    EXPECT_NEAR(i.launch_in_s, delay + u.reaction_time_s, 1e-12);
    EXPECT_NEAR(i.intercept_in_s, i.launch_in_s + i.fly_out_s, 1e-9);
    EXPECT_LT((i.point_enu - (pos + i.intercept_in_s * vel)).norm(), 1e-6);
    EXPECT_NEAR((i.point_enu - u.pos_enu).norm(), u.interceptor_speed_mps * i.fly_out_s, 1e-6 * i.range_m + 1e-6);
    EXPECT_EQ(i.feasible, i.reasons.empty());
  }
  EXPECT_GT(found, 1900);
}

TEST(Intercept, HeadOnByHand) {
  FireUnitEnvelope u = notional_envelope(FireUnitType::medium_range);  // 1000 m/s, 10 s reaction
  u.pos_enu.z() = 100.0;
  // Target level with the site, 32.5 km out, closing at 250 m/s: at launch it is 30 km out;
  // closing at 1250 m/s they meet 24 s later, 24 km out.
  const Intercept level = predict_intercept(u, {32500.0, 0.0, 100.0}, {-250.0, 0.0, 0.0}, 0.0, kClear);
  EXPECT_TRUE(level.feasible);
  EXPECT_NEAR(level.fly_out_s, 24.0, 1e-9);
  EXPECT_NEAR(level.point_enu.x(), 24000.0, 1e-6);
  EXPECT_NEAR(level.intercept_in_s, 34.0, 1e-9);
  // Asked to wait 6 s more: launched at 16 s, 28.5 km out, it meets at 22.8 km after 22.8 s.
  const Intercept later = predict_intercept(u, {32500.0, 0.0, 100.0}, {-250.0, 0.0, 0.0}, 6.0, kClear);
  EXPECT_NEAR(later.fly_out_s, 22.8, 1e-9);
  EXPECT_NEAR(later.point_enu.x(), 22800.0, 1e-6);
}

TEST(Intercept, EveryEnvelopeRuleThatFailsIsAReason) {
  FireUnitEnvelope u = notional_envelope(FireUnitType::short_range);  // 1-12 km, 15-8000 m, 700 m/s
  // Receding faster than the interceptor.
  Intercept i = predict_intercept(u, {5000.0, 0.0, 1000.0}, {900.0, 0.0, 0.0}, 0.0, kClear);
  EXPECT_FALSE(i.feasible);
  ASSERT_EQ(i.reasons.size(), 1U);
  EXPECT_EQ(i.reasons[0], "the interceptor cannot catch the target");
  // Too far and too high at once.
  i = predict_intercept(u, {60000.0, 0.0, 9000.0}, {-100.0, 0.0, 0.0}, 0.0, kClear);
  EXPECT_FALSE(i.feasible);
  ASSERT_EQ(i.reasons.size(), 2U);
  EXPECT_NE(i.reasons[0].find("beyond the maximum range 12.0 km"), std::string::npos) << i.reasons[0];
  EXPECT_NE(i.reasons[1].find("above the maximum height 8000 m"), std::string::npos) << i.reasons[1];
  // Too close and too low.
  i = predict_intercept(u, {800.0, 0.0, 10.0}, {0.0, 0.0, 0.0}, 0.0, kClear);
  ASSERT_EQ(i.reasons.size(), 2U);
  EXPECT_NE(i.reasons[0].find("inside the minimum range 1.0 km"), std::string::npos) << i.reasons[0];
  EXPECT_NE(i.reasons[1].find("below the minimum height 15 m"), std::string::npos) << i.reasons[1];
  // Hidden by terrain.
  const LineOfSight blocked = [](const Eigen::Vector3d&, const Eigen::Vector3d&) { return false; };
  i = predict_intercept(u, {8000.0, 0.0, 1000.0}, {-100.0, 0.0, 0.0}, 0.0, blocked);
  ASSERT_EQ(i.reasons.size(), 1U);
  EXPECT_EQ(i.reasons[0], "no line of sight from the site to the intercept point");
  EXPECT_TRUE(predict_intercept(u, {8000.0, 0.0, 1000.0}, {-100.0, 0.0, 0.0}, 0.0, kClear).feasible);
}

TEST(Intercept, TheLaunchWindowOpensWhenTheInterceptEntersTheEnvelope) {
  FireUnitEnvelope u = notional_envelope(FireUnitType::medium_range);  // 3-40 km
  u.pos_enu.z() = 2000.0;
  const Eigen::Vector3d pos(100000.0, 0.0, 2000.0), vel(-250.0, 0.0, 0.0);
  const LaunchWindow w = launch_window(u, pos, vel, kClear, 600.0, 0.5);
  ASSERT_TRUE(w.open);
  // Launched at t, the meeting is at x = 0.8 (100 km - 250 t) (closing at 1,250 m/s, the
  // interceptor covers 1000/1250 of the gap): within 40 km from t = 200 s, beyond 3 km until
  // t = 385 s.
  EXPECT_NEAR(w.earliest_s, 200.0, 0.5 + 1e-9);
  EXPECT_NEAR(w.latest_s, 385.0, 0.5 + 1e-9);
  EXPECT_FALSE(predict_intercept(u, pos, vel, w.earliest_s - u.reaction_time_s - 0.5, kClear).feasible);
  EXPECT_TRUE(predict_intercept(u, pos, vel, w.earliest_s - u.reaction_time_s, kClear).feasible);
  // A target that never comes within reach opens no window.
  EXPECT_FALSE(launch_window(u, {100000.0, 80000.0, 2000.0}, vel, kClear).open);
}

TEST(Intercept, BadEnvelopesAreRejected) {
  EXPECT_TRUE(validate(notional_envelope(FireUnitType::point_defence)));
  FireUnitEnvelope e = notional_envelope(FireUnitType::long_range);
  e.min_range_m = e.max_range_m;
  EXPECT_NE(validate(e).error().message.find("0 <= min_range_m < max_range_m"), std::string::npos);
  e = notional_envelope(FireUnitType::long_range);
  e.interceptor_speed_mps = 0.0;
  EXPECT_FALSE(validate(e));
  e = notional_envelope(FireUnitType::long_range);
  e.max_alt_m = std::nan("");
  EXPECT_NE(validate(e).error().message.find("not finite"), std::string::npos);
  e = notional_envelope(FireUnitType::long_range);
  e.reaction_time_s = -1.0;
  EXPECT_FALSE(validate(e));
}

// The region's tangent plane drops below the earth away from its origin: the envelope's
// heights are heights above the ellipsoid, not the plane's z (a low cruise missile 130 km from
// the origin has z near -1.3 km).
TEST(Intercept, HeightsAreAboveTheEllipsoidNotTheTangentPlane) {
  const LocalFrame region(Geodetic{44.5, 20.0, 0.0});
  for (const Geodetic g : {Geodetic{44.5, 21.8, 500.0}, Geodetic{45.6, 20.0, 80.0}, Geodetic{43.6, 18.6, 9000.0},
                           Geodetic{44.5, 20.0, 300.0}}) {
    const Eigen::Vector3d p = region.enu_from_geodetic(g).vec();
    EXPECT_NEAR(height_m(p), g.alt_m, 15.0) << g.lat_deg << " " << g.lon_deg;
  }
  const Eigen::Vector3d far = region.enu_from_geodetic(Geodetic{44.5, 21.8, 500.0}).vec();
  EXPECT_LT(far.z(), -500.0);  // the plane's z alone would call it underground
  FireUnitEnvelope u = notional_envelope(FireUnitType::short_range);
  u.pos_enu = region.enu_from_geodetic(Geodetic{44.5, 21.75, 400.0}).vec();
  const Eigen::Vector3d target = region.enu_from_geodetic(Geodetic{44.5, 21.85, 500.0}).vec();
  const Intercept i = predict_intercept(u, target, Eigen::Vector3d(-200.0, 0.0, 0.0), 0.0, nullptr);
  EXPECT_TRUE(i.feasible) << (i.reasons.empty() ? "" : i.reasons[0]);
}

}  // namespace
}  // namespace jrads::engage
