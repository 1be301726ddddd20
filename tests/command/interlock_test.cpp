#include "jrads/command/interlock.hpp"

#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace jrads::command {
namespace {

using picture::Evidence;
using picture::EvidenceKind;
using picture::EvidenceRecord;
using picture::Identity;

const Geodetic kOrigin{45.0, 20.0, 0.0};

Airspace corridor_airspace() {
  const LocalFrame f(kOrigin);
  ZoneParams corridor{"AW-1",
                      ZoneKind::safe_corridor,
                      {},
                      {f.geodetic_from_enu(Enu{-50000.0, 0.0, 0.0}), f.geodetic_from_enu(Enu{50000.0, 0.0, 0.0})},
                      5000.0,
                      0.0,
                      15000.0};
  auto a = Airspace::make(kOrigin, {corridor}, {});
  EXPECT_TRUE(a);
  return std::move(*a);
}

TrackFacts hostile_missile() {
  TrackFacts t;
  t.track_number = 7;
  t.identity = Identity::hostile;
  t.pos = {0.0, 30000.0};  // off the corridor
  t.alt_m = 100.0;
  t.speed_mps = 250.0;
  return t;
}

SimTime at(double s) { return SimTime::from_s(s); }

TEST(CivilInterlock, RefusesNeutralFriendAndAssumedFriendOnly) {
  const Airspace a = corridor_airspace();
  for (const Identity id : {Identity::pending, Identity::unknown, Identity::assumed_friend, Identity::friend_,
                            Identity::neutral, Identity::suspect, Identity::hostile}) {
    TrackFacts t = hostile_missile();
    t.identity = id;
    const InterlockDecision d = civil_interlock(t, a, at(1000), InterlockParams{});
    const bool protected_id = id == Identity::neutral || id == Identity::friend_ || id == Identity::assumed_friend;
    EXPECT_EQ(d.refused, protected_id) << picture::to_string(id);
    if (protected_id) {
      ASSERT_EQ(d.reasons.size(), 1U);
      EXPECT_EQ(d.reasons[0], std::string("track 7 is identified ") + picture::to_string(id));
    }
  }
}

// Civil evidence, and a friend's own (a valid Mode 5 reply, a friendly flight plan): a friend
// the picture has not declared friend is still protected.
TEST(CivilInterlock, RecentCivilOrFriendlyEvidenceRefusesWhateverTheIdentity) {
  const Airspace a = corridor_airspace();
  const InterlockParams p;  // 900 s window
  for (const EvidenceKind kind : {EvidenceKind::mode3, EvidenceKind::adsb, EvidenceKind::civil_flight_plan,
                                  EvidenceKind::emergency_squawk, EvidenceKind::mode5_valid,
                                  EvidenceKind::friendly_flight_plan}) {
    EvidenceRecord rec;
    rec.add(Evidence{at(100), kind, 1234});
    TrackFacts t = hostile_missile();
    t.evidence = &rec;
    const InterlockDecision within = civil_interlock(t, a, at(100 + 900), p);
    EXPECT_TRUE(within.refused) << picture::to_string(kind);
    ASSERT_FALSE(within.reasons.empty());
    EXPECT_NE(within.reasons[0].find("900 s ago (window 900 s)"), std::string::npos) << within.reasons[0];
    EXPECT_FALSE(civil_interlock(t, a, at(100 + 901), p).refused) << picture::to_string(kind);
  }
  // Evidence that is not civil never refuses.
  EvidenceRecord silent;
  silent.add(Evidence{at(100), EvidenceKind::no_reply, 0});
  silent.add(Evidence{at(110), EvidenceKind::hostile_kinematics, 250});
  silent.add(Evidence{at(120), EvidenceKind::adsb_inconsistent, 0x123456});
  TrackFacts t = hostile_missile();
  t.evidence = &silent;
  EXPECT_FALSE(civil_interlock(t, a, at(130), p).refused);
}

TEST(CivilInterlock, AnAirlinerLikeTrackInASafeCorridorIsRefused) {
  const Airspace a = corridor_airspace();
  TrackFacts t = hostile_missile();
  t.pos = {10000.0, 4000.0};  // in the corridor
  t.alt_m = 10000.0;
  t.speed_mps = 230.0;
  t.climb_mps = 0.0;
  const InterlockDecision d = civil_interlock(t, a, at(0), InterlockParams{});
  ASSERT_TRUE(d.refused);
  EXPECT_EQ(d.reasons.back(), "track 7 flies an airliner-like profile in safe corridor AW-1");
  // A missile-like profile in the corridor, or an airliner-like one outside it, is not refused by this rule.
  TrackFacts low = t;
  low.alt_m = 100.0;
  EXPECT_FALSE(civil_interlock(low, a, at(0), InterlockParams{}).refused);
  TrackFacts outside = t;
  outside.pos = {10000.0, 6000.0};
  EXPECT_FALSE(civil_interlock(outside, a, at(0), InterlockParams{}).refused);
  TrackFacts diving = t;
  diving.climb_mps = -60.0;
  EXPECT_FALSE(civil_interlock(diving, a, at(0), InterlockParams{}).refused);
  TrackFacts above = t;
  above.alt_m = 16000.0;  // above the corridor's band
  EXPECT_FALSE(civil_interlock(above, a, at(0), InterlockParams{}).refused);
}

TEST(CivilInterlock, EveryReasonIsGiven) {
  const Airspace a = corridor_airspace();
  EvidenceRecord rec;
  rec.add(Evidence{at(50), EvidenceKind::adsb, 0x4CA123});
  rec.add(Evidence{at(60), EvidenceKind::mode3, 6542});
  TrackFacts t;
  t.track_number = 3;
  t.identity = Identity::neutral;
  t.evidence = &rec;
  t.pos = {0.0, 0.0};
  t.alt_m = 11000.0;
  t.speed_mps = 240.0;
  const InterlockDecision d = civil_interlock(t, a, at(100), InterlockParams{});
  ASSERT_TRUE(d.refused);
  ASSERT_EQ(d.reasons.size(), 4U);
  EXPECT_EQ(d.reasons[0], "track 3 is identified neutral");
  EXPECT_EQ(d.reasons[1], "track 3 had a Mode 3/A reply 40 s ago (window 900 s)");
  EXPECT_EQ(d.reasons[2], "track 3 had ADS-B 50 s ago (window 900 s)");
  EXPECT_EQ(d.reasons[3], "track 3 flies an airliner-like profile in safe corridor AW-1");
  EXPECT_EQ(d.rules, (std::vector<std::string>{"identity", "civil_evidence", "civil_evidence", "corridor_airliner"}));
}

TEST(CivilInterlock, ItCannotBeSwitchedOff) {
  InterlockParams p;
  EXPECT_TRUE(validate(p));
  p.civil_evidence_window_s = 0.0;
  ASSERT_FALSE(validate(p));
  EXPECT_NE(validate(p).error().message.find("cannot be switched off"), std::string::npos);
  p = InterlockParams{};
  p.airliner_min_speed_mps = 400.0;  // above the max: an empty band would disable the corridor rule
  EXPECT_FALSE(validate(p));
  p = InterlockParams{};
  p.airliner_max_climb_mps = std::numeric_limits<double>::quiet_NaN();
  EXPECT_FALSE(validate(p));
}

}  // namespace
}  // namespace jrads::command
