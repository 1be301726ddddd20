#include "jrads/command/authority.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace jrads::command {
namespace {

SimTime at(double s) { return SimTime::from_s(s); }

ChainOfCommand two_parties() {
  ChainOfCommand c;
  c.lead_party = "KAL";
  c.parties = {"KAL", "MOR"};
  c.units = {{"FU-KAL-1", "KAL"}, {"FU-MOR-1", "MOR"}};
  c.roles = {{"KAL-CINC", "KAL", RoleKind::coordinator, ""},
             {"MOR-ADC", "MOR", RoleKind::air_defence_commander, ""},
             {"KAL-FU1-CDR", "KAL", RoleKind::unit_commander, "FU-KAL-1"},
             {"KAL-FU1-OP", "KAL", RoleKind::fire_operator, "FU-KAL-1"},
             {"MOR-FU1-CDR", "MOR", RoleKind::unit_commander, "FU-MOR-1"},
             {"MOR-FU1-OP", "MOR", RoleKind::fire_operator, "FU-MOR-1"}};
  // FU-MOR-1's commander lets the coordinator order it against cruise missiles in Z-NORTH
  // between 100 s and 200 s.
  c.delegations = {{"FU-MOR-1", "MOR-FU1-CDR", "Z-NORTH", at(100), at(200), ThreatClass::cruise_missile}};
  return c;
}

AgreementState agreement(AgreementPhase phase) {
  AgreementState a;
  a.phase = phase;
  a.in_force = phase == AgreementPhase::in_force || phase == AgreementPhase::ending;
  return a;
}

// The rules of the issue, written out independently of the implementation.
struct Situation {
  const char* name;
  double at_s;
  const char* zone;
  ThreatClass threat;
  bool covered;  // by FU-MOR-1's delegation
};

bool expected(const std::string& role, Action action, const std::string& unit, bool regional, const Situation& s,
              bool in_force) {
  const bool known_role = role == "KAL-CINC" || role == "MOR-ADC" || role == "KAL-FU1-CDR" || role == "KAL-FU1-OP" ||
                          role == "MOR-FU1-CDR" || role == "MOR-FU1-OP";
  const bool known_unit = unit == "FU-KAL-1" || unit == "FU-MOR-1";
  if (!known_role || (!regional && !known_unit)) return false;
  const std::string party = unit == "FU-KAL-1" ? "KAL" : "MOR";
  const bool coordinator = role == "KAL-CINC";
  const bool head = (party == "KAL" && role == "KAL-CINC") || (party == "MOR" && role == "MOR-ADC");
  const bool unit_commander = (unit == "FU-KAL-1" && role == "KAL-FU1-CDR") || (unit == "FU-MOR-1" && role == "MOR-FU1-CDR");
  const bool unit_operator = (unit == "FU-KAL-1" && role == "KAL-FU1-OP") || (unit == "FU-MOR-1" && role == "MOR-FU1-OP");
  const bool operator_role = role == "KAL-FU1-OP" || role == "MOR-FU1-OP";
  switch (action) {
    case Action::propose_assignment: return head || (coordinator && in_force);
    case Action::set_weapons_control_status:
      return regional ? coordinator && in_force : head || (coordinator && in_force);
    case Action::approve_engagement:
    case Action::deny_engagement:
    case Action::order_engagement:
      if (operator_role) return false;
      if (head || unit_commander) return true;
      return coordinator && in_force && unit == "FU-MOR-1" && s.covered;
    case Action::launch: return unit_operator || unit_commander;
  }
  return false;
}

TEST(Authority, TheFullMatrixOfRoleActionUnitDelegationAndAgreement) {
  const auto auth = Authority::make(two_parties());
  ASSERT_TRUE(auth) << auth.error().message;
  const std::vector<std::string> roles = {"KAL-CINC", "MOR-ADC", "KAL-FU1-CDR", "KAL-FU1-OP", "MOR-FU1-CDR", "MOR-FU1-OP",
                                          "NOBODY"};
  const std::vector<std::string> units = {"FU-KAL-1", "FU-MOR-1", "FU-NONE"};
  const std::vector<Situation> situations = {
      {"covered", 150, "Z-NORTH", ThreatClass::cruise_missile, true},
      {"before the window", 99, "Z-NORTH", ThreatClass::cruise_missile, false},
      {"at the window's end", 200, "Z-NORTH", ThreatClass::cruise_missile, false},
      {"another zone", 150, "Z-SOUTH", ThreatClass::cruise_missile, false},
      {"no zone", 150, "", ThreatClass::cruise_missile, false},
      {"another threat class", 150, "Z-NORTH", ThreatClass::aircraft, false},
  };
  const std::vector<AgreementPhase> phases = {AgreementPhase::in_force, AgreementPhase::ending, AgreementPhase::ended,
                                              AgreementPhase::not_yet_in_force};
  const std::vector<Action> actions = {Action::propose_assignment, Action::set_weapons_control_status,
                                       Action::approve_engagement, Action::deny_engagement, Action::order_engagement,
                                       Action::launch};
  int allowed = 0, refused = 0;
  for (const std::string& role : roles) {
    for (const Action action : actions) {
      for (const bool regional : {false, true}) {
        if (regional && action != Action::set_weapons_control_status) continue;
        for (const std::string& unit : units) {
          if (regional && unit != units[0]) continue;
          for (const Situation& s : situations) {
            for (const AgreementPhase phase : phases) {
              const AgreementState a = agreement(phase);
              Request q{role, action, regional ? "" : unit, at(s.at_s), s.zone, s.threat};
              const Decision d = auth->check(q, a);
              const bool want = expected(role, action, unit, regional, s, a.in_force);
              EXPECT_EQ(d.allowed, want) << role << " " << to_string(action) << " " << (regional ? "regional" : unit) << " ("
                                         << s.name << ", " << to_string(phase) << "): "
                                         << (d.reasons.empty() ? "" : d.reasons.front());
              EXPECT_FALSE(d.reasons.empty());
              (d.allowed ? allowed : refused) += 1;
            }
          }
        }
      }
    }
  }
  EXPECT_GT(allowed, 100);
  EXPECT_GT(refused, 500);
}

TEST(Authority, RefusalsSayWhy) {
  const auto auth = Authority::make(two_parties());
  ASSERT_TRUE(auth);
  const AgreementState in_force = agreement(AgreementPhase::in_force);
  Decision d = auth->check({"MOR-ADC", Action::order_engagement, "FU-KAL-1", at(150), "Z-NORTH", ThreatClass::aircraft}, in_force);
  ASSERT_FALSE(d.allowed);
  EXPECT_EQ(d.reasons[0], "MOR-ADC (air defence commander, MOR) is not in the chain of command of FU-KAL-1 (KAL)");
  d = auth->check({"KAL-CINC", Action::order_engagement, "FU-MOR-1", at(250), "Z-SOUTH", ThreatClass::aircraft}, in_force);
  ASSERT_FALSE(d.allowed);
  ASSERT_EQ(d.reasons.size(), 2U);
  EXPECT_NE(d.reasons[1].find("outside its time window"), std::string::npos) << d.reasons[1];
  EXPECT_NE(d.reasons[1].find("for zone Z-NORTH, the threat is in Z-SOUTH"), std::string::npos) << d.reasons[1];
  EXPECT_NE(d.reasons[1].find("for cruise_missile, the threat is aircraft"), std::string::npos) << d.reasons[1];
  d = auth->check({"KAL-CINC", Action::order_engagement, "FU-MOR-1", at(150), "Z-NORTH", ThreatClass::cruise_missile},
                  agreement(AgreementPhase::ended));
  ASSERT_FALSE(d.allowed);
  EXPECT_NE(d.reasons.back().find("no longer in force"), std::string::npos);
  d = auth->check({"KAL-CINC", Action::order_engagement, "FU-MOR-1", at(150), "Z-NORTH", ThreatClass::cruise_missile}, in_force);
  ASSERT_TRUE(d.allowed);
  EXPECT_NE(d.reasons[0].find("delegated orders to the coordinator for zone Z-NORTH"), std::string::npos);
  d = auth->check({"MOR-FU1-OP", Action::launch, "FU-KAL-1", at(0), "", ThreatClass::any}, in_force);
  EXPECT_FALSE(d.allowed);
  EXPECT_NE(d.reasons[0].find("only its own operator or commander"), std::string::npos);
}

std::string make_error(const ChainOfCommand& c) {
  const auto a = Authority::make(c);
  return a ? "" : a.error().message;
}

TEST(Authority, BadChainsAreRejectedWithTheRoleOrUnitNamed) {
  ChainOfCommand c = two_parties();
  EXPECT_EQ(make_error(c), "");
  c.roles.push_back({"KAL-CINC2", "KAL", RoleKind::coordinator, ""});
  EXPECT_NE(make_error(c).find("exactly one coordinator is needed, found 2"), std::string::npos) << make_error(c);
  c = two_parties();
  c.roles[0].party = "MOR";
  EXPECT_NE(make_error(c).find("must belong to the lead party KAL"), std::string::npos) << make_error(c);
  c = two_parties();
  c.roles.erase(c.roles.begin() + 1);  // MOR has no air defence commander
  EXPECT_NE(make_error(c).find("party MOR has no air defence commander"), std::string::npos) << make_error(c);
  c = two_parties();
  c.roles.push_back({"KAL-ADC", "KAL", RoleKind::air_defence_commander, ""});
  EXPECT_NE(make_error(c).find("headed by the coordinator"), std::string::npos) << make_error(c);
  c = two_parties();
  c.roles[2].unit = "FU-MOR-1";  // a KAL unit commander for a MOR unit
  EXPECT_NE(make_error(c).find("KAL-FU1-CDR of KAL cannot serve fire unit FU-MOR-1 of the other party MOR"), std::string::npos)
      << make_error(c);
  c = two_parties();
  c.roles[3].unit = "FU-X";
  EXPECT_NE(make_error(c).find("unknown fire unit 'FU-X'"), std::string::npos) << make_error(c);
  c = two_parties();
  c.roles.push_back(c.roles[1]);
  EXPECT_NE(make_error(c).find("role 'MOR-ADC' is empty or given twice"), std::string::npos) << make_error(c);
  c = two_parties();
  c.roles.push_back({"X", "NOWHERE", RoleKind::fire_operator, "FU-KAL-1"});
  EXPECT_NE(make_error(c).find("unknown party 'NOWHERE'"), std::string::npos) << make_error(c);
  c = two_parties();
  c.lead_party = "ZZ";
  EXPECT_NE(make_error(c).find("lead party 'ZZ' is not a party"), std::string::npos) << make_error(c);
  // Delegation of the other party's unit by the wrong commander.
  c = two_parties();
  c.delegations[0].by = "KAL-FU1-CDR";
  EXPECT_NE(make_error(c).find("given by KAL-FU1-CDR (fire unit commander, KAL), who does not command FU-MOR-1 (MOR)"),
            std::string::npos)
      << make_error(c);
  c.delegations[0].by = "KAL-CINC";  // the coordinator cannot delegate to itself a unit it does not command
  EXPECT_NE(make_error(c).find("who does not command FU-MOR-1"), std::string::npos) << make_error(c);
  c.delegations[0].by = "MOR-ADC";  // the unit's party's head may
  EXPECT_EQ(make_error(c), "");
  c.delegations[0].until = c.delegations[0].from;
  EXPECT_NE(make_error(c).find("time window is empty"), std::string::npos) << make_error(c);
  c = two_parties();
  c.delegations[0].zone.clear();
  EXPECT_NE(make_error(c).find("names no zone"), std::string::npos) << make_error(c);
  c = two_parties();
  c.delegations[0].unit = "FU-Q";
  EXPECT_NE(make_error(c).find("unknown fire unit"), std::string::npos) << make_error(c);
  c = two_parties();
  c.units.push_back(c.units[0]);
  EXPECT_NE(make_error(c).find("fire unit 'FU-KAL-1' is empty or given twice"), std::string::npos) << make_error(c);
}

}  // namespace
}  // namespace jrads::command
