#include "jrads/picture/identity.hpp"

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace jrads::picture {
namespace {

SimTime at(double s) { return SimTime::from_s(s); }

struct Case {
  const char* name;
  std::vector<Evidence> evidence;
  Profile profile;
  double held_s;
  double now_s;
  Identity expected;
  bool conflict;
  bool threatening = false;
  double threatening_s = 0.0;
};

class IdentityTable : public ::testing::TestWithParam<Case> {};

TEST_P(IdentityTable, DecidesAsTheRulesSay) {
  const Case& c = GetParam();
  EvidenceRecord rec;
  for (const Evidence& e : c.evidence) rec.add(e);
  const Behaviour b{c.profile, c.held_s, c.threatening, c.threatening_s};
  const IdentityDecision d = decide_identity(rec, b, at(c.now_s), IdentityRules{});
  EXPECT_EQ(d.identity, c.expected) << c.name << ": got " << to_string(d.identity) << " (" << d.reason << ")";
  EXPECT_EQ(d.conflict, c.conflict) << c.name;
  EXPECT_STRNE(d.reason, "") << c.name;
}

const Evidence mode5{at(10), EvidenceKind::mode5_valid, 0};
const Evidence mode3{at(10), EvidenceKind::mode3, 4321};
const Evidence adsb{at(10), EvidenceKind::adsb, 0x4CA123};
Evidence no_reply(double t) { return {at(t), EvidenceKind::no_reply, 0}; }
const Evidence origin{at(5), EvidenceKind::hostile_origin, 0};

INSTANTIATE_TEST_SUITE_P(
    Rules, IdentityTable,
    ::testing::Values(
        Case{"nothing yet", {}, Profile::ordinary, 0, 20, Identity::pending, false},
        Case{"valid mode 5", {mode5}, Profile::ordinary, 0, 20, Identity::friend_, false},
        Case{"mode 5 outweighs a missile profile", {mode5}, Profile::missile_like, 60, 20, Identity::friend_, false},
        Case{"mode 5 forgotten after 300 s", {mode5, no_reply(400)}, Profile::ordinary, 0, 320, Identity::unknown, false},
        Case{"mode 3/A code", {mode3}, Profile::ordinary, 0, 20, Identity::neutral, false},
        Case{"ADS-B", {adsb}, Profile::ordinary, 0, 20, Identity::neutral, false},
        Case{"civil evidence forgotten after 120 s", {mode3, no_reply(200)}, Profile::ordinary, 0, 140, Identity::unknown, false},
        Case{"civil squawk on a missile profile: conflict, cautious", {mode3}, Profile::missile_like, 40, 20, Identity::unknown, true},
        Case{"ADS-B on a fast-jet profile: conflict, cautious", {adsb}, Profile::fast_jet, 40, 20, Identity::unknown, true},
        Case{"one silent interrogation", {no_reply(20)}, Profile::ordinary, 0, 20, Identity::unknown, false},
        Case{"silent, ordinary profile stays unknown", {no_reply(10), no_reply(20), no_reply(30), no_reply(40), no_reply(50)},
             Profile::ordinary, 0, 50, Identity::unknown, false},
        Case{"two silent interrogations, missile profile", {no_reply(10), no_reply(20)}, Profile::missile_like, 10, 20,
             Identity::suspect, false},
        Case{"four silent, missile profile held 30 s", {no_reply(10), no_reply(20), no_reply(30), no_reply(40)},
             Profile::missile_like, 30, 40, Identity::hostile, false},
        Case{"four silent, missile profile held only 20 s", {no_reply(10), no_reply(20), no_reply(30), no_reply(40)},
             Profile::missile_like, 20, 40, Identity::suspect, false},
        Case{"drone-like never beyond suspect", {no_reply(10), no_reply(20), no_reply(30), no_reply(40), no_reply(50)},
             Profile::drone_like, 300, 50, Identity::suspect, false},
        Case{"friendly flight plan", {Evidence{at(10), EvidenceKind::friendly_flight_plan, 0}}, Profile::fast_jet, 60, 20,
             Identity::assumed_friend, false},
        Case{"civil flight plan", {Evidence{at(10), EvidenceKind::civil_flight_plan, 0}}, Profile::ordinary, 0, 20,
             Identity::neutral, false},
        Case{"silent, ordinary, heading for an asset: suspect", {no_reply(10), no_reply(20)}, Profile::ordinary, 0, 20,
             Identity::suspect, false, true, 10},
        Case{"four silent, heading for an asset 60 s: hostile", {no_reply(10), no_reply(20), no_reply(30), no_reply(40)},
             Profile::ordinary, 0, 40, Identity::hostile, false, true, 60},
        Case{"drone heading for an asset 60 s: hostile", {no_reply(10), no_reply(20), no_reply(30), no_reply(40)},
             Profile::drone_like, 100, 40, Identity::hostile, false, true, 60},
        Case{"civil code heading for an asset stays neutral", {mode3}, Profile::ordinary, 0, 20, Identity::neutral, false,
             true, 300},
        Case{"mode 5, then silent twice: may have swapped, no longer friend",
             {mode5, no_reply(20), no_reply(30)}, Profile::ordinary, 0, 30, Identity::unknown, false},
        Case{"mode 3/A, then silent twice: no longer neutral", {mode3, no_reply(20), no_reply(30)}, Profile::ordinary, 0,
             30, Identity::unknown, false},
        Case{"mode 5, then silent once: still friend", {mode5, no_reply(20)}, Profile::ordinary, 0, 30, Identity::friend_,
             false},
        Case{"mode 5, then unanswered twice (maybe hidden): no longer friend, not suspect either",
             {mode5, Evidence{at(20), EvidenceKind::unanswered, 0}, Evidence{at(30), EvidenceKind::unanswered, 0}},
             Profile::missile_like, 10, 30, Identity::pending, false},
        Case{"ADS-B forgotten after 60 s", {adsb}, Profile::ordinary, 0, 75, Identity::pending, false},
        Case{"hostile origin, silent twice: suspect", {origin, no_reply(20), no_reply(30)}, Profile::ordinary, 0, 30,
             Identity::suspect, false},
        Case{"hostile origin, silent once: unknown", {origin, no_reply(20)}, Profile::ordinary, 0, 30, Identity::unknown,
             false},
        Case{"hostile origin never goes beyond suspect",
             {origin, no_reply(20), no_reply(30), no_reply(40), no_reply(50), no_reply(60), no_reply(70)}, Profile::ordinary,
             0, 70, Identity::suspect, false},
        Case{"hostile origin, not interrogated: pending", {origin}, Profile::ordinary, 0, 30, Identity::pending, false},
        Case{"hostile origin of a track that once squawked a civil code: not suspect",
             {origin, mode3, no_reply(20), no_reply(30)}, Profile::ordinary, 0, 30, Identity::unknown, false},
        Case{"hostile origin of a track that once had ADS-B: not suspect",
             {origin, adsb, no_reply(80), no_reply(90)}, Profile::ordinary, 0, 90, Identity::unknown, false},
        Case{"hostile origin with ADS-B now: neutral", {origin, adsb}, Profile::ordinary, 0, 20, Identity::neutral, false},
        Case{"a reply resets the silence", {no_reply(10), no_reply(20), no_reply(30), no_reply(40), Evidence{at(45), EvidenceKind::mode3, 1200}},
             Profile::missile_like, 100, 50, Identity::unknown, true}),
    [](const ::testing::TestParamInfo<Case>& param) {
      std::string name = param.param.name;
      for (char& ch : name) {
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
      }
      return name;
    });

TEST(Profile, ClassifiesBySpeedAndHeight) {
  const IdentityRules r;
  EXPECT_EQ(classify_profile(240.0, 9000.0, r), Profile::ordinary);     // airliner
  EXPECT_EQ(classify_profile(240.0, 100.0, r), Profile::missile_like);  // cruise missile
  EXPECT_EQ(classify_profile(500.0, 9000.0, r), Profile::fast_jet);
  EXPECT_EQ(classify_profile(40.0, 300.0, r), Profile::drone_like);
  EXPECT_EQ(classify_profile(40.0, 3000.0, r), Profile::ordinary);
  EXPECT_EQ(classify_profile(r.missile_min_speed_mps, r.missile_max_alt_m, r), Profile::missile_like);  // edges inclusive
}

TEST(EvidenceRecord, CountsEveryPieceAndKeepsTheFirstOfEachKindInABoundedLog) {
  EvidenceRecord rec;
  rec.add({at(1), EvidenceKind::mode3, 1200});
  for (int i = 0; i < 100; ++i) rec.add({at(2.0 + i), EvidenceKind::no_reply, 0});
  rec.add({at(200), EvidenceKind::adsb, 0xABCDEF});
  EXPECT_EQ(rec.count(EvidenceKind::no_reply), 100);
  EXPECT_EQ(rec.count(EvidenceKind::mode3), 1);
  EXPECT_EQ(rec.last(EvidenceKind::no_reply), at(101));
  EXPECT_LE(rec.log().size(), EvidenceRecord::kMaxLog);
  ASSERT_FALSE(rec.log().empty());
  EXPECT_EQ(rec.log().front().kind, EvidenceKind::mode3);  // how the identity began
  EXPECT_EQ(rec.log().front().time, at(1));
  EXPECT_EQ(rec.log().back().kind, EvidenceKind::adsb);    // and the latest
  bool has_first_no_reply = false;
  for (const Evidence& e : rec.log()) has_first_no_reply |= e.kind == EvidenceKind::no_reply && e.time == at(2);
  EXPECT_TRUE(has_first_no_reply);
  EXPECT_EQ(rec.no_reply_since_reply(), 100);
}

TEST(EvidenceRecord, MergeAddsCountsAndKeepsTimeOrder) {
  EvidenceRecord a, b;
  a.add({at(5), EvidenceKind::no_reply, 0});
  a.add({at(15), EvidenceKind::no_reply, 0});
  b.add({at(10), EvidenceKind::adsb, 1});
  a.merge(b);
  EXPECT_EQ(a.count(EvidenceKind::no_reply), 2);
  EXPECT_EQ(a.count(EvidenceKind::adsb), 1);
  ASSERT_EQ(a.log().size(), 3U);
  EXPECT_TRUE(std::is_sorted(a.log().begin(), a.log().end(),
                             [](const Evidence& x, const Evidence& y) { return x.time < y.time; }));
}

TEST(Identity, SpellsAsFormatsSays) {
  EXPECT_STREQ(to_string(Identity::friend_), "friend");
  EXPECT_STREQ(to_string(Identity::assumed_friend), "assumed_friend");
  EXPECT_STREQ(to_string(Identity::neutral), "neutral");
  EXPECT_STREQ(to_string(Identity::hostile), "hostile");
}

}  // namespace
}  // namespace jrads::picture
