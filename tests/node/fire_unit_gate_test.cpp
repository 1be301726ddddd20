#include "jrads/node/fire_unit_gate.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace jrads::node {
namespace {

using command::RoleKind;
using engage::ThreatClass;
using picture::Identity;

SimTime at(double s) { return SimTime::from_s(s); }

// KAL coordinates; MOR's air defence commander directs its own unit. The coordinator may order
// MOR's unit only where MOR's commander delegated it: in MEZ-MOR, for cruise missiles, 0-600 s.
command::ChainOfCommand chain() {
  command::ChainOfCommand c;
  c.lead_party = "KAL";
  c.parties = {"KAL", "MOR"};
  c.units = {{"FU-KAL-1", "KAL"}, {"FU-MOR-1", "MOR"}, {"FU-MOR-2", "MOR"}};
  c.roles = {{"KAL-CINC", "KAL", RoleKind::coordinator, ""},
             {"MOR-ADC", "MOR", RoleKind::air_defence_commander, ""},
             {"KAL-FU1-CDR", "KAL", RoleKind::unit_commander, "FU-KAL-1"},
             {"MOR-FU1-CDR", "MOR", RoleKind::unit_commander, "FU-MOR-1"},
             {"MOR-FU1-OP", "MOR", RoleKind::fire_operator, "FU-MOR-1"},
             {"MOR-FU2-CDR", "MOR", RoleKind::unit_commander, "FU-MOR-2"}};
  c.delegations = {{"FU-MOR-1", "MOR-FU1-CDR", "MEZ-MOR", at(0), at(600), ThreatClass::cruise_missile}};
  return c;
}

FireUnit unit(const std::string& id, int rounds) {
  FireUnit u;
  u.id = id;
  u.party = "MOR";
  u.envelope = engage::notional_envelope(engage::FireUnitType::medium_range);
  u.rounds = rounds;
  return u;
}

command::AgreementState in_force() {
  command::AgreementState a;
  a.phase = command::AgreementPhase::in_force;
  a.in_force = true;
  return a;
}

// MOR's national node: its two units behind one gate; FU-MOR-2 may engage drones in MEZ-MOR
// by itself, as its commander delegated, from 100 s to 200 s.
FireUnitGate mor_gate() {
  const std::vector<AutoEngagement> autos = {{"FU-MOR-2", "MOR-FU2-CDR", "MEZ-MOR", ThreatClass::drone, at(100), at(200)}};
  return FireUnitGate::make({unit("FU-MOR-1", 4), unit("FU-MOR-2", 2)}, autos, command::Authority::make(chain()).value(),
                            in_force())
      .value();
}

Order order(std::uint64_t engagement, const std::string& by, int rounds = 1) {
  Order o;
  o.engagement = engagement;
  o.unit = "FU-MOR-1";
  o.unit_party = "MOR";
  o.track = 7;
  o.rounds = rounds;
  o.by = by;
  o.zone = "MEZ-MOR";
  o.threat = ThreatClass::cruise_missile;
  o.at = at(50);
  return o;
}

Launch launch(std::uint64_t engagement, double t = 60, Identity identity = Identity::hostile) {
  Launch l;
  l.engagement = engagement;
  l.unit = "FU-MOR-1";
  l.unit_party = "MOR";
  l.track = 7;
  l.threat = ThreatClass::cruise_missile;
  l.identity = identity;
  l.at = at(t);
  return l;
}

TEST(FireUnitGate, AnOrderFromTheUnitsChainIsCarriedOutOnceAndNoMore) {
  FireUnitGate gate = mor_gate();
  EXPECT_TRUE(gate.order(order(1, "MOR-FU1-CDR", 2)).allowed);
  EXPECT_TRUE(gate.fire(launch(1)).allowed);
  EXPECT_TRUE(gate.fire(launch(1)).allowed);  // the second round of the salvo
  const GateDecision third = gate.fire(launch(1));
  EXPECT_FALSE(third.allowed);
  EXPECT_EQ(third.rule, "unit:no_order");
  EXPECT_EQ(third.reason, "engagement 1 is over: its order was carried out or ended");
  // The order resent (a resynchronisation after a lost link): a duplicate, and still no round.
  const GateDecision again = gate.order(order(1, "MOR-FU1-CDR", 2));
  EXPECT_TRUE(again.allowed);
  EXPECT_TRUE(again.duplicate);
  EXPECT_FALSE(gate.fire(launch(1)).allowed);
  EXPECT_EQ(gate.rounds_left("FU-MOR-1"), 2);
  EXPECT_EQ(gate.counts(), (GateCounts{1, 1, 0, 2, 2}));
}

TEST(FireUnitGate, NoRoundWithoutAnOrderForThatUnitAndTrack) {
  FireUnitGate gate = mor_gate();
  EXPECT_EQ(gate.fire(launch(9)).reason, "FU-MOR-1 holds no order for engagement 9");
  ASSERT_TRUE(gate.order(order(2, "MOR-ADC")).allowed);
  Launch other_track = launch(2);
  other_track.track = 8;
  EXPECT_EQ(gate.fire(other_track).reason, "engagement 2 orders FU-MOR-1 at track 7, not FU-MOR-1 at track 8");
  Launch other_unit = launch(2);
  other_unit.unit = "FU-MOR-2";
  EXPECT_EQ(gate.fire(other_unit).rule, "unit:no_order");
  EXPECT_EQ(gate.fire(launch(2, 40)).reason, "engagement 2: a launch before its order");
  Launch stranger = launch(2);
  stranger.unit = "FU-KAL-1";
  EXPECT_EQ(gate.fire(stranger).reason, "FU-KAL-1 is not a unit of this node");
  gate.end(2);  // cancelled by the post before launch
  EXPECT_EQ(gate.fire(launch(2)).reason, "engagement 2 is over: its order was carried out or ended");
  EXPECT_EQ(gate.counts().rounds_fired, 0u);
  EXPECT_EQ(gate.rounds_left("FU-MOR-1"), 4);
}

TEST(FireUnitGate, AnOrderFromARoleTheUnitDoesNotObeyIsRefused) {
  FireUnitGate gate = mor_gate();
  // The coordinator, under MOR's delegation: in its zone, class and window.
  EXPECT_TRUE(gate.order(order(1, "KAL-CINC")).allowed);
  Order drone = order(2, "KAL-CINC");
  drone.threat = ThreatClass::drone;  // not delegated
  EXPECT_EQ(gate.order(drone).rule, "unit:authority");
  Order late = order(3, "KAL-CINC");
  late.at = at(700);  // after the delegation
  EXPECT_EQ(gate.order(late).rule, "unit:authority");
  Order elsewhere = order(4, "KAL-CINC");
  elsewhere.zone = "MEZ-KAL";
  EXPECT_EQ(gate.order(elsewhere).rule, "unit:authority");
  // Another unit's commander, and a forged role.
  EXPECT_EQ(gate.order(order(5, "KAL-FU1-CDR")).rule, "unit:authority");
  EXPECT_EQ(gate.order(order(6, "NOBODY")).rule, "unit:authority");
  EXPECT_EQ(gate.counts(), (GateCounts{1, 0, 5, 0, 0}));
  for (std::uint64_t e = 2; e <= 6; ++e) EXPECT_FALSE(gate.fire(launch(e)).allowed);
}

TEST(FireUnitGate, AnAutomaticOrderNeedsTheUnitsOwnDelegation) {
  FireUnitGate gate = mor_gate();
  Order o = order(1, "auto");
  o.unit = "FU-MOR-2";
  o.delegated_by = "MOR-FU2-CDR";
  o.threat = ThreatClass::drone;
  o.at = at(150);
  EXPECT_TRUE(gate.order(o).allowed);
  Order early = o;
  early.engagement = 2;
  early.at = at(50);  // before the delegation's window
  EXPECT_EQ(gate.order(early).rule, "unit:authority");
  Order claimed = o;
  claimed.engagement = 3;
  claimed.delegated_by = "MOR-ADC";  // no such delegation, whoever could give it
  EXPECT_EQ(gate.order(claimed).rule, "unit:authority");
  Order other_unit = o;
  other_unit.engagement = 4;
  other_unit.unit = "FU-MOR-1";
  EXPECT_EQ(gate.order(other_unit).rule, "unit:authority");
}

TEST(FireUnitGate, NeverAtANeutralOrFriendlyTrackWhateverTheOrder) {
  FireUnitGate gate = mor_gate();
  ASSERT_TRUE(gate.order(order(1, "MOR-FU1-CDR", 4)).allowed);
  for (const Identity id : {Identity::neutral, Identity::friend_, Identity::assumed_friend}) {
    const GateDecision d = gate.fire(launch(1, 60, id));
    EXPECT_FALSE(d.allowed);
    EXPECT_EQ(d.rule, "unit:identity");
    EXPECT_EQ(d.reason, std::string("track 7 is identified ") + picture::to_string(id) + ": the unit never fires at it");
  }
  EXPECT_TRUE(gate.fire(launch(1, 60, Identity::hostile)).allowed);
  EXPECT_TRUE(gate.fire(launch(1, 61, Identity::suspect)).allowed);
  EXPECT_EQ(gate.counts().launches_refused, 3u);
}

TEST(FireUnitGate, ConflictingMalformedAndOverlargeOrdersAreRefused) {
  FireUnitGate gate = mor_gate();
  ASSERT_TRUE(gate.order(order(1, "MOR-FU1-CDR")).allowed);
  Order conflict = order(1, "MOR-FU1-CDR");
  conflict.track = 99;  // another order under a known engagement: a forgery or an error
  EXPECT_EQ(gate.order(conflict).rule, "unit:conflict");
  EXPECT_EQ(gate.order(order(2, "MOR-FU1-CDR", 5)).reason, "engagement 2: 5 rounds ordered, FU-MOR-1 carries 4");
  EXPECT_EQ(gate.order(order(3, "MOR-FU1-CDR", 0)).rule, "unit:rounds");
  EXPECT_EQ(gate.order(order(0, "MOR-FU1-CDR")).rule, "unit:malformed");
  Order kal = order(4, "KAL-FU1-CDR");
  kal.unit = "FU-KAL-1";
  kal.unit_party = "KAL";
  EXPECT_EQ(gate.order(kal).reason, "FU-KAL-1 is not a unit of this node");
  Order party = order(5, "MOR-FU1-CDR");
  party.unit_party = "KAL";
  EXPECT_EQ(gate.order(party).reason, "FU-MOR-1 is MOR's, not KAL's");
  // The refused conflict changed nothing: the held order still fires.
  EXPECT_TRUE(gate.fire(launch(1)).allowed);
}

TEST(FireUnitGate, AUnitOutOfRoundsHolds) {
  FireUnitGate gate = mor_gate();
  Order a = order(1, "MOR-FU1-CDR", 3), b = order(2, "MOR-FU1-CDR", 3);
  ASSERT_TRUE(gate.order(a).allowed);
  ASSERT_TRUE(gate.order(b).allowed);  // each within what the unit carries
  for (int k = 0; k < 3; ++k) EXPECT_TRUE(gate.fire(launch(1)).allowed);
  EXPECT_TRUE(gate.fire(launch(2)).allowed);
  EXPECT_EQ(gate.fire(launch(2)).reason, "FU-MOR-1 has no round left");
  EXPECT_EQ(gate.rounds_left("FU-MOR-1"), 0);
}

TEST(FireUnitGate, MakeChecksItsUnits) {
  const auto authority = command::Authority::make(chain()).value();
  EXPECT_EQ(FireUnitGate::make({}, {}, authority, in_force()).error().message, "fire unit gate: no units");
  EXPECT_EQ(FireUnitGate::make({unit("FU-MOR-1", 1), unit("FU-MOR-1", 1)}, {}, authority, in_force()).error().message,
            "fire unit gate: duplicate unit FU-MOR-1");
  EXPECT_EQ(FireUnitGate::make({unit("FU-X", 1)}, {}, authority, in_force()).error().message,
            "fire unit gate: FU-X is unknown to the chain of command");
  FireUnit kal = unit("FU-KAL-1", 1);  // said to be MOR's
  EXPECT_EQ(FireUnitGate::make({kal}, {}, authority, in_force()).error().message,
            "fire unit gate: FU-KAL-1 is KAL's in the chain of command");
}

}  // namespace
}  // namespace jrads::node
