#include "jrads/engage/threat.hpp"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "jrads/core/rng.hpp"

namespace jrads::engage {
namespace {

using picture::Identity;

TEST(Threat, ClosestApproachAndTimeToReachAnalytic) {
  const ClosestApproach passing = closest_approach({-10000, 5000}, {100, 0}, {0, 0});
  EXPECT_DOUBLE_EQ(passing.t_s, 100.0);
  EXPECT_DOUBLE_EQ(passing.distance_m, 5000.0);
  const ClosestApproach receding = closest_approach({10000, 0}, {100, 0}, {0, 0});
  EXPECT_DOUBLE_EQ(receding.t_s, 0.0);
  EXPECT_DOUBLE_EQ(receding.distance_m, 10000.0);
  EXPECT_DOUBLE_EQ(closest_approach({3000, 4000}, {0, 0}, {0, 0}).distance_m, 5000.0);
  // Straight in from 10 km at 100 m/s to a 2 km circle: 80 s.
  EXPECT_NEAR(time_to_reach({-10000, 0}, {100, 0}, {0, 0}, 2000.0), 80.0, 1e-9);
  // 1.2 km abeam of a 2 km circle: it enters 1.6 km before the closest approach.
  EXPECT_NEAR(time_to_reach({-10000, 1200}, {100, 0}, {0, 0}, 2000.0), (10000.0 - 1600.0) / 100.0, 1e-9);
  EXPECT_EQ(time_to_reach({500, 0}, {100, 0}, {0, 0}, 2000.0), 0.0);  // already over it
  EXPECT_TRUE(std::isinf(time_to_reach({-10000, 5000}, {100, 0}, {0, 0}, 2000.0)));  // misses
  EXPECT_TRUE(std::isinf(time_to_reach({10000, 0}, {100, 0}, {0, 0}, 2000.0)));      // moving away
  EXPECT_TRUE(std::isinf(time_to_reach({10000, 0}, {0, 0}, {0, 0}, 2000.0)));        // still
}

std::vector<Asset> one_asset() { return {Asset{"BASE", {0.0, 0.0}, 5000.0, 2.0}}; }

TrackState inbound(std::uint32_t number, Identity id, double x_m, double speed_mps) {
  return {number, id, {x_m, 0.0, 100.0}, {speed_mps, 0.0, 0.0}, {}};
}

TEST(Threat, FactorsOfAHostileHeadingStraightIn) {
  const Threat t = assess(inbound(1, Identity::hostile, -65000.0, 250.0), one_asset(), SimTime::from_s(100), ThreatParams{});
  EXPECT_EQ(t.asset, "BASE");
  EXPECT_NEAR(t.time_to_go_s, 60000.0 / 250.0, 1e-9);
  EXPECT_EQ(t.over_asset, SimTime::from_s(100 + 240));
  EXPECT_DOUBLE_EQ(t.factors.identity, 1.0);
  EXPECT_DOUBLE_EQ(t.factors.closeness, 1.0);
  EXPECT_DOUBLE_EQ(t.factors.approach, 1.0);
  EXPECT_NEAR(t.factors.urgency, 1.0 / (1.0 + 240.0 / 300.0), 1e-12);
  EXPECT_NEAR(t.instant_value, 2.0 / 1.8, 1e-12);
  // Passing 15 km abeam (10 km outside the radius): closeness halves once.
  TrackState abeam = inbound(2, Identity::hostile, -65000.0, 250.0);
  abeam.pos_enu.y() = 15000.0;
  const Threat a = assess(abeam, one_asset(), SimTime::from_s(0), ThreatParams{});
  EXPECT_NEAR(a.factors.closeness, 0.5, 1e-12);
  EXPECT_TRUE(std::isinf(a.time_to_go_s));
  EXPECT_NEAR(a.factors.urgency, 1.0 / (1.0 + 260.0 / 300.0), 1e-12);  // to the CPA
  // Receding from 20 km.
  const Threat r = assess(inbound(3, Identity::hostile, 20000.0, 250.0), one_asset(), SimTime::from_s(0), ThreatParams{});
  EXPECT_DOUBLE_EQ(r.factors.approach, 0.25);
  EXPECT_LT(r.instant_value, t.instant_value / 2.0);
}

// A threat tells what the track is and what it threatens, not who saw it.
TEST(Threat, ItsLabelIsTheTracksWithoutSensorsWithIntelligence) {
  using security::Category;
  using security::category_bit;
  TrackState s = inbound(1, Identity::hostile, -65000.0, 250.0);
  s.label.level = security::Level::secret;
  s.label.originator = 1;
  s.label.rel = 0b101;
  s.label.categories = category_bit(Category::air_picture) | category_bit(Category::sensors);
  Asset two[] = {Asset{"BASE", {0.0, 0.0}, 5000.0, 2.0}, Asset{"PORT", {0.0, 80000.0}, 5000.0, 1.0}};
  ThreatEvaluator ev({two[0], two[1]}, ThreatParams{});
  for (const Threat& t : {assess(s, two, SimTime::from_s(0), ThreatParams{}), ev.update(SimTime::from_s(0), {&s, 1}).at(0)}) {
    EXPECT_EQ(t.label.level, security::Level::secret);
    EXPECT_EQ(t.label.originator, 1);
    EXPECT_EQ(t.label.rel, 0b101u);
    EXPECT_FALSE(t.label.rel_alliance);
    EXPECT_EQ(t.label.categories, category_bit(Category::air_picture) | category_bit(Category::intelligence));
  }
  // An unlabelled track gives an unlabelled threat (refused at every gate), not an UNCLASSIFIED one.
  s.label = {};
  EXPECT_FALSE(security::is_labelled(assess(s, two, SimTime::from_s(0), ThreatParams{}).label));
  EXPECT_FALSE(security::is_labelled(threat_label({})));
}

TEST(Threat, FriendsNeutralsAndAssumedFriendsAreNeverThreatsAndIdentityWeighs) {
  const ThreatParams p;
  double last = 1e9;
  for (const Identity id : {Identity::hostile, Identity::suspect, Identity::unknown, Identity::pending}) {
    const double v = assess(inbound(1, id, -30000.0, 250.0), one_asset(), SimTime{}, p).instant_value;
    EXPECT_GT(v, 0.0);
    EXPECT_LT(v, last);
    last = v;
  }
  for (const Identity id : {Identity::friend_, Identity::assumed_friend, Identity::neutral}) {
    EXPECT_EQ(assess(inbound(1, id, -30000.0, 250.0), one_asset(), SimTime{}, p).instant_value, 0.0);
  }
  ThreatEvaluator te(one_asset(), p);
  const std::vector<TrackState> tracks = {inbound(1, Identity::neutral, -30000.0, 250.0),
                                          inbound(2, Identity::hostile, -90000.0, 250.0)};
  const std::vector<Threat> ranked = te.update(SimTime::from_s(0), tracks);
  ASSERT_EQ(ranked.size(), 1U);
  EXPECT_EQ(ranked[0].track, 2U);
}

TEST(Threat, TheMostThreatenedAssetIsNamed) {
  const std::vector<Asset> assets = {{"WEST", {-100000.0, 0.0}, 5000.0, 1.0}, {"EAST", {100000.0, 0.0}, 5000.0, 1.0}};
  const Threat t = assess(inbound(1, Identity::hostile, 0.0, 250.0), assets, SimTime{}, ThreatParams{});
  EXPECT_EQ(t.asset, "EAST");
  TrackState west = inbound(1, Identity::hostile, 0.0, -250.0);
  EXPECT_EQ(assess(west, assets, SimTime{}, ThreatParams{}).asset, "WEST");
}

// Two hostiles on mirror-image courses at the same range (equal true value), seen with noise:
// ranked raw, they swap on almost every update; with smoothing and hysteresis, hardly ever.
int swaps(const ThreatParams& p, std::uint64_t seed) {
  ThreatEvaluator te(one_asset(), p);
  RngStream rng = Rng(seed).stream("engage/threat");
  std::uint32_t first = 0;
  int changes = 0;
  for (int k = 0; k < 200; ++k) {
    const double t = k;
    std::vector<TrackState> tracks;
    for (const std::uint32_t n : {1U, 2U}) {
      const double side = n == 1 ? 1.0 : -1.0;
      TrackState s{n, Identity::hostile, {-100000.0 + 200.0 * t, side * 8000.0, 100.0}, {200.0, 0.0, 0.0}, {}};
      s.pos_enu += Eigen::Vector3d(rng.normal() * 300.0, rng.normal() * 300.0, 0.0);
      s.vel_enu += Eigen::Vector3d(rng.normal() * 15.0, rng.normal() * 15.0, 0.0);
      tracks.push_back(s);
    }
    const std::vector<Threat> ranked = te.update(SimTime::from_s(t), tracks);
    if (ranked.size() == 2 && ranked[0].track != first) {
      if (first != 0) ++changes;
      first = ranked[0].track;
    }
  }
  return changes;
}

TEST(Threat, RanksAreStableUnderTrackNoise) {
  ThreatParams raw;
  raw.smoothing_s = 0.0;
  raw.hysteresis = 0.0;
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    const int noisy = swaps(raw, seed), steady = swaps(ThreatParams{}, seed);
    EXPECT_GT(noisy, 30) << seed;
    EXPECT_LE(steady, 2) << seed;
  }
}

TEST(Threat, ARealChangeIsRankedPromptly) {
  // Track 2 flies a course that misses the asset by 30 km; at t = 60 s it turns straight at it.
  ThreatEvaluator te(one_asset(), ThreatParams{});
  double changed_at = -1.0;
  for (int k = 0; k < 120; ++k) {
    const double t = k;
    const TrackState a{1, Identity::hostile, {-80000.0 + 200.0 * t, 12000.0, 100.0}, {200.0, 0.0, 0.0}, {}};
    TrackState b{2, Identity::hostile, {-60000.0 + 200.0 * t, 35000.0, 100.0}, {200.0, 0.0, 0.0}, {}};
    if (t >= 60.0) {
      const Eigen::Vector3d at = b.pos_enu;
      b.vel_enu = -200.0 * Eigen::Vector3d(at.x(), at.y(), 0.0).normalized();
    }
    const std::vector<TrackState> tracks = {a, b};
    const std::vector<Threat> ranked = te.update(SimTime::from_s(t), tracks);
    ASSERT_EQ(ranked.size(), 2U);
    if (t < 60.0) {
      EXPECT_EQ(ranked[0].track, 1U) << t;
    } else if (changed_at < 0.0 && ranked[0].track == 2U) {
      changed_at = t;
    }
  }
  ASSERT_GE(changed_at, 60.0);
  EXPECT_LE(changed_at, 60.0 + 15.0);  // within two smoothing times
}

}  // namespace
}  // namespace jrads::engage
