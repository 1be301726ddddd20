#include "jrads/scenario/agreement.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace jrads::scenario {
namespace {

Scenario parsed_default() {
  ParseOutcome p = parse_scenario(default_scenario_yaml(), "<default>");
  EXPECT_TRUE(p.errors.empty());
  return std::move(*p.scenario);
}

// The default scenario's agreement, day and chain as the command module gets them.
TEST(ScenarioAgreement, TermsDayAndChainOfTheDefaultScenario) {
  const Scenario s = parsed_default();
  const command::AgreementTerms t = agreement_terms(s);
  EXPECT_EQ(command::format_date(t.in_force), "2025-03-14");
  EXPECT_EQ(t.term_years, 5);
  EXPECT_EQ(t.notice_months, 6);
  ASSERT_TRUE(scenario_day(s).has_value());
  EXPECT_EQ(command::format_date(*scenario_day(s)), "2026-06-15");

  const command::ChainOfCommand c = chain_of_command(s);
  EXPECT_EQ(c.lead_party, "KAL");
  EXPECT_EQ(c.parties, (std::vector<std::string>{"KAL", "MOR"}));
  EXPECT_EQ(c.units.size(), s.fire_units.size());
  EXPECT_EQ(c.roles.size(), s.roles.size());
  EXPECT_EQ(c.delegations.size(), s.delegations.size());
  for (const FireUnit& f : s.fire_units) {
    EXPECT_TRUE(std::any_of(c.units.begin(), c.units.end(),
                            [&](const command::FireUnitRef& u) { return u.id == f.id && u.party == f.party; }))
        << f.id;
  }
  EXPECT_TRUE(command::Authority::make(c).has_value());
}

TEST(ScenarioAgreement, NoDayWhenTheScenarioGivesNone) {
  Scenario s = parsed_default();
  s.date.clear();
  EXPECT_FALSE(scenario_day(s).has_value());
}

}  // namespace
}  // namespace jrads::scenario
